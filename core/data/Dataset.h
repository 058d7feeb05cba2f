#pragma once
/// The in-memory dataset model: train and test splits of images or feature rows.
/// Plain types only (no torch): the trainer turns splits into tensors on its own thread.

#include <cstdint>
#include <string>
#include <vector>

namespace core {

/// One split. Exactly one of `images` (uint8, [N, C, H, W]) or `features` (float, [N, D]) is
/// filled, as the owning Dataset's `isImage()` says.
struct Split {
    std::vector<std::uint8_t> images; ///< [N, C, H, W] row-major
    std::vector<float> features;      ///< [N, D] row-major
    std::vector<std::int64_t> labels; ///< [N], 0..C-1
    /// [N] 1 = label may be used for supervision, 0 = treat as unlabelled. Empty = all labelled.
    std::vector<std::uint8_t> labelled;

    [[nodiscard]] std::size_t size() const { return labels.size(); }
    [[nodiscard]] bool isLabelled(std::size_t i) const { return labelled.empty() || labelled[i]; }
    [[nodiscard]] std::size_t labelledCount() const;
};

/// A labelled dataset with its provenance.
struct Dataset {
    std::string format; ///< "idx", "cifar10", "cifar100", "imagefolder", "csv", "npy", "builtin"
    std::string name;   ///< short display name, e.g. "fashion-mnist"
    std::string source; ///< the spec it was loaded from
    std::vector<std::string> classNames;
    int channels = 0, height = 0, width = 0; ///< image geometry; 0 for tabular data
    int featureDim = 0;                      ///< D for tabular data; 0 for images
    Split train, test;

    [[nodiscard]] bool isImage() const { return featureDim == 0; }
    [[nodiscard]] int numClasses() const { return static_cast<int>(classNames.size()); }
    /// Elements per sample: C*H*W for images, D for features.
    [[nodiscard]] std::size_t sampleSize() const;
    /// Fraction of train samples that are labelled.
    [[nodiscard]] double labelledFraction() const;
    /// Per-class sample counts of a split.
    [[nodiscard]] std::vector<std::size_t> classCounts(const Split& split) const;
    /// Throws core::Error (naming `source`) when sizes, label ranges or class lists disagree.
    void validate() const;
    /// A stable 64-bit FNV-1a fingerprint of the content (for snapshot configs).
    [[nodiscard]] std::uint64_t fingerprint() const;
};

/// Marks a seeded, class-stratified `fraction` of train as labelled (the rest unlabelled).
/// fraction in (0, 1]; at least one labelled sample per non-empty class is kept.
void applyLabelledFraction(Dataset& ds, double fraction, std::uint64_t seed);

/// Moves a seeded, class-stratified `fraction` of train into test (for sources with no test
/// split). fraction in (0, 1).
void splitTrainTest(Dataset& ds, double testFraction, std::uint64_t seed);

} // namespace core
