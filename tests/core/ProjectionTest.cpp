// PCA / LDA to 3D and Procrustes alignment (Eigen, no torch).
#include <gtest/gtest.h>

#include <Eigen/QR>

#include <random>

#include "core/project/Projection.h"

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Eigen::MatrixXf randomOrthogonal(int d, std::mt19937& rng) {
    std::normal_distribution<float> n01;
    Eigen::MatrixXf a(d, d);
    for (int i = 0; i < a.size(); ++i)
        a.data()[i] = n01(rng);
    Eigen::HouseholderQR<Eigen::MatrixXf> qr(a);
    return qr.householderQ();
}

/// N points in D dims with standard deviations `sd` along the columns of `basis`.
RowMatrix gaussian(int n, const std::vector<float>& sd, const Eigen::MatrixXf& basis,
                   std::mt19937& rng) {
    std::normal_distribution<float> n01;
    const int d = int(sd.size());
    Eigen::MatrixXf z(n, d);
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < d; ++k)
            z(i, k) = sd[std::size_t(k)] * n01(rng);
    return z * basis.transpose();
}

core::ConstRowMatrix view(const RowMatrix& m) {
    return core::ConstRowMatrix(m.data(), m.rows(), m.cols());
}

} // namespace

TEST(Projection, PcaFindsKnownPrincipalAxes) {
    std::mt19937 rng(1);
    const Eigen::MatrixXf basis = randomOrthogonal(6, rng);
    const RowMatrix x = gaussian(20000, {3.0f, 2.0f, 1.0f, 0.1f, 0.1f, 0.1f}, basis, rng);
    const auto p = core::pca3(view(x));
    for (int k = 0; k < 3; ++k)
        EXPECT_GT(std::abs(p.axes.col(k).dot(basis.col(k))), 0.99f) << "axis " << k;
    const double total = 9 + 4 + 1 + 0.03;
    EXPECT_NEAR(p.explained[0], 9 / total, 0.02);
    EXPECT_NEAR(p.explained[1], 4 / total, 0.02);
    EXPECT_NEAR(p.explained[2], 1 / total, 0.01);
    EXPECT_EQ(p.points.rows(), 20000);
    // Projected coordinates carry those variances.
    const Eigen::RowVector3f var = p.points.array().square().colwise().mean();
    EXPECT_NEAR(var(0), 9.0f, 0.3f);
    EXPECT_NEAR(var(2), 1.0f, 0.05f);
}

TEST(Projection, SignsAreFixedAndDeterministic) {
    std::mt19937 rng(2);
    const RowMatrix x = gaussian(500, {2.0f, 1.0f, 0.5f, 0.2f}, randomOrthogonal(4, rng), rng);
    const auto a = core::pca3(view(x)), b = core::pca3(view(x));
    EXPECT_TRUE(a.points.isApprox(b.points));
    const RowMatrix neg = -x;
    const auto c = core::pca3(view(neg));
    EXPECT_TRUE(c.axes.isApprox(a.axes, 1e-4f)); // same axes, largest loading positive
    EXPECT_TRUE(c.points.isApprox(-a.points, 1e-4f));
    for (int k = 0; k < 3; ++k) {
        Eigen::Index i;
        a.axes.col(k).cwiseAbs().maxCoeff(&i);
        EXPECT_GT(a.axes(i, k), 0.0f);
    }
}

TEST(Projection, AlignmentKeepsARotatedCopyInPlace) {
    std::mt19937 rng(3);
    const RowMatrix x =
        gaussian(1000, {2.0f, 1.5f, 1.0f, 0.3f, 0.3f}, randomOrthogonal(5, rng), rng);
    const auto before = core::pca3(view(x));
    // The same cloud rotated and reflected in 3D: alignment puts it back.
    core::Projection3D moved = before;
    Eigen::Matrix3f q = randomOrthogonal(3, rng);
    q.col(0) *= -1.0f;
    moved.points = before.points * q;
    moved.axes = before.axes * q;
    core::alignTo(moved, before.points);
    EXPECT_LT((moved.points - before.points).cwiseAbs().maxCoeff(), 1e-3f);
    EXPECT_LT((moved.axes - before.axes).cwiseAbs().maxCoeff(), 1e-4f);
    // A slightly perturbed next frame stays close instead of flipping.
    RowMatrix next = x + RowMatrix::Constant(x.rows(), x.cols(), 0.01f);
    auto after = core::pca3(view(next));
    core::alignTo(after, before.points);
    EXPECT_LT((after.points - before.points).rowwise().norm().mean(), 0.05f);
}

TEST(Projection, PlainPointListsAlignToAReference) {
    std::mt19937 rng(5);
    std::normal_distribution<float> n01;
    std::vector<float> reference(300);
    for (auto& v : reference)
        v = n01(rng);
    const Eigen::Matrix3f q = randomOrthogonal(3, rng);
    std::vector<float> rotated(reference.size());
    for (std::size_t i = 0; i < reference.size() / 3; ++i)
        for (int c = 0; c < 3; ++c) {
            float v = 0;
            for (int k = 0; k < 3; ++k)
                v += reference[3 * i + std::size_t(k)] * q(k, c);
            rotated[3 * i + std::size_t(c)] = v;
        }
    ASSERT_TRUE(core::alignPointsTo(rotated, reference));
    for (std::size_t i = 0; i < reference.size(); ++i)
        ASSERT_NEAR(rotated[i], reference[i], 1e-4f) << i;
    std::vector<float> shorter(reference.begin(), reference.end() - 3);
    const auto copy = shorter;
    EXPECT_FALSE(core::alignPointsTo(shorter, reference));
    EXPECT_EQ(shorter, copy);
}

TEST(Projection, LdaSeparatesClassesThatPcaMisses) {
    // Classes differ along a low-variance direction; a high-variance nuisance dominates PCA.
    std::mt19937 rng(4);
    std::normal_distribution<float> n01;
    const int n = 3000, d = 8;
    RowMatrix x(n, d);
    std::vector<std::int64_t> y(n);
    for (int i = 0; i < n; ++i) {
        y[std::size_t(i)] = i % 3;
        for (int k = 0; k < d; ++k)
            x(i, k) = 0.2f * n01(rng);
        x(i, 0) = 10.0f * n01(rng);                     // nuisance
        x(i, 5) += 1.0f * float(y[std::size_t(i)] - 1); // class signal
    }
    const auto lda = core::lda3(view(x), y, 3);
    const auto pca = core::pca3(view(x));
    EXPECT_GT(std::abs(lda.axes(5, 0)), 0.9f);
    EXPECT_GT(std::abs(pca.axes(0, 0)), 0.9f);
    EXPECT_GT(lda.explained[0],
              0.9); // two classes' worth of separation lives in one direction here
    // Orthonormal axes.
    const Eigen::Matrix3f gram = lda.axes.transpose() * lda.axes;
    EXPECT_TRUE(gram.isIdentity(1e-4f));
}
