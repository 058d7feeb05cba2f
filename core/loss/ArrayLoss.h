#pragma once
/// The losses over plain arrays (for `contrastscope-cli loss` and anyone without torch types).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/io/Npy.h"

namespace core {

struct ArrayLossRequest {
    std::string loss = "suncet";       ///< suncet | supcon | supcon-in | ntxent
    std::optional<double> temperature; ///< default: the loss's usual one
    double baseTemperature = 0.07;
    double labelSmoothing = 0.0;
    bool float64 = false;  ///< compute in float64 (else float32)
    bool gradient = false; ///< also return dL/dE
};

struct ArrayLossResult {
    double loss = 0;
    std::int64_t anchorsWithoutPositives = 0;
    std::int64_t n = 0, d = 0;
    std::vector<double> gradient; ///< [N, D] when requested
};

/// E: [N, D] float32/float64; labels: [N] integer (ignored by ntxent, may be null for it).
/// Throws core::Error naming `embeddingsName` / `labelsName` for bad shapes or types.
ArrayLossResult evaluateArrayLoss(const NpyArray& embeddings, const std::string& embeddingsName,
                                  const NpyArray* labels, const std::string& labelsName,
                                  const ArrayLossRequest& request);

} // namespace core
