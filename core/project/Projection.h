#pragma once
/// 3D projections of embeddings (Eigen): PCA and Fisher LDA, with sign-fixed axes and
/// orthogonal Procrustes alignment to the previous frame so clouds do not flip or spin
/// between snapshots.

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <vector>

namespace core {

/// A projection of N points to 3D.
struct Projection3D {
    Eigen::MatrixXf points;                       ///< N × 3
    Eigen::Matrix<float, Eigen::Dynamic, 3> axes; ///< D × 3 projection (after alignment)
    Eigen::RowVectorXf mean;                      ///< 1 × D centre subtracted before projecting
    std::array<double, 3> explained{}; ///< fraction of total variance along each axis (PCA);
                                       ///< for LDA: share of between-class separation
};

/// Row-major view of N × D floats.
using ConstRowMatrix =
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

/// PCA to 3D from the D × D covariance (SelfAdjointEigenSolver); each axis's sign makes its
/// largest-magnitude loading positive. D < 3 pads with zero axes.
Projection3D pca3(const ConstRowMatrix& x);

/// Fisher LDA to 3D: the leading eigenvectors of S_w⁻¹ S_b (S_w regularised), orthonormalised.
/// Falls back to PCA axes when fewer than 2 classes are present.
Projection3D lda3(const ConstRowMatrix& x, const std::vector<std::int64_t>& labels, int numClasses);

/// Rotates (orthogonally, reflections allowed) `current` so its points best match `previous`
/// (same points, same order): orthogonal Procrustes. Axes are rotated along. No-op when the
/// sizes differ.
void alignTo(Projection3D& current, const Eigen::MatrixXf& previous);

/// The same for plain row-major point lists [N·3] (e.g. to compare two runs' clouds on the
/// same probe points). Returns false and leaves `points` alone when the sizes differ.
bool alignPointsTo(std::vector<float>& points, const std::vector<float>& reference);

} // namespace core
