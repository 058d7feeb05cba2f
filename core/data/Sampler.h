#pragma once
/// Batch index samplers (plain C++, seeded, serialisable for resume).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace core {

/// Class-stratified batches as LOSSES.md defines: each draw takes C classes by walking a seeded
/// permutation of the classes (a fresh permutation when it wraps) and P images of each class
/// (walking a per-class permutation), laid out class-interleaved: row p·C + c.
class StratifiedSampler {
  public:
    /// `labels` of the pool; only indices with `eligible[i] != 0` are drawn (empty = all).
    StratifiedSampler(const std::vector<std::int64_t>& labels, int numClasses, std::uint64_t seed,
                      const std::vector<std::uint8_t>& eligible = {});

    /// Indices of one batch. C is clamped to the number of classes with samples.
    std::vector<std::int64_t> next(int classesPerBatch, int perClass);
    /// The class ids of the last batch, in batch order.
    const std::vector<int>& lastClasses() const { return lastClasses_; }
    int availableClasses() const { return int(classes_.size()); }

    std::string saveState() const;
    void loadState(const std::string& state);

  private:
    std::vector<std::vector<std::int64_t>> members_; ///< per class, shuffled in place
    std::vector<std::size_t> cursor_;                ///< per class position in members_
    std::vector<int> classes_;                       ///< classes with samples, permuted
    std::size_t classCursor_ = 0;
    std::vector<int> lastClasses_;
    std::mt19937_64 rng_;
};

/// Uniform batches without replacement inside an epoch (for unlabelled NT-Xent batches).
class UniformSampler {
  public:
    UniformSampler(std::size_t poolSize, std::uint64_t seed);
    std::vector<std::int64_t> next(int batchSize);
    std::string saveState() const;
    void loadState(const std::string& state);

  private:
    std::vector<std::int64_t> order_;
    std::size_t cursor_ = 0;
    std::mt19937_64 rng_;
};

} // namespace core
