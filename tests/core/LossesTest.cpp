// The losses against LOSSES.md: hand-computed cases, a float64 reference written here from the
// formulas (autograd for its gradient), finite differences, invariances, extreme temperatures.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "core/loss/Losses.h"

namespace {

using torch::Tensor;
constexpr double kInf = std::numeric_limits<double>::infinity();

class LossesTest : public ::testing::Test {
  protected:
    void SetUp() override { torch::manual_seed(1234); }
};

// ---- Reference implementations, literally from LOSSES.md, in float64 with plain autograd ----

Tensor refLogits(const Tensor& x, double tau) {
    const Tensor z = x / x.norm(2, 1, true).clamp_min(1e-12);
    Tensor s = z.mm(z.t()) / tau;
    const auto n = x.size(0);
    return s.masked_fill(torch::eye(n, torch::kBool), -kInf); // exclude the anchor itself
}

/// Returns {loss, anchors_without_positives}.
std::pair<Tensor, int> refSuncet(const Tensor& x, const Tensor& y, double tau, double eps) {
    const auto n = x.size(0);
    const Tensor logp = refLogits(x, tau).log_softmax(1);
    const auto [uniq, local] = at::_unique(y, true, true);
    const auto c = uniq.size(0);
    const Tensor Y =
        torch::nn::functional::one_hot(local, c).to(torch::kDouble) * (1 - eps) + eps / double(c);
    Tensor total = torch::zeros({}, torch::kDouble);
    int valid = 0, without = 0;
    for (int64_t i = 0; i < n; ++i) {
        bool hasPos = false;
        for (int64_t j = 0; j < n; ++j)
            hasPos |= (j != i && y[j].item<int64_t>() == y[i].item<int64_t>());
        if (!hasPos) {
            ++without;
            continue;
        }
        Tensor li = torch::zeros({}, torch::kDouble);
        for (int64_t k = 0; k < c; ++k) {
            // log P_ik = logsumexp_j (log p_ij + log Y_jk) over j ≠ i
            const Tensor logPik = (logp[i] + Y.select(1, k).log())
                                      .masked_fill(torch::arange(n) == i, -kInf)
                                      .logsumexp(0);
            if (Y[i][k].item<double>() > 0) li = li - Y[i][k] * logPik;
        }
        total = total + li;
        ++valid;
    }
    return {valid ? total / valid : total, without};
}

Tensor refSupcon(const Tensor& x, const Tensor& y, double tau, double base, bool in,
                 int64_t anchors) {
    const auto n = x.size(0);
    const Tensor logq = refLogits(x, tau).log_softmax(1);
    Tensor total = torch::zeros({}, torch::kDouble);
    for (int64_t i = 0; i < anchors; ++i) {
        std::vector<int64_t> pos;
        for (int64_t j = 0; j < n; ++j)
            if (j != i && y[j].item<int64_t>() == y[i].item<int64_t>()) pos.push_back(j);
        if (pos.empty()) continue;
        const Tensor lp = logq[i].index_select(0, torch::tensor(pos));
        const Tensor li = in ? -(lp.logsumexp(0) - std::log(double(pos.size()))) : -lp.mean();
        total = total + (tau / base) * li;
    }
    return total / double(anchors);
}

Tensor refNtxent(const Tensor& x, double tau) {
    const auto n = x.size(0);
    const Tensor logq = refLogits(x, tau).log_softmax(1);
    Tensor total = torch::zeros({}, torch::kDouble);
    for (int64_t i = 0; i < n; ++i)
        total = total - logq[i][(i + n / 2) % n];
    return total / double(n);
}

Tensor gradOf(const std::function<Tensor(const Tensor&)>& f, const Tensor& x0) {
    Tensor x = x0.clone().set_requires_grad(true);
    f(x).backward();
    return x.grad();
}

} // namespace

