#pragma once
/// SuNCEt, SupCon (L_out / L_in) and NT-Xent as free functions over tensors, exactly as
/// ../shared/design/LOSSES.md defines them. Rows are L2-normalised inside every loss.
///
/// All three share one kernel: S = z_A zᵀ/τ for the anchor rows A, a row softmax p over j ≠ i,
/// and a gradient of the form dL/dS_ij = w_i (p_ij − t_ij) for a per-loss target t. Forward
/// computes that gradient in place of p, so forward + backward cost three N×N×D matmuls and
/// hold about one N×N buffer (plus a label-equality temporary) — N = 4096 runs comfortably.

#include <torch/torch.h>

#include <cstdint>

namespace core {

/// Result of a loss: the differentiable scalar and per-anchor diagnostics (no grad).
struct LossOutput {
    torch::Tensor loss;        ///< scalar, differentiable w.r.t. z
    torch::Tensor perAnchor;   ///< [A] per-anchor loss (0 for excluded / positive-less anchors)
    torch::Tensor hasPositive; ///< [A] bool: anchor has another row of its class
    std::int64_t anchorsWithoutPositives = 0;
};

struct SuNCEtOptions {
    double temperature = 0.1;
    double labelSmoothing = 0.0; ///< ε; C is the number of classes present in the batch
};

enum class SupConVariant { Out, In };
enum class ContrastMode { All, One };

struct SupConOptions {
    double temperature = 0.07;
    double baseTemperature = 0.07;
    SupConVariant variant = SupConVariant::Out;
    ContrastMode contrast = ContrastMode::All;
    int views = 1; ///< rows are view-major: row v·B + k is view v of sample k (B = N / views)
};

struct NTXentOptions {
    double temperature = 0.5;
};

/// z: [N, D] (any norm, float32/float64), labels: [N] integer → scalar.
/// Anchors with no other row of their class are excluded from the mean and counted.
LossOutput suncet(const torch::Tensor& z, const torch::Tensor& labels,
                  const SuNCEtOptions& options = {});

/// z: [N, D], labels: [N] → scalar. Mean over all anchors; positive-less anchors contribute 0.
LossOutput supcon(const torch::Tensor& z, const torch::Tensor& labels,
                  const SupConOptions& options = {});

/// z: [N, D] with N even; rows k and k + N/2 are two views of one sample → scalar.
LossOutput ntxent(const torch::Tensor& z, const NTXentOptions& options = {});

/// On the CPU the softmax, target and gradient of each row run fused (SoftmaxRows.h); off, the
/// whole-tensor path used on CUDA runs instead. For tests and benchmarks; default on.
void setFusedCpuLosses(bool on);

} // namespace core
