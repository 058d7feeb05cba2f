// Loss kernels: forward + backward of SuNCEt, SupCon (L_out, L_in) and NT-Xent at
// N ∈ {256, 1024, 4096}, D = 128, float32 — against the three-matmul floor measured in the same
// run (S = z zᵀ forward; G z and Gᵀ z backward), and the peak extra memory of one call in units
// of N×N floats. Prints Google Benchmark's table, then markdown rows for run_all.sh.
//   bench_losses [--threads T] [google-benchmark flags]
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "core/loss/Losses.h"

namespace {

constexpr int kDim = 128;
const int kSizes[] = {256, 1024, 4096};

torch::Tensor embeddings(int n) {
    torch::manual_seed(n);
    return torch::randn({n, kDim});
}

torch::Tensor labelsFor(int n) {
    return torch::arange(n, torch::kLong).remainder(10); // 10 classes, n/10 per class
}

using LossFn = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

const std::map<std::string, LossFn>& losses() {
    static const std::map<std::string, LossFn> m = {
        {"suncet", [](const auto& z, const auto& y) { return core::suncet(z, y).loss; }},
        {"supcon-out", [](const auto& z, const auto& y) { return core::supcon(z, y).loss; }},
        {"supcon-in",
         [](const auto& z, const auto& y) {
             core::SupConOptions o;
             o.variant = core::SupConVariant::In;
             return core::supcon(z, y, o).loss;
         }},
        {"ntxent", [](const auto& z, const auto&) { return core::ntxent(z).loss; }},
    };
    return m;
}

void forwardBackward(const LossFn& loss, const torch::Tensor& z, const torch::Tensor& y) {
    auto leaf = z.detach().requires_grad_(true);
    loss(leaf, y).backward();
    benchmark::DoNotOptimize(leaf.grad().data_ptr());
}

void BM_Loss(benchmark::State& state, const std::string& name) {
    const int n = int(state.range(0));
    const auto z = embeddings(n);
    const auto y = labelsFor(n);
    const auto& loss = losses().at(name);
    for (auto _ : state)
        forwardBackward(loss, z, y);
}

/// The floor: one N×N×D matmul forward, two backward, into preallocated outputs.
void BM_Floor(benchmark::State& state) {
    const int n = int(state.range(0));
    const auto z = embeddings(n);
    auto s = torch::empty({n, n});
    auto g1 = torch::empty({n, kDim}), g2 = torch::empty({n, kDim});
    for (auto _ : state) {
        torch::mm_out(s, z, z.t());
        torch::mm_out(g1, s, z);
        torch::mm_out(g2, s.t(), z);
        benchmark::DoNotOptimize(g2.data_ptr());
    }
}

long statusKb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return -1;
}

/// Peak resident memory of one forward + backward above what was resident before it (the
/// first call at this size), in bytes; -1 when the kernel does not let us reset the high-water
/// mark.
double peakExtraBytes(const LossFn& loss, const torch::Tensor& z, const torch::Tensor& y) {
    // Warm thread pools and BLAS buffers at half the size, so that what this size keeps
    // (the loss's reusable N×N buffer) is counted.
    const auto half = z.size(0) / 2;
    forwardBackward(loss, z.narrow(0, 0, half), y.narrow(0, 0, half));
    const long before = statusKb("VmRSS:");
    {
        std::ofstream reset("/proc/self/clear_refs");
        reset << "5";
        if (!reset) return -1;
    }
    forwardBackward(loss, z, y);
    const long peak = statusKb("VmHWM:");
    return peak < 0 || before < 0 ? -1 : double(peak - before) * 1024.0;
}

/// Keeps each benchmark's time per iteration (ms) for the summary.
class Collector : public benchmark::ConsoleReporter {
  public:
    std::map<std::string, double> ms;
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& r : runs)
            if (r.run_type == Run::RT_Iteration && !r.error_occurred)
                ms[r.benchmark_name()] = r.GetAdjustedRealTime() *
                                         benchmark::GetTimeUnitMultiplier(benchmark::kMillisecond) /
                                         benchmark::GetTimeUnitMultiplier(r.time_unit);
        ConsoleReporter::ReportRuns(runs);
    }
};

} // namespace

int main(int argc, char** argv) {
    int threads = 0;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--threads") == 0) {
            threads = std::atoi(argv[i + 1]);
            for (int k = i; k + 2 <= argc; ++k)
                argv[k] = argv[k + 2];
            argc -= 2;
            break;
        }
    if (threads > 0) torch::set_num_threads(threads);
    for (int n : kSizes) {
        benchmark::RegisterBenchmark(("floor/" + std::to_string(n)).c_str(), BM_Floor)
            ->Arg(n)
            ->Unit(benchmark::kMillisecond);
        for (const auto& [name, fn] : losses())
            benchmark::RegisterBenchmark((name + "/" + std::to_string(n)).c_str(), BM_Loss, name)
                ->Arg(n)
                ->Unit(benchmark::kMillisecond);
    }
    benchmark::Initialize(&argc, argv);
    Collector collector;
    benchmark::RunSpecifiedBenchmarks(&collector);

    std::printf("\nThreads: %d. Ratios are to the three-matmul floor at the same N.\n",
                torch::get_num_threads());
    for (int n : kSizes) {
        const auto floor =
            collector.ms.find("floor/" + std::to_string(n) + "/" + std::to_string(n));
        for (const auto& [name, fn] : losses()) {
            const auto it =
                collector.ms.find(name + "/" + std::to_string(n) + "/" + std::to_string(n));
            if (it == collector.ms.end() || floor == collector.ms.end()) continue;
            const double ratio = it->second / floor->second;
            std::string memory = "";
            if (n == 4096) {
                // On a fresh thread: the loss keeps its N×N buffer per thread, and it counts.
                double bytes = -1;
                std::thread([&] {
                    bytes = peakExtraBytes(fn, embeddings(n), labelsFor(n));
                }).join();
                const double buffers = bytes / (double(n) * n * 4);
                char buf[160];
                if (bytes < 0)
                    std::snprintf(buf, sizeof(buf), "; peak extra memory not measurable here");
                else
                    std::snprintf(buf, sizeof(buf), "; peak extra %.0f MB = %.2f N×N (≤ 3 %s)",
                                  bytes / 1e6, buffers, buffers <= 3 ? "✓" : "✗");
                memory = buf;
            }
            const bool target = n == 4096;
            std::printf("| Loss %s fwd+bwd, N = %d, D = 128 | %.2f ms (floor %.2f ms) | %s | "
                        "%.2f×%s%s |\n",
                        name.c_str(), n, it->second, floor->second, target ? "≤ 1.5× floor" : "—",
                        ratio, target ? (ratio <= 1.5 ? " ✓" : " ✗") : "", memory.c_str());
        }
    }
    benchmark::Shutdown();
    return 0;
}
