#include "core/metrics/Evaluation.h"

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

void similarityDiagnostics(const torch::Tensor& z, const torch::Tensor& labels,
                           std::int64_t numClasses, int bins, Snapshot& out) {
    torch::NoGradGuard noGrad;
    constexpr float inf = std::numeric_limits<float>::infinity();
    const std::int64_t n = z.size(0);
    out.bins = bins;
    out.histograms.assign(std::size_t(numClasses) + 1, ClassHistogram{});
    out.hardestNegative.assign(std::size_t(n), std::numeric_limits<float>::quiet_NaN());
    out.easiestPositive.assign(std::size_t(n), std::numeric_limits<float>::quiet_NaN());
    out.hardestPositive.assign(std::size_t(n), std::numeric_limits<float>::quiet_NaN());
    torch::Tensor allPos = torch::zeros({bins}, torch::kDouble),
                  allNeg = torch::zeros({bins}, torch::kDouble);
    const torch::Tensor zf = z.to(torch::kFloat);
    const torch::Tensor y = labels.to(zf.device());
    auto overlap = [](const torch::Tensor& p, const torch::Tensor& q) {
        const double sp = p.sum().item<double>(), sq = q.sum().item<double>();
        if (sp <= 0 || sq <= 0) return 0.0;
        return torch::minimum(p / sp, q / sq).sum().item<double>();
    };
    auto toVec = [](const torch::Tensor& t) {
        const torch::Tensor c = t.to(torch::kCPU).to(torch::kDouble).contiguous();
        return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    };
    for (std::int64_t c = 0; c < numClasses; ++c) {
        const torch::Tensor rows = (y == c).nonzero().squeeze(1);
        auto& h = out.histograms[std::size_t(c)];
        if (rows.numel() == 0) {
            h.positive.assign(std::size_t(bins), 0.0);
            h.negative.assign(std::size_t(bins), 0.0);
            continue;
        }
        const torch::Tensor s = zf.index_select(0, rows).mm(zf.t()).clamp_(-1.0, 1.0); // |c|×N
        const torch::Tensor negCols = (y != c).nonzero().squeeze(1);
        // Positives: same-class columns; the anchor itself is moved out of histc's range.
        torch::Tensor pos = s.index_select(1, rows);
        pos.diagonal().fill_(2.0);
        const torch::Tensor neg = s.index_select(1, negCols);
        const torch::Tensor hp = pos.histc(bins, -1.0, 1.0).to(torch::kDouble).cpu();
        const torch::Tensor hn = neg.histc(bins, -1.0, 1.0).to(torch::kDouble).cpu();
        h.positive = toVec(hp);
        h.negative = toVec(hn);
        h.overlap = overlap(hp, hn);
        allPos += hp;
        allNeg += hn;
        const torch::Tensor hardNeg =
            negCols.numel() ? neg.amax(1) : torch::full({rows.size(0)}, -inf, s.options());
        pos.diagonal().fill_(-inf);
        const torch::Tensor easyPos = pos.amax(1);
        pos.diagonal().fill_(inf);
        const torch::Tensor hardPos = pos.amin(1);
        const torch::Tensor idxT = rows.cpu(), hnT = hardNeg.cpu(), epT = easyPos.cpu(),
                            hpT = hardPos.cpu();
        const auto idx = idxT.accessor<std::int64_t, 1>();
        const auto hn1 = hnT.accessor<float, 1>(), ep = epT.accessor<float, 1>(),
                   hp1 = hpT.accessor<float, 1>();
        for (std::int64_t k = 0; k < idx.size(0); ++k) {
            const auto i = std::size_t(idx[k]);
            const float a = hn1[k], b = ep[k], d = hp1[k];
            out.hardestNegative[i] = std::isfinite(a) ? a : std::numeric_limits<float>::quiet_NaN();
            out.easiestPositive[i] = std::isfinite(b) ? b : std::numeric_limits<float>::quiet_NaN();
            out.hardestPositive[i] = std::isfinite(d) ? d : std::numeric_limits<float>::quiet_NaN();
        }
    }
    auto& all = out.histograms.back();
    all.positive = toVec(allPos);
    all.negative = toVec(allNeg);
    all.overlap = overlap(allPos, allNeg);
}

} // namespace core
