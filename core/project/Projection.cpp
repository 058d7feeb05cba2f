#include "core/project/Projection.h"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <algorithm>

// BLAS symmetric rank-k update (Fortran interface; OpenBLAS through Debian's libblas.so.3).
extern "C" void ssyrk_(const char* uplo, const char* trans, const int* n, const int* k,
                       const float* alpha, const float* a, const int* lda, const float* beta,
                       float* c, const int* ldc);

namespace core {

namespace {

/// Each axis's sign: largest-magnitude loading positive (deterministic across runs).
void fixSigns(Eigen::Matrix<float, Eigen::Dynamic, 3>& axes) {
    for (int k = 0; k < 3; ++k) {
        Eigen::Index i = 0;
        axes.col(k).cwiseAbs().maxCoeff(&i);
        if (axes(i, k) < 0) axes.col(k) *= -1.0f;
    }
}

Projection3D project(const ConstRowMatrix& x, const Eigen::RowVectorXf& mean,
                     const Eigen::Matrix<float, Eigen::Dynamic, 3>& axes) {
    Projection3D p;
    p.mean = mean;
    p.axes = axes;
    // Evaluate the product into a matrix first (a GEMM); subtracting the projected mean after
    // avoids a centred copy of x.
    p.points.noalias() = x * axes;
    p.points.rowwise() -= mean * axes;
    return p;
}

/// Top-3 eigenvectors (descending eigenvalue) of a symmetric matrix, padded with zeros.
Eigen::Matrix<float, Eigen::Dynamic, 3> top3(const Eigen::MatrixXd& symmetric,
                                             std::array<double, 3>& values) {
    const Eigen::Index d = symmetric.rows();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(symmetric);
    Eigen::Matrix<float, Eigen::Dynamic, 3> axes =
        Eigen::Matrix<float, Eigen::Dynamic, 3>::Zero(d, 3);
    values = {0, 0, 0};
    for (int k = 0; k < 3 && k < d; ++k) {
        axes.col(k) = eig.eigenvectors().col(d - 1 - k).cast<float>();
        values[std::size_t(k)] = std::max(0.0, eig.eigenvalues()(d - 1 - k));
    }
    return axes;
}

} // namespace

Projection3D pca3(const ConstRowMatrix& x) {
    const Eigen::Index n = x.rows(), d = x.cols();
    // Column sums as a matrix-vector product: rows are contiguous, and a colwise() reduction over
    // a row-major map strides through memory (measured 13 ms against 3 ms at 70k × 128).
    const Eigen::RowVectorXf sums =
        n > 0 ? Eigen::RowVectorXf(Eigen::RowVectorXf::Ones(n) * x) : Eigen::RowVectorXf::Zero(d);
    const Eigen::RowVectorXd meanD = sums.cast<double>() / double(std::max<Eigen::Index>(1, n));
    const Eigen::RowVectorXf mean = meanD.cast<float>();
    // Gram matrix XᵀX with one BLAS rank-k update straight on the row-major data (it is XᵀX's
    // column-major transpose), no centred copy: cov = (XᵀX − n·μᵀμ) / (n − 1).
    Eigen::MatrixXf gram = Eigen::MatrixXf::Zero(d, d);
    if (n > 0) {
        const int di = int(d), ni = int(n);
        const float one = 1.0f, zero = 0.0f;
        ssyrk_("L", "N", &di, &ni, &one, x.data(), &di, &zero, gram.data(), &di);
    }
    Eigen::MatrixXd covd = Eigen::MatrixXf(gram.selfadjointView<Eigen::Lower>()).cast<double>();
    covd -= double(n) * meanD.transpose() * meanD;
    covd /= double(std::max<Eigen::Index>(1, n - 1));
    std::array<double, 3> values{};
    auto axes = top3(covd, values);
    fixSigns(axes);
    Projection3D p = project(x, mean, axes);
    const double total = std::max(1e-30, covd.trace());
    for (int k = 0; k < 3; ++k)
        p.explained[std::size_t(k)] = values[std::size_t(k)] / total;
    return p;
}

Projection3D lda3(const ConstRowMatrix& x, const std::vector<std::int64_t>& labels,
                  int numClasses) {
    const Eigen::Index n = x.rows(), d = x.cols();
    std::vector<Eigen::Index> counts(std::size_t(std::max(0, numClasses)), 0);
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(std::max(0, numClasses), d);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto c = labels[std::size_t(i)];
        if (c < 0 || c >= numClasses) continue;
        ++counts[std::size_t(c)];
        sums.row(c) += x.row(i).cast<double>();
    }
    int present = 0;
    for (auto c : counts)
        present += c > 0;
    if (present < 2 || n == 0) return pca3(x);
    const Eigen::RowVectorXd mean = x.colwise().mean().cast<double>();
    Eigen::MatrixXd within = Eigen::MatrixXd::Zero(d, d), between = Eigen::MatrixXd::Zero(d, d);
    Eigen::MatrixXd centredWithin(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto c = labels[std::size_t(i)];
        centredWithin.row(i) =
            c >= 0 && c < numClasses
                ? Eigen::RowVectorXd(x.row(i).cast<double>() -
                                     sums.row(c) / double(counts[std::size_t(c)]))
                : Eigen::RowVectorXd::Zero(d);
    }
    within.selfadjointView<Eigen::Lower>().rankUpdate(centredWithin.transpose(), 1.0 / double(n));
    within = within.selfadjointView<Eigen::Lower>();
    for (int c = 0; c < numClasses; ++c) {
        if (counts[std::size_t(c)] == 0) continue;
        const Eigen::RowVectorXd diff = sums.row(c) / double(counts[std::size_t(c)]) - mean;
        between += (double(counts[std::size_t(c)]) / double(n)) * diff.transpose() * diff;
    }
    // Regularise S_w, whiten with its inverse square root, and diagonalise the whitened S_b.
    const double ridge = 1e-3 * std::max(1e-12, within.trace() / double(d));
    within.diagonal().array() += ridge;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> w(within);
    const Eigen::MatrixXd whiten = w.operatorInverseSqrt();
    std::array<double, 3> values{};
    const Eigen::MatrixXd m = whiten * between * whiten;
    Eigen::Matrix<float, Eigen::Dynamic, 3> dirs = top3(0.5 * (m + m.transpose()), values);
    // Back to input space, then orthonormalise so the 3D view is a rigid projection.
    Eigen::MatrixXd axes = whiten * dirs.cast<double>();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(axes);
    Eigen::MatrixXd q =
        qr.householderQ() * Eigen::MatrixXd::Identity(d, std::min<Eigen::Index>(3, d));
    Eigen::Matrix<float, Eigen::Dynamic, 3> ortho =
        Eigen::Matrix<float, Eigen::Dynamic, 3>::Zero(d, 3);
    ortho.leftCols(q.cols()) = q.cast<float>();
    fixSigns(ortho);
    Projection3D p = project(x, mean.cast<float>(), ortho);
    const double total = std::max(1e-30, values[0] + values[1] + values[2]);
    for (int k = 0; k < 3; ++k)
        p.explained[std::size_t(k)] = values[std::size_t(k)] / total;
    return p;
}

