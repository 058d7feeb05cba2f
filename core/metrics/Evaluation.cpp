#include "core/metrics/Evaluation.h"

#include "core/metrics/ProbeStats.h"

#include <ATen/Parallel.h>

#include <limits>

#include "core/util/Error.h"

namespace core {

namespace F = torch::nn::functional;

Metrics retrievalMetrics(const torch::Tensor& q, const torch::Tensor& yq, const torch::Tensor& r,
                         const torch::Tensor& yr, std::int64_t numClasses, const StopCheck& stop) {
    torch::NoGradGuard noGrad;
    Metrics m;
    const std::int64_t nq = q.size(0), nr = r.size(0);
    m.queries = nq;
    m.references = nr;
    if (nq == 0 || nr == 0) return m;
    const torch::Tensor onehot = F::one_hot(yr, numClasses).to(q.dtype()); // Nr×C
    const torch::Tensor classCount = torch::bincount(yr, {}, numClasses);  // C
    const std::int64_t k = std::min<std::int64_t>(20, nr);
    const std::int64_t rMax = std::max<std::int64_t>(1, classCount.max().item<std::int64_t>());
    double snn = 0, knn = 0, p1 = 0, map = 0;
    // Small query chunks keep memory at chunk × Nr and let a stop request land within a
    // fraction of a second even against hundreds of thousands of references.
    const std::int64_t chunk = std::max<std::int64_t>(
        16, std::min<std::int64_t>(512, (1 << 22) / std::max<std::int64_t>(nr, 1)));
    for (std::int64_t s = 0; s < nq; s += chunk) {
        if (stop && stop()) throw Cancelled();
        const std::int64_t n = std::min(chunk, nq - s);
        const torch::Tensor y = yq.narrow(0, s, n);
        const torch::Tensor sims = q.narrow(0, s, n).mm(r.t()); // n×Nr
        // Soft nearest neighbours.
        const torch::Tensor scores = (sims / 0.1).softmax(1).mm(onehot);
        snn += scores.argmax(1).eq(y).sum().item<double>();
        // kNN majority vote.
        const auto [topV, topI] = sims.topk(k, 1);
        (void)topV;
        const torch::Tensor votes =
            F::one_hot(yr.index_select(0, topI.flatten()).view({n, k}), numClasses).sum(1);
        knn += votes.argmax(1).eq(y).sum().item<double>();
        // MAP@R over the R = |class of query| nearest references.
        const auto [sortedV, sortedI] = sims.topk(rMax, 1);
        (void)sortedV;
        const torch::Tensor rel =
            yr.index_select(0, sortedI.flatten()).view({n, rMax}).eq(y.unsqueeze(1)).to(q.dtype());
        p1 += rel.select(1, 0).sum().item<double>();
        const torch::Tensor rank = torch::arange(1, rMax + 1, q.options());
        const torch::Tensor precision = rel.cumsum(1) / rank;
        const torch::Tensor R = classCount.index_select(0, y).to(q.dtype()).clamp_min(1);
        const torch::Tensor within = rank.unsqueeze(0) <= R.unsqueeze(1);
        map += ((precision * rel * within).sum(1) / R).sum().item<double>();
    }
    m.snnTop1 = snn / double(nq);
    m.knnTop1 = knn / double(nq);
    m.precisionAt1 = p1 / double(nq);
    m.mapAtR = map / double(nq);
    return m;
}

std::vector<std::int64_t> similarityDiagnostics(const torch::Tensor& z, const torch::Tensor& labels,
                                                std::int64_t numClasses, int bins, Snapshot& out,
                                                int neighbours) {
    torch::NoGradGuard noGrad;
    const std::int64_t n = z.size(0);
    const torch::Tensor zf = z.to(torch::kFloat).contiguous();
    const torch::Tensor y = labels.to(torch::kCPU).to(torch::kLong).contiguous();
    const int k = int(std::min<std::int64_t>(neighbours, std::max<std::int64_t>(n - 1, 0)));
    ProbeStats stats(n, int(numClasses), bins, k);
    // One pass over the similarities, a block of rows at a time (memory: chunk × N floats).
    constexpr std::int64_t chunk = 512;
    for (std::int64_t s = 0; s < n; s += chunk) {
        const std::int64_t m = std::min(chunk, n - s);
        const torch::Tensor sims = zf.narrow(0, s, m).mm(zf.t()).to(torch::kCPU).contiguous();
        const float* rows = sims.data_ptr<float>();
        at::parallel_for(0, m, 64, [&](std::int64_t a, std::int64_t b) {
            accumulateProbeRows(rows + a * n, s + a, s + b, n, y.data_ptr<std::int64_t>(), stats);
        });
    }
    auto overlap = [](const double* p, const double* q, int b) {
        double sp = 0, sq = 0, o = 0;
        for (int i = 0; i < b; ++i) {
            sp += p[i];
            sq += q[i];
        }
        if (sp <= 0 || sq <= 0) return 0.0;
        for (int i = 0; i < b; ++i)
            o += std::min(p[i] / sp, q[i] / sq);
        return o;
    };
    out.bins = bins;
    out.histograms.assign(std::size_t(numClasses) + 1, ClassHistogram{});
    auto& all = out.histograms.back();
    all.positive.assign(std::size_t(bins), 0.0);
    all.negative.assign(std::size_t(bins), 0.0);
    for (std::int64_t c = 0; c < numClasses; ++c) {
        const double* p = stats.positive.data() + std::size_t(c) * std::size_t(bins);
        const double* q = stats.negative.data() + std::size_t(c) * std::size_t(bins);
        auto& h = out.histograms[std::size_t(c)];
        h.positive.assign(p, p + bins);
        h.negative.assign(q, q + bins);
        h.overlap = overlap(p, q, bins);
        for (int b = 0; b < bins; ++b) {
            all.positive[std::size_t(b)] += p[b];
            all.negative[std::size_t(b)] += q[b];
        }
    }
    all.overlap = overlap(all.positive.data(), all.negative.data(), bins);
    out.hardestNegative = std::move(stats.hardestNegative);
    out.easiestPositive = std::move(stats.easiestPositive);
    out.hardestPositive = std::move(stats.hardestPositive);
    return std::move(stats.neighbours);
}

} // namespace core
