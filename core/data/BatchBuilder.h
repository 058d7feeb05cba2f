#pragma once
/// Turns dataset rows into normalised, augmented input tensors on the training device.
/// Lives on the trainer thread; the dataset's plain buffers are copied into tensors once.

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/Dataset.h"

namespace core {

struct AugmentOptions {
    bool enabled = true;
    int cropPadding = 2;         ///< random crop after zero padding by this many pixels (0 = off)
    bool flip = false;           ///< horizontal flip (off for digit-like grayscale data)
    double brightness = 0.2;     ///< uniform ±
    double contrast = 0.2;       ///< factor 1 ± this
    double noise = 0.05;         ///< Gaussian σ up to this (in [0,1] pixel units)
    double featureNoise = 0.1;   ///< tabular: Gaussian σ in standardised units
    double featureDropout = 0.1; ///< tabular: probability of zeroing a feature
};

/// Sensible defaults for a dataset and encoder: flips only for colour images; shifted crops
/// (padding ~ size/14) only for convolutional encoders.
AugmentOptions defaultAugment(const Dataset& ds, const std::string& encoder, bool enabled);

class BatchBuilder {
  public:
    BatchBuilder(const Dataset& ds, torch::Device device, const AugmentOptions& augment,
                 std::uint64_t seed);

    /// Rows `idx` of train as `views` augmented copies, view-major: [V·B, ...] float.
    torch::Tensor trainBatch(const std::vector<std::int64_t>& idx, int views);
    /// Labels of train rows repeated for `views`: [V·B] int64 on the device.
    torch::Tensor trainLabels(const std::vector<std::int64_t>& idx, int views) const;
    /// Normalised, un-augmented rows [start, start+count) of a split, for evaluation.
    torch::Tensor evalInputs(bool test, std::int64_t start, std::int64_t count) const;
    /// Normalised, un-augmented rows `index` (int64 tensor) of a split.
    torch::Tensor evalRows(bool test, const torch::Tensor& index) const;
    torch::Tensor labels(bool test) const { return test ? testY_ : trainY_; }
    std::int64_t size(bool test) const { return (test ? testY_ : trainY_).size(0); }

    /// Random state of the augmentation generator, for resume.
    torch::Tensor generatorState() const;
    void setGeneratorState(const torch::Tensor& state);

  private:
    torch::Tensor toInput(const torch::Tensor& raw) const; ///< uint8/float rows → normalised float
    torch::Tensor augmentImages(torch::Tensor x);          ///< x in [0,1], [B,C,H,W]
    torch::Tensor augmentFeatures(torch::Tensor x);        ///< standardised [B,D]

    bool image_;
    torch::Device device_;
    AugmentOptions augment_;
    torch::Tensor trainX_, testX_, trainY_, testY_; ///< raw rows on the device
    torch::Tensor mean_, std_;                      ///< broadcastable per channel / feature
    at::Generator gen_;
};

} // namespace core
