// Dataset loading and generation speed.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "core/data/DatasetLoader.h"

static void BM_ShapesGenerate(benchmark::State& state) {
    const std::string spec = "builtin:shapes?train=" + std::to_string(state.range(0)) + "&test=0";
    for (auto _ : state)
        benchmark::DoNotOptimize(core::loadDataset(spec, {.testFraction = 0}));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ShapesGenerate)->Arg(1000)->Unit(benchmark::kMillisecond);

static void BM_FashionMnistLoad(benchmark::State& state) {
    const char* dir = "/usr/share/datasets/fashion-mnist";
    if (!std::filesystem::exists(dir)) {
        state.SkipWithError("dataset-fashion-mnist not installed");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(core::loadDataset(dir));
    state.SetItemsProcessed(state.iterations() * 70000);
}
BENCHMARK(BM_FashionMnistLoad)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
