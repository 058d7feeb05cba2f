#pragma once
/// The learning-rate schedule of LOSSES.md: linear warm-up from start_lr to lr, then cosine
/// to final_lr over the remaining steps (held at lr when the run length is unknown).

#include <cstdint>

#include "core/train/TrainConfig.h"

namespace core {

/// Learning rate for the step with 0-based index `step`.
double learningRate(const TrainConfig& config, std::int64_t step);

} // namespace core
