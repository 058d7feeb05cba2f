#pragma once
/// The elementwise heart of every contrastive loss, fused per row on the CPU: given the raw dot
/// products d_ij = z_i·z_j of anchor row i, one cache-resident pass after another computes the
/// softmax over j ≠ i of d/τ, the loss-specific target, and writes dL/dS_ij (times a per-row
/// weight) in place. Replaces about eight whole-matrix tensor passes (scale, mask, max, exp,
/// sum, divide, target, weight), which stream the N×N buffer through memory each time.
/// Plain C++ on raw arrays (no torch): the float version uses a vectorisable exp (Cephes'
/// polynomial, ≤ 2 ulp) and is compiled for AVX2/FMA as well as the baseline, picked at run time.

#include <cstdint>

namespace core::kernels {

enum class Target {
    Positives,     ///< SuNCEt / SupCon L_in: −Σ_c Y_ic log P_ic (label smoothing ε)
    MeanPositives, ///< SupCon L_out: G = p − [y_j = y_i, j ≠ i] / |P(i)|
    Partner,       ///< NT-Xent: G = p − [j = partner(i)], partner(i) = (i + N/2) mod N
};

struct RowArgs {
    const std::int32_t* labels = nullptr; ///< [N] class ids 0..classes-1 (not used by Partner)
    std::int64_t n = 0, classes = 0;
    double invTau = 1.0;
    double eps = 0.0; ///< Positives: label smoothing
    Target target = Target::Positives;
};

/// Rows [r0, r1) of `s` (finite dot products of unit vectors; row-major, `args.n` columns; row i is
/// anchor i, its own column is i) hold z_i·z_j on entry and dL/dS_ij · weight[i] on return (S = z
/// zᵀ/τ). Per row it writes lse[i] = log Σ_{j≠i} exp(S_ij), and for Positives ell[i] = ℓ_i and
/// qy[i] = the anchor's positive softmax mass Σ_{j≠i, y_j=y_i} p_ij (small values flag float
/// underflow).
void softmaxGradientRows(float* s, std::int64_t r0, std::int64_t r1, const RowArgs& args,
                         const float* weight, float* lse, float* ell, float* qy);
void softmaxGradientRows(double* s, std::int64_t r0, std::int64_t r1, const RowArgs& args,
                         const double* weight, double* lse, double* ell, double* qy);

} // namespace core::kernels
