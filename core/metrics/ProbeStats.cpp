#include "core/metrics/ProbeStats.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace core {

namespace {

/// The k best (value, index) pairs seen, best first; `better(a, b)` orders values.
template <typename Better> struct TopK {
    int k;
    float* values;
    std::int64_t* indices;
    int size = 0;
    Better better;
    void offer(float v, std::int64_t j) {
        if (size == k && !better(v, values[k - 1])) return;
        int pos = size < k ? size++ : k - 1;
        while (pos > 0 && better(v, values[pos - 1])) {
            values[pos] = values[pos - 1];
            indices[pos] = indices[pos - 1];
            --pos;
        }
        values[pos] = v;
        indices[pos] = j;
    }
};

} // namespace

ProbeStats::ProbeStats(std::int64_t points, int classes_, int bins_, int neighbours_)
    : classes(classes_), bins(bins_), k(neighbours_),
      positive(std::size_t(classes_) * std::size_t(bins_), 0.0), negative(positive.size(), 0.0),
      hardestNegative(std::size_t(points), std::numeric_limits<float>::quiet_NaN()),
      easiestPositive(hardestNegative), hardestPositive(hardestNegative),
      neighbours(std::size_t(points) * std::size_t(neighbours_), -1) {}

void accumulateProbeRows(const float* rows, std::int64_t r0, std::int64_t r1, std::int64_t n,
                         const std::int64_t* labels, ProbeStats& s) {
    const float scale = float(s.bins) / 2.0f;
    const int top = s.bins - 1;
    std::vector<float> bestValues(static_cast<std::size_t>(std::max(s.k, 1)));
    std::vector<double> pos(static_cast<std::size_t>(s.bins));
    std::vector<double> neg(pos.size());
    for (std::int64_t i = r0; i < r1; ++i) {
        const float* row = rows + (i - r0) * n;
        const std::int64_t c = labels[i];
        std::fill(pos.begin(), pos.end(), 0.0);
        std::fill(neg.begin(), neg.end(), 0.0);
        float hardNeg = -std::numeric_limits<float>::infinity();
        float easyPos = -std::numeric_limits<float>::infinity();
        float hardPos = std::numeric_limits<float>::infinity();
        TopK<std::greater<float>> best{
            s.k, bestValues.data(), s.neighbours.data() + std::size_t(i) * std::size_t(s.k), 0, {}};
        for (std::int64_t j = 0; j < n; ++j) {
            const float v = row[j];
            if (!(v == v)) continue; // NaN
            const float x = std::clamp(v, -1.0f, 1.0f);
            const int b = std::min(top, std::max(0, int((x + 1.0f) * scale)));
            if (labels[j] == c) {
                if (j == i) continue;
                pos[std::size_t(b)] += 1;
                easyPos = std::max(easyPos, x);
                hardPos = std::min(hardPos, x);
            } else {
                neg[std::size_t(b)] += 1;
                hardNeg = std::max(hardNeg, x);
            }
            if (s.k > 0) best.offer(v, j);
        }
        if (c >= 0 && c < s.classes) {
            const std::lock_guard<std::mutex> lock(*s.merge);
            double* P = s.positive.data() + std::size_t(c) * std::size_t(s.bins);
            double* N = s.negative.data() + std::size_t(c) * std::size_t(s.bins);
            for (int b = 0; b < s.bins; ++b) {
                P[b] += pos[std::size_t(b)];
                N[b] += neg[std::size_t(b)];
            }
        }
        const auto nan = std::numeric_limits<float>::quiet_NaN();
        s.hardestNegative[std::size_t(i)] = std::isfinite(hardNeg) ? hardNeg : nan;
        s.easiestPositive[std::size_t(i)] = std::isfinite(easyPos) ? easyPos : nan;
        s.hardestPositive[std::size_t(i)] = std::isfinite(hardPos) ? hardPos : nan;
    }
}

void nearestIn3d(const float* xyz, std::int64_t n, int k, std::int64_t r0, std::int64_t r1,
                 std::int64_t* out) {
    std::vector<float> d(static_cast<std::size_t>(n));
    std::vector<float> bestValues(static_cast<std::size_t>(std::max(k, 1)));
    for (std::int64_t i = r0; i < r1; ++i) {
        const float x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
        for (std::int64_t j = 0; j < n; ++j) { // vectorises
            const float dx = xyz[3 * j] - x, dy = xyz[3 * j + 1] - y, dz = xyz[3 * j + 2] - z;
            d[std::size_t(j)] = dx * dx + dy * dy + dz * dz;
        }
        d[std::size_t(i)] = std::numeric_limits<float>::infinity();
        TopK<std::less<float>> best{
            k, bestValues.data(), out + std::size_t(i) * std::size_t(k), 0, {}};
        for (std::int64_t j = 0; j < n; ++j)
            best.offer(d[std::size_t(j)], j);
    }
}

} // namespace core
