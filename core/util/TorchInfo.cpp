#include "core/util/TorchInfo.h"

#include <torch/torch.h>

#include "core/util/Error.h"

namespace core {

std::string torchVersion() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

int cudaDeviceCount() {
    return torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
}

std::string resolveDevice(const std::string& spec) {
    if (spec == "auto") return cudaDeviceCount() > 0 ? "cuda:0" : "cpu";
    if (spec == "cpu") return "cpu";
    if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
        int index = 0;
        if (spec.size() > 5) {
            const std::string n = spec.substr(5);
            if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos)
                throw Error("device '" + spec + "': expected cuda:N");
            index = std::stoi(n);
        }
        const int count = cudaDeviceCount();
        if (index >= count)
            throw Error("device '" + spec + "': " +
                        (count == 0 ? std::string("no CUDA device available (LibTorch ") +
                                          torchVersion() + ")"
                                    : "only " + std::to_string(count) + " CUDA devices"));
        return "cuda:" + std::to_string(index);
    }
    throw Error("device '" + spec + "': expected auto, cpu, cuda or cuda:N");
}

int torchThreads() {
    return at::get_num_threads();
}

void setTorchThreads(int n) {
    if (n > 0) at::set_num_threads(n);
}

} // namespace core
