// Stratified sampling, the learning-rate schedule and run configs (plain C++, no torch).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "core/data/Sampler.h"
#include "core/train/Schedule.h"
#include "core/train/TrainConfig.h"
#include "core/util/Error.h"

namespace {
std::vector<std::int64_t> cyclicLabels(int n, int classes) {
    std::vector<std::int64_t> y(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        y[std::size_t(i)] = i % classes;
    return y;
}
} // namespace

TEST(StratifiedSampler, ClassInterleavedDistinctClassesAndPositives) {
    const auto labels = cyclicLabels(1000, 10);
    core::StratifiedSampler s(labels, 10, 7);
    const auto batch = s.next(4, 5);
    ASSERT_EQ(batch.size(), 20u);
    const auto& classes = s.lastClasses();
    ASSERT_EQ(classes.size(), 4u);
    EXPECT_EQ(std::set<int>(classes.begin(), classes.end()).size(), 4u);
    for (std::size_t r = 0; r < batch.size(); ++r)
        EXPECT_EQ(labels[std::size_t(batch[r])], classes[r % 4]) << r;
    EXPECT_EQ(std::set<std::int64_t>(batch.begin(), batch.end()).size(), 20u); // no repeats
}

TEST(StratifiedSampler, WalksEveryClassOncePerPermutation) {
    const auto labels = cyclicLabels(500, 10);
    core::StratifiedSampler s(labels, 10, 1);
    std::map<int, int> seen;
    for (int b = 0; b < 5; ++b) {
        s.next(2, 3);
        for (int c : s.lastClasses())
            ++seen[c];
    }
    EXPECT_EQ(seen.size(), 10u);
    for (const auto& [c, n] : seen)
        EXPECT_EQ(n, 1) << c;
    // A wrap in the middle of a batch still gives distinct classes.
    for (int b = 0; b < 50; ++b) {
        s.next(3, 2);
        const auto& cl = s.lastClasses();
        EXPECT_EQ(std::set<int>(cl.begin(), cl.end()).size(), 3u);
    }
}

TEST(StratifiedSampler, SeededStateRoundTripAndEligibility) {
    const auto labels = cyclicLabels(300, 3);
    std::vector<std::uint8_t> eligible(300, 0);
    for (int i = 0; i < 30; ++i)
        eligible[std::size_t(i)] = 1;
    core::StratifiedSampler a(labels, 3, 42, eligible), b(labels, 3, 42, eligible);
    for (int k = 0; k < 3; ++k)
        EXPECT_EQ(a.next(3, 4), b.next(3, 4));
    for (auto i : a.next(3, 4))
        EXPECT_LT(i, 30);
    const std::string state = a.saveState();
    const auto expected = a.next(3, 4);
    core::StratifiedSampler c(labels, 3, 999, eligible);
    c.loadState(state);
    EXPECT_EQ(c.next(3, 4), expected);
    EXPECT_THROW(c.loadState("garbage"), core::Error);
}

TEST(UniformSampler, CoversThePoolEachEpoch) {
    core::UniformSampler u(10, 3);
    auto a = u.next(5), b = u.next(5);
    std::set<std::int64_t> all(a.begin(), a.end());
    all.insert(b.begin(), b.end());
    EXPECT_EQ(all.size(), 10u);
}

TEST(Schedule, WarmupThenCosineToFinal) {
    core::TrainConfig c;
    c.lr = 1.0;
    c.startLr = 0.0;
    c.finalLr = 0.1;
    c.warmup = 10;
    c.steps = 110;
    EXPECT_DOUBLE_EQ(core::learningRate(c, 0), 0.1);
    EXPECT_DOUBLE_EQ(core::learningRate(c, 9), 1.0);
    EXPECT_DOUBLE_EQ(core::learningRate(c, 10), 1.0);
    EXPECT_NEAR(core::learningRate(c, 60), 0.55, 1e-12); // halfway down the cosine
    EXPECT_NEAR(core::learningRate(c, 110), 0.1, 1e-12);
    c.steps = 0; // unknown length: hold lr
    EXPECT_DOUBLE_EQ(core::learningRate(c, 1000), 1.0);
}

TEST(TrainConfig, JsonRoundTripOverridesAndErrors) {
    core::TrainConfig c;
    c.loss = core::LossKind::SupConIn;
    c.temperature = 0.05;
    c.perClass = 7;
    const auto back = core::TrainConfig::fromJson(c.toJson(), "run.json");
    EXPECT_EQ(back.loss, core::LossKind::SupConIn);
    EXPECT_DOUBLE_EQ(back.temperature, 0.05);
    EXPECT_EQ(back.perClass, 7);
    const auto partial =
        core::TrainConfig::fromJson(R"({"lr": 0.5, "encoder": "cnn-small"})", "p.json");
    EXPECT_DOUBLE_EQ(partial.lr, 0.5);
    EXPECT_EQ(partial.encoder, "cnn-small");
    EXPECT_EQ(partial.perClass, 25);
    auto expectError = [](const std::string& text, const std::string& needle) {
        try {
            core::TrainConfig::fromJson(text, "bad.json");
            ADD_FAILURE() << text;
        } catch (const core::Error& e) {
            EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expectError(R"({"colour": 1})", "unknown key 'colour'");
    expectError(R"({"lr": "fast"})", "wrong type");
    expectError(R"({"temperature": 0})", "temperature");
    expectError(R"({"loss": "triplet"})", "unknown loss");
    expectError("{not json", "invalid JSON");
}

TEST(TrainConfig, LiveParametersValidateAndRejectStructural) {
    core::TrainConfig c;
    core::setLiveParameter(c, "temperature", 0.2);
    EXPECT_DOUBLE_EQ(core::getLiveParameter(c, "temperature"), 0.2);
    EXPECT_THROW(core::setLiveParameter(c, "temperature", -1), core::Error);
    EXPECT_DOUBLE_EQ(c.temperature, 0.2); // unchanged after a rejected value
    EXPECT_THROW(core::setLiveParameter(c, "encoder", 1), core::Error);
    core::setLiveParameter(c, "loss", double(int(core::LossKind::SupConOut)));
    EXPECT_EQ(c.loss, core::LossKind::SupConOut);
}