void alignTo(Projection3D& current, const Eigen::MatrixXf& previous) {
    if (previous.rows() != current.points.rows() || previous.cols() != 3 || previous.rows() < 3)
        return;
    const Eigen::RowVector3f pc = previous.colwise().mean(), cc = current.points.colwise().mean();
    const Eigen::Matrix3f m =
        (current.points.rowwise() - cc).transpose() * (previous.rowwise() - pc);
    Eigen::JacobiSVD<Eigen::Matrix3f> svd(m, Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Eigen::Matrix3f r = svd.matrixU() * svd.matrixV().transpose();
    current.points = current.points * r;
    current.axes = current.axes * r;
}

bool alignPointsTo(std::vector<float>& points, const std::vector<float>& reference) {
    if (points.size() != reference.size() || points.size() % 3 != 0 || points.size() < 9)
        return false;
    using Rows = Eigen::Matrix<float, Eigen::Dynamic, 3, Eigen::RowMajor>;
    const auto n = Eigen::Index(points.size() / 3);
    Projection3D p;
    p.points = Eigen::Map<const Rows>(points.data(), n, 3);
    alignTo(p, Eigen::Map<const Rows>(reference.data(), n, 3));
    Eigen::Map<Rows>(points.data(), n, 3) = p.points;
    return true;
}

} // namespace core