TEST_F(LossesTest, SuncetHandComputedTwoPairs) {
    // Two orthogonal pairs: anchors see their positive at cos 1 and two negatives at cos 0.
    const Tensor x =
        torch::tensor({{1.0, 0.0}, {2.0, 0.0}, {0.0, 1.0}, {0.0, 3.0}}, torch::kDouble);
    const Tensor y = torch::tensor({0, 0, 1, 1});
    const double tau = 0.5;
    // ℓ = −log(e^{1/τ} / (e^{1/τ} + 2)) for every anchor.
    const double expected = -std::log(std::exp(1 / tau) / (std::exp(1 / tau) + 2.0));
    EXPECT_NEAR(core::suncet(x, y, {tau, 0.0}).loss.item<double>(), expected, 1e-12);
    // SupCon L_in = L_out = SuNCEt here (one positive each), times τ/τ_base.
    EXPECT_NEAR(core::supcon(x, y, {tau, tau}).loss.item<double>(), expected, 1e-12);
    EXPECT_NEAR(core::supcon(x, y, {tau, 1.0}).loss.item<double>(), expected * tau, 1e-12);
    // NT-Xent with partners (0,2),(1,3): anchor 0's partner is orthogonal; its negatives: one at
    // cos 1 and one at 0. ℓ = −log(1 / (e^{1/τ} + 2)).
    EXPECT_NEAR(core::ntxent(x, {tau}).loss.item<double>(), std::log(std::exp(1 / tau) + 2.0),
                1e-12);
}

TEST_F(LossesTest, AnchorsWithoutPositivesExcludedAndCounted) {
    const Tensor x = torch::randn({6, 4}, torch::kDouble);
    const Tensor y = torch::tensor({0, 0, 1, 2, 2, 3});
    const auto s = core::suncet(x, y, {0.2, 0.0});
    EXPECT_EQ(s.anchorsWithoutPositives, 2);
    EXPECT_NEAR(s.loss.item<double>(), refSuncet(x, y, 0.2, 0.0).first.item<double>(), 1e-10);
    EXPECT_EQ(refSuncet(x, y, 0.2, 0.0).second, 2);
    const auto sc = core::supcon(x, y, {0.2, 0.07});
    EXPECT_EQ(sc.anchorsWithoutPositives, 2);
    EXPECT_NEAR(sc.loss.item<double>(), refSupcon(x, y, 0.2, 0.07, false, 6).item<double>(), 1e-10);
    // No positives at all: the SuNCEt mean is over zero anchors → 0, not NaN.
    const auto none = core::suncet(x, torch::arange(6), {0.2, 0.0});
    EXPECT_EQ(none.anchorsWithoutPositives, 6);
    EXPECT_EQ(none.loss.item<double>(), 0.0);
}

TEST_F(LossesTest, MatchFloat64ReferenceInValueAndGradient) {
    const Tensor x = torch::randn({24, 8}, torch::kDouble);
    const Tensor y = torch::randint(0, 4, {24});
    for (double eps : {0.0, 0.1}) {
        auto mine = [&](const Tensor& t) { return core::suncet(t, y, {0.1, eps}).loss; };
        auto ref = [&](const Tensor& t) { return refSuncet(t, y, 0.1, eps).first; };
        EXPECT_NEAR(mine(x).item<double>(), ref(x).item<double>(),
                    1e-10 * std::abs(ref(x).item<double>()));
        EXPECT_TRUE(torch::allclose(gradOf(mine, x), gradOf(ref, x), 1e-8, 1e-10))
            << "suncet eps " << eps;
    }
    for (bool in : {false, true}) {
        auto mine = [&](const Tensor& t) {
            return core::supcon(
                       t, y, {0.07, 0.1, in ? core::SupConVariant::In : core::SupConVariant::Out})
                .loss;
        };
        auto ref = [&](const Tensor& t) { return refSupcon(t, y, 0.07, 0.1, in, 24); };
        EXPECT_NEAR(mine(x).item<double>(), ref(x).item<double>(),
                    1e-10 * std::abs(ref(x).item<double>()));
        EXPECT_TRUE(torch::allclose(gradOf(mine, x), gradOf(ref, x), 1e-8, 1e-10))
            << "supcon in=" << in;
    }
    // Contrast mode "one": only view-0 rows are anchors.
    auto mineOne = [&](const Tensor& t) {
        return core::supcon(t, y, {0.1, 0.1, core::SupConVariant::Out, core::ContrastMode::One, 2})
            .loss;
    };
    auto refOne = [&](const Tensor& t) { return refSupcon(t, y, 0.1, 0.1, false, 12); };
    EXPECT_NEAR(mineOne(x).item<double>(), refOne(x).item<double>(), 1e-10);
    EXPECT_TRUE(torch::allclose(gradOf(mineOne, x), gradOf(refOne, x), 1e-8, 1e-10));
    auto mineNt = [&](const Tensor& t) { return core::ntxent(t, {0.5}).loss; };
    auto refNt = [&](const Tensor& t) { return refNtxent(t, 0.5); };
    EXPECT_NEAR(mineNt(x).item<double>(), refNt(x).item<double>(), 1e-10);
    EXPECT_TRUE(torch::allclose(gradOf(mineNt, x), gradOf(refNt, x), 1e-8, 1e-10));
}

