// Resident memory over a long run: trains 20 000 steps (Fashion-MNIST when installed, else
// builtin:blobs) through core::Trainer with evaluations every 1000 steps and snapshots every
// 250, sampling VmRSS every STEPS/20 steps. Bounded histories (the record ring, decimated
// snapshots) should keep it flat. Prints the curve and a markdown row for run_all.sh.
//   bench_memory [STEPS] [THREADS]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/data/DatasetLoader.h"
#include "core/train/Trainer.h"

namespace {
double statusMb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atof(line.c_str() + std::strlen(key)) / 1024.0;
    return 0;
}
} // namespace

int main(int argc, char** argv) {
    const std::int64_t steps = argc > 1 ? std::atoll(argv[1]) : 20000;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
    const std::string spec = std::filesystem::exists("/usr/share/datasets/fashion-mnist")
                                 ? "/usr/share/datasets/fashion-mnist"
                                 : "builtin:blobs";
    auto dataset = std::make_shared<const core::Dataset>(core::loadDataset(spec));
    core::TrainConfig config;
    config.dataset = spec;
    config.steps = 0; // interactive: no final full evaluation
    config.threads = threads;
    config.device = "cpu";
    config.evalEvery = 1000;
    config.snapshotEvery = 250; // the app's 50 would make this a 12-minute run on 2 cores
    config.snapshotMs = 0;
    core::Trainer trainer(dataset, config);
    std::vector<std::pair<std::int64_t, double>> curve;
    const std::int64_t every = std::max<std::int64_t>(1, steps / 20);
    while (trainer.stepsDone() < steps) {
        trainer.step(int(std::min(every, steps - trainer.stepsDone())));
        if (trainer.waitUntilSettled() == core::TrainerState::Failed) {
            std::fprintf(stderr, "training failed: %s\n", trainer.failure().c_str());
            return 1;
        }
        curve.emplace_back(trainer.stepsDone(), statusMb("VmRSS:"));
        std::printf("step %6lld: RSS %.0f MB\n", (long long)curve.back().first,
                    curve.back().second);
        std::fflush(stdout);
    }
    const double early = curve[curve.size() / 10].second, last = curve.back().second;
    const double peak = statusMb("VmHWM:");
    std::printf("| Resident memory over %lld steps (%s, mlp) | %.0f MB at step %lld → %.0f MB at "
                "step %lld; peak %.0f MB | flat (≤ 1.1× from step %lld on) | %.2f× %s |\n",
                (long long)steps,
                spec.find("fashion") != std::string::npos ? "Fashion-MNIST" : spec.c_str(), early,
                (long long)curve[curve.size() / 10].first, last, (long long)curve.back().first,
                peak, (long long)curve[curve.size() / 10].first, last / early,
                last <= 1.1 * early ? "✓" : "✗");
    return 0;
}
