#pragma once
/// Retrieval metrics and similarity diagnostics over L2-normalised embeddings (LOSSES.md).

#include <torch/torch.h>

#include <functional>

#include "core/train/Records.h"

namespace core {

/// Returns true when the caller wants the computation abandoned (throws core::Cancelled).
using StopCheck = std::function<bool()>;

/// SNN top-1 (τ = 0.1), kNN top-1 (k = 20, majority vote), P@1 and MAP@R of queries q [Nq, D]
/// against references r [Nr, D]; rows must be L2-normalised. Works in query chunks so memory
/// stays at chunk × Nr; checks `stop` between chunks.
Metrics retrievalMetrics(const torch::Tensor& q, const torch::Tensor& yq, const torch::Tensor& r,
                         const torch::Tensor& yr, std::int64_t numClasses,
                         const StopCheck& stop = {});

/// Per-class positive/negative cosine histograms over [-1, 1] (index numClasses = all classes)
/// and the loss anatomy per point, for the probe embeddings z [N, D] (normalised), in one pass
/// over the similarities (ProbeStats.h). Returns each point's `neighbours` most similar other
/// points ([N × k] indices, k = min(neighbours, N − 1)), for the projections' kNN agreement.
std::vector<std::int64_t> similarityDiagnostics(const torch::Tensor& z, const torch::Tensor& labels,
                                                std::int64_t numClasses, int bins, Snapshot& out,
                                                int neighbours = 0);

} // namespace core