TEST_F(LossesTest, Float32AgreesWithFloat64Reference) {
    const Tensor x = torch::randn({64, 16}, torch::kDouble);
    const Tensor y = torch::randint(0, 5, {64});
    const double ref = refSuncet(x, y, 0.1, 0.0).first.item<double>();
    EXPECT_NEAR(core::suncet(x.to(torch::kFloat), y, {0.1, 0.0}).loss.item<double>(), ref,
                2e-6 * std::abs(ref));
}

TEST_F(LossesTest, GradientMatchesFiniteDifferences) {
    const Tensor x = torch::randn({10, 5}, torch::kDouble);
    const Tensor y = torch::tensor({0, 1, 2, 0, 1, 2, 0, 1, 2, 3});
    const std::vector<std::function<Tensor(const Tensor&)>> losses = {
        [&](const Tensor& t) {
            return core::suncet(t, y, {0.3, 0.0}).loss;
        },
        [&](const Tensor& t) {
            return core::suncet(t, y, {0.3, 0.2}).loss;
        },
        [&](const Tensor& t) {
            return core::supcon(t, y, {0.3, 0.07}).loss;
        },
        [&](const Tensor& t) {
            return core::supcon(t, y, {0.3, 0.07, core::SupConVariant::In}).loss;
        },
        [&](const Tensor& t) { return core::ntxent(t, {0.3}).loss; },
    };
    for (std::size_t k = 0; k < losses.size(); ++k) {
        const Tensor g = gradOf(losses[k], x);
        const double h = 1e-6;
        for (int64_t i = 0; i < x.size(0); ++i)
            for (int64_t d = 0; d < x.size(1); ++d) {
                Tensor xp = x.clone(), xm = x.clone();
                xp[i][d] += h;
                xm[i][d] -= h;
                const double fd =
                    (losses[k](xp).item<double>() - losses[k](xm).item<double>()) / (2 * h);
                EXPECT_NEAR(g[i][d].item<double>(), fd, 1e-7)
                    << "loss " << k << " at " << i << "," << d;
            }
    }
}

TEST_F(LossesTest, InvariantToEmbeddingScaleAndLabelPermutation) {
    const Tensor x = torch::randn({32, 8});
    const Tensor y = torch::randint(0, 4, {32});
    const Tensor perm = torch::tensor({2, 0, 3, 1});
    const Tensor yPermuted = perm.index_select(0, y);
    const double base = core::suncet(x, y).loss.item<double>();
    EXPECT_NEAR(core::suncet(x * 37.5, y).loss.item<double>(), base, 1e-5);
    EXPECT_NEAR(core::suncet(x, yPermuted).loss.item<double>(), base, 1e-5);
    EXPECT_NEAR(core::suncet(x, y, {0.1, 0.1}).loss.item<double>(),
                core::suncet(x, yPermuted, {0.1, 0.1}).loss.item<double>(), 1e-5);
    const double sc = core::supcon(x, y).loss.item<double>();
    EXPECT_NEAR(core::supcon(x * 0.01, yPermuted).loss.item<double>(), sc, 1e-4);
}

TEST_F(LossesTest, TinyTemperatureStaysFiniteAndExact) {
    // At τ = 0.01 the positive mass of some anchors underflows float32; values stay exact.
    Tensor x = torch::randn({40, 6}, torch::kDouble);
    const Tensor y = torch::randint(0, 3, {40});
    // Push one positive pair far apart so its softmax mass is e^{-150} or so.
    x[0] = torch::tensor({1.0, 0.0, 0.0, 0.0, 0.0, 0.0});
    x[1] = torch::tensor({-1.0, 0.0, 0.0, 0.0, 0.0, 0.0});
    Tensor yy = y.clone();
    yy[0] = 7;
    yy[1] = 7;
    for (double tau : {0.01, 0.05}) {
        const double ref = refSuncet(x, yy, tau, 0.0).first.item<double>();
        const auto f32 = core::suncet(x.to(torch::kFloat).set_requires_grad(true), yy, {tau, 0.0});
        EXPECT_TRUE(std::isfinite(f32.loss.item<double>()));
        EXPECT_NEAR(f32.loss.item<double>(), ref, 1e-5 * std::abs(ref)) << tau;
        f32.loss.backward();
        const double refIn = refSupcon(x, yy, tau, tau, true, 40).item<double>();
        EXPECT_NEAR(core::supcon(x.to(torch::kFloat), yy, {tau, tau, core::SupConVariant::In})
                        .loss.item<double>(),
                    refIn, 1e-5 * std::abs(refIn));
        EXPECT_TRUE(std::isfinite(core::ntxent(x.to(torch::kFloat), {tau}).loss.item<double>()));
    }
    // The exact path's gradient agrees with the reference's too.
    auto mine = [&](const Tensor& t) {
        return core::suncet(t.to(torch::kFloat), yy, {0.01, 0.0}).loss.to(torch::kDouble);
    };
    auto ref = [&](const Tensor& t) { return refSuncet(t, yy, 0.01, 0.0).first; };
    EXPECT_TRUE(torch::allclose(gradOf(mine, x), gradOf(ref, x), 1e-3, 1e-4));
}

