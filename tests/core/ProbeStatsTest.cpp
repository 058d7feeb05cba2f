// The one-pass probe statistics (histograms, loss anatomy, nearest neighbours in the embedding
// space and in 3D) against brute force written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

#include "core/metrics/ProbeStats.h"

namespace {

struct Cloud {
    std::int64_t n, d;
    std::vector<float> z;        ///< n × d, unit rows
    std::vector<std::int64_t> y; ///< n
    std::vector<float> sims;     ///< n × n
};

Cloud cloud(std::int64_t n, std::int64_t d, int classes, unsigned seed) {
    Cloud c{n, d, std::vector<float>(std::size_t(n * d)), std::vector<std::int64_t>(std::size_t(n)),
            std::vector<float>(std::size_t(n * n))};
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    for (std::int64_t i = 0; i < n; ++i) {
        c.y[std::size_t(i)] = i % classes;
        float norm = 0;
        for (std::int64_t k = 0; k < d; ++k) {
            float v = g(rng) + (k == c.y[std::size_t(i)] ? 2.0f : 0.0f);
            c.z[std::size_t(i * d + k)] = v;
            norm += v * v;
        }
        for (std::int64_t k = 0; k < d; ++k)
            c.z[std::size_t(i * d + k)] /= std::sqrt(norm);
    }
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            float s = 0;
            for (std::int64_t k = 0; k < d; ++k)
                s += c.z[std::size_t(i * d + k)] * c.z[std::size_t(j * d + k)];
            c.sims[std::size_t(i * n + j)] = s;
        }
    return c;
}

} // namespace

TEST(ProbeStats, OnePassMatchesBruteForce) {
    const int classes = 4, bins = 20, k = 5;
    const Cloud c = cloud(150, 8, classes, 3);
    core::ProbeStats s(c.n, classes, bins, k);
    // Two threads over disjoint halves, in blocks, as the snapshot does.
    std::thread a([&] { core::accumulateProbeRows(c.sims.data(), 0, 70, c.n, c.y.data(), s); });
    core::accumulateProbeRows(c.sims.data() + 70 * c.n, 70, c.n, c.n, c.y.data(), s);
    a.join();
    std::vector<double> pos(std::size_t(classes * bins)), neg(pos.size());
    for (std::int64_t i = 0; i < c.n; ++i) {
        std::vector<std::pair<float, std::int64_t>> order;
        float hardNeg = -2, easyPos = -2, hardPos = 2;
        for (std::int64_t j = 0; j < c.n; ++j) {
            if (j == i) continue;
            const float v = c.sims[std::size_t(i * c.n + j)];
            const int b = std::min(bins - 1, int((std::clamp(v, -1.0f, 1.0f) + 1) / 2 * bins));
            const bool same = c.y[std::size_t(j)] == c.y[std::size_t(i)];
            (same ? pos : neg)[std::size_t(c.y[std::size_t(i)] * bins + b)] += 1;
            if (same) {
                easyPos = std::max(easyPos, v);
                hardPos = std::min(hardPos, v);
            } else {
                hardNeg = std::max(hardNeg, v);
            }
            order.emplace_back(v, j);
        }
        std::sort(order.begin(), order.end(), std::greater<>());
        for (int u = 0; u < k; ++u)
            EXPECT_EQ(s.neighbours[std::size_t(i * k + u)], order[std::size_t(u)].second) << i;
        EXPECT_FLOAT_EQ(s.hardestNegative[std::size_t(i)], hardNeg);
        EXPECT_FLOAT_EQ(s.easiestPositive[std::size_t(i)], easyPos);
        EXPECT_FLOAT_EQ(s.hardestPositive[std::size_t(i)], hardPos);
    }
    EXPECT_EQ(s.positive, pos);
    EXPECT_EQ(s.negative, neg);
    // Every ordered pair lands in exactly one histogram.
    const double total =
        std::accumulate(pos.begin(), pos.end(), 0.0) + std::accumulate(neg.begin(), neg.end(), 0.0);
    EXPECT_EQ(total, double(c.n * (c.n - 1)));
}

TEST(ProbeStats, NaNSimilaritiesAreSkippedAndLoneClassesHaveNoPositives) {
    const std::vector<float> sims = {1, 0.5f, NAN, 0.5f, 1, 0.2f, NAN, 0.2f, 1};
    const std::vector<std::int64_t> y = {0, 0, 1};
    core::ProbeStats s(3, 2, 4, 1);
    core::accumulateProbeRows(sims.data(), 0, 3, 3, y.data(), s);
    EXPECT_TRUE(std::isnan(s.hardestNegative[0])); // its only negative was NaN
    EXPECT_FLOAT_EQ(s.hardestNegative[1], 0.2f);
    EXPECT_TRUE(std::isnan(s.easiestPositive[2])); // class 1 has one point
    EXPECT_EQ(s.neighbours[2], 1);
}

TEST(ProbeStats, NearestIn3dMatchesSorting) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1, 1);
    const std::int64_t n = 300;
    const int k = 10;
    std::vector<float> xyz(std::size_t(n * 3));
    for (auto& v : xyz)
        v = u(rng);
    std::vector<std::int64_t> out(std::size_t(n * k), -1);
    core::nearestIn3d(xyz.data(), n, k, 0, 123, out.data());
    core::nearestIn3d(xyz.data(), n, k, 123, n, out.data());
    for (std::int64_t i = 0; i < n; ++i) {
        std::vector<std::pair<float, std::int64_t>> order;
        for (std::int64_t j = 0; j < n; ++j) {
            if (j == i) continue;
            float d = 0;
            for (int c = 0; c < 3; ++c) {
                const float t = xyz[std::size_t(3 * j + c)] - xyz[std::size_t(3 * i + c)];
                d += t * t;
            }
            order.emplace_back(d, j);
        }
        std::sort(order.begin(), order.end());
        for (int u2 = 0; u2 < k; ++u2)
            ASSERT_EQ(out[std::size_t(i * k + u2)], order[std::size_t(u2)].second) << i;
    }
}
