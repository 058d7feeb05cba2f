#pragma once
/// One pass over the probe set's cosine similarities gives everything a snapshot shows about
/// them: per-class positive/negative histograms, the loss anatomy per point (hardest negative,
/// easiest and hardest positive) and each point's k nearest neighbours in the embedding space.
/// Plus the k nearest neighbours in a 3D projection, for the projection's kNN agreement.
/// Plain C++ on raw arrays (no torch): the caller computes similarity rows in chunks.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace core {

struct ProbeStats {
    ProbeStats(std::int64_t points, int classes, int bins, int neighbours);

    int classes, bins, k;
    std::vector<double> positive, negative; ///< [classes × bins] counts over [−1, 1]
    /// Per point; NaN where the point has no negative / no other positive.
    std::vector<float> hardestNegative, easiestPositive, hardestPositive;
    std::vector<std::int64_t> neighbours; ///< [points × k], most similar first, self excluded
    std::unique_ptr<std::mutex> merge = std::make_unique<std::mutex>(); ///< guards the histograms
};

/// Adds rows [r0, r1) of the N×N similarity matrix: `rows` holds them row-major ((r1 − r0) × n;
/// row r is point r0 + r's similarities to all n points). NaN similarities are skipped.
/// Disjoint row ranges may be added from several threads at once.
void accumulateProbeRows(const float* rows, std::int64_t r0, std::int64_t r1, std::int64_t n,
                         const std::int64_t* labels, ProbeStats& stats);

/// For points [r0, r1) of `xyz` (n × 3, row-major): their k nearest other points (Euclidean),
/// written to out[i·k … i·k + k) in increasing distance.
void nearestIn3d(const float* xyz, std::int64_t n, int k, std::int64_t r0, std::int64_t r1,
                 std::int64_t* out);

} // namespace core