TEST_F(LossesTest, LargeBatchRuns) {
    const Tensor x = torch::randn({4096, 128}).set_requires_grad(true);
    const Tensor y = torch::randint(0, 10, {4096});
    const auto out = core::suncet(x, y);
    out.loss.backward();
    EXPECT_TRUE(std::isfinite(out.loss.item<double>()));
    EXPECT_EQ(x.grad().sizes(), x.sizes());
    EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());
}

TEST_F(LossesTest, BadShapesAreErrors) {
    EXPECT_THROW(core::suncet(torch::randn({5}), torch::zeros({5}, torch::kLong)), std::exception);
    EXPECT_THROW(core::suncet(torch::randn({5, 3}), torch::zeros({4}, torch::kLong)),
                 std::exception);
    EXPECT_THROW(core::ntxent(torch::randn({5, 3})), std::exception);
    EXPECT_THROW(core::supcon(torch::randn({6, 3}), torch::zeros({6}, torch::kLong),
                              {0.1, 0.1, core::SupConVariant::Out, core::ContrastMode::All, 4}),
                 std::exception);
}

// The fused CPU rows (SoftmaxRows) against the whole-tensor path CUDA uses: same values and
// gradients for every loss and option, in float32 (vectorised exp) and float64.
TEST_F(LossesTest, FusedRowsAgreeWithWholeTensorPath) {
    const Tensor x = torch::randn({96, 12}, torch::kDouble);
    const Tensor y = torch::randint(0, 6, {96});
    const std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> losses = {
        {"suncet",
         [&](const Tensor& t) {
             return core::suncet(t, y, {0.1, 0.0}).loss;
         }},
        {"suncet eps",
         [&](const Tensor& t) {
             return core::suncet(t, y, {0.2, 0.1}).loss;
         }},
        {"supcon out",
         [&](const Tensor& t) {
             return core::supcon(t, y, {0.07, 0.07}).loss;
         }},
        {"supcon in",
         [&](const Tensor& t) {
             return core::supcon(t, y, {0.07, 0.1, core::SupConVariant::In}).loss;
         }},
        {"supcon one",
         [&](const Tensor& t) {
             return core::supcon(t, y,
                                 {0.1, 0.1, core::SupConVariant::Out, core::ContrastMode::One, 2})
                 .loss;
         }},
        {"ntxent", [&](const Tensor& t) { return core::ntxent(t, {0.5}).loss; }},
    };
    for (auto dtype : {torch::kDouble, torch::kFloat}) {
        const double tol = dtype == torch::kDouble ? 1e-12 : 2e-6;
        const Tensor xt = x.to(dtype);
        for (const auto& [name, f] : losses) {
            core::setFusedCpuLosses(true);
            const Tensor fusedValue = f(xt), fusedGrad = gradOf(f, xt);
            core::setFusedCpuLosses(false);
            const Tensor plainValue = f(xt), plainGrad = gradOf(f, xt);
            core::setFusedCpuLosses(true);
            EXPECT_NEAR(fusedValue.item<double>(), plainValue.item<double>(),
                        tol * std::abs(plainValue.item<double>()))
                << name << " " << dtype;
            EXPECT_TRUE(torch::allclose(fusedGrad, plainGrad, tol * 10, tol))
                << name << " " << dtype << " max diff "
                << (fusedGrad - plainGrad).abs().max().item<double>();
        }
    }
}

TEST_F(LossesTest, NonFiniteEmbeddingsGiveANonFiniteLoss) {
    Tensor x = torch::randn({20, 4});
    x[3][1] = std::numeric_limits<float>::quiet_NaN();
    const Tensor y = torch::arange(20).remainder(4);
    EXPECT_FALSE(std::isfinite(core::suncet(x, y).loss.item<double>()));
    EXPECT_FALSE(std::isfinite(core::supcon(x, y).loss.item<double>()));
    EXPECT_FALSE(std::isfinite(core::ntxent(x).loss.item<double>()));
}
