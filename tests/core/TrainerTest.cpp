// The background trainer through its plain public API: convergence, commands, live parameters,
// non-finite recovery, stopping inside evaluations, determinism.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "core/data/DatasetLoader.h"
#include "core/train/Trainer.h"

namespace {

using namespace std::chrono_literals;

std::shared_ptr<const core::Dataset> load(const std::string& spec) {
    return std::make_shared<const core::Dataset>(core::loadDataset(spec));
}

core::TrainConfig quiet(std::int64_t steps) {
    core::TrainConfig c;
    c.steps = steps;
    c.threads = 2;
    c.snapshotEvery = 0;
    c.snapshotMs = 0;
    c.device = "cpu";
    return c;
}

/// Polls `pred` for up to `limit` (a generous bound; the tests assert behaviour, not speed).
template <typename Pred> bool eventually(Pred pred, std::chrono::milliseconds limit = 60000ms) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return pred();
}

std::vector<double> losses(const core::Trainer& t) {
    std::vector<double> out;
    for (const auto& r : t.recordsSince(0))
        out.push_back(r.loss);
    return out;
}

} // namespace

TEST(Trainer, ConvergesOnBlobs) {
    auto ds = load("builtin:blobs?separation=0.5&train=2000&test=500");
    core::Trainer t(ds, quiet(300));
    t.start();
    ASSERT_EQ(t.waitUntilSettled(), core::TrainerState::Finished) << t.failure();
    const auto m = t.finalMetrics();
    ASSERT_TRUE(m);
    EXPECT_GE(m->snnTop1, 0.95);
    EXPECT_EQ(m->queries, 500);
    EXPECT_EQ(m->references, 2000);
    const auto snap = t.latestSnapshot();
    ASSERT_TRUE(snap);
    EXPECT_EQ(snap->step, 300);
    EXPECT_EQ(snap->labels.size(), 500u);
    EXPECT_EQ(snap->embeddings.size(), 500u * 128u);
    EXPECT_EQ(snap->histograms.size(), 11u); // 10 classes + all
    EXPECT_EQ(snap->pca.points.size(), 500u * 3u);
    EXPECT_EQ(snap->lda.points.size(), 500u * 3u);
    EXPECT_EQ(snap->pca.knnAgreement.size(), 500u);
    EXPECT_GT(snap->pca.explained[0], snap->pca.explained[2]);
    // Trained: same-class pairs mostly more similar than different-class pairs.
    EXPECT_LT(snap->histograms.back().overlap, 0.2);
    EXPECT_EQ(t.recordsSince(0).size(), 300u);
}

TEST(Trainer, FashionMnistMlpSuncetReaches085) {
    if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
        GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    auto ds = load("/usr/share/datasets/fashion-mnist");
    auto c = quiet(300);
    c.probe = 100;
    core::Trainer t(ds, c);
    t.start();
    ASSERT_EQ(t.waitUntilSettled(), core::TrainerState::Finished) << t.failure();
    ASSERT_TRUE(t.finalMetrics());
    EXPECT_GE(t.finalMetrics()->snnTop1, 0.85);
    EXPECT_EQ(t.finalMetrics()->references, 60000);
}

TEST(Trainer, PauseStepResumeStop) {
    auto ds = load("builtin:blobs?train=500&test=100");
    core::Trainer t(ds, quiet(0));
    EXPECT_EQ(t.waitUntilSettled(), core::TrainerState::Idle);
    t.step(2);
    EXPECT_EQ(t.waitUntilSettled(), core::TrainerState::Paused);
    EXPECT_EQ(t.stepsDone(), 2);
    t.start();
    ASSERT_TRUE(eventually([&] { return t.stepsDone() >= 5; }));
    EXPECT_EQ(t.state(), core::TrainerState::Running);
    t.pause();
    EXPECT_EQ(t.waitUntilSettled(), core::TrainerState::Paused);
    const auto paused = t.stepsDone();
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(t.stepsDone(), paused);
    t.step(3);
    t.waitUntilSettled();
    EXPECT_EQ(t.stepsDone(), paused + 3);
    EXPECT_EQ(t.state(), core::TrainerState::Paused);
    t.resume();
    ASSERT_TRUE(eventually([&] { return t.stepsDone() > paused + 5; }));
    t.stop();
    EXPECT_EQ(t.state(), core::TrainerState::Stopped);
    const auto records = t.recordsSince(paused);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.front().step, paused + 1);
    bool sawPause = false, sawResume = false;
    for (const auto& e : t.eventsSince(0)) {
        sawPause |= e.name == "pause";
        sawResume |= e.name == "resume";
    }
    EXPECT_TRUE(sawPause && sawResume);
}

TEST(Trainer, LiveTemperatureLandsAtNextStepAndIsRecorded) {
    auto ds = load("builtin:blobs?train=500&test=100");
    core::Trainer changed(ds, quiet(0)), reference(ds, quiet(0));
    changed.step(3);
    reference.step(4);
    changed.waitUntilSettled();
    changed.setParameter("temperature", 0.5);
    EXPECT_DOUBLE_EQ(changed.config().temperature, 0.5);
    changed.step(1);
    changed.waitUntilSettled();
    reference.waitUntilSettled();
    const auto a = losses(changed), b = losses(reference);
    ASSERT_EQ(a.size(), 4u);
    ASSERT_EQ(b.size(), 4u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(a[std::size_t(i)], b[std::size_t(i)]) << i;
    EXPECT_NE(a[3], b[3]); // the new temperature changed step 4's loss
    const auto events = changed.eventsSince(0);
    const auto it = std::find_if(events.begin(), events.end(),
                                 [](const auto& e) { return e.name == "temperature"; });
    ASSERT_NE(it, events.end());
    EXPECT_EQ(it->step, 4);
    EXPECT_DOUBLE_EQ(it->oldValue, 0.1);
    EXPECT_DOUBLE_EQ(it->newValue, 0.5);
    EXPECT_THROW(changed.setParameter("embed_dim", 64), core::Error);
    EXPECT_THROW(changed.setParameter("temperature", 0.0), core::Error);
}

TEST(Trainer, NonFiniteLossPausesRestoresAndResumes) {
    auto ds = load("builtin:blobs?train=500&test=100");
    auto c = quiet(0);
    c.checkpointEvery = 5;
    core::Trainer t(ds, c);
    t.step(10);
    t.waitUntilSettled();
    // lr 1e6 with weight decay 1 multiplies the weights by ~1e6 per step: they overflow.
    t.setParameter("lr", 1e6);
    t.setParameter("weight_decay", 1.0);
    t.start();
    ASSERT_EQ(t.waitUntilSettled(), core::TrainerState::Paused);
    const auto events = t.eventsSince(0);
    const auto it = std::find_if(events.begin(), events.end(),
                                 [](const auto& e) { return e.name == "nonfinite"; });
    ASSERT_NE(it, events.end());
    EXPECT_NE(it->message.find("step " + std::to_string(it->step)), std::string::npos)
        << it->message;
    EXPECT_NE(it->message.find("lr"), std::string::npos) << it->message;
    EXPECT_NE(it->message.find("restored"), std::string::npos) << it->message;
    // Back to sane values: training continues from the restored, finite weights.
    t.setParameter("lr", 0.1);
    t.setParameter("weight_decay", 1e-6);
    const auto before = t.stepsDone();
    t.step(5);
    t.waitUntilSettled();
    EXPECT_EQ(t.stepsDone(), before + 5);
    for (const auto& r : t.recordsSince(before))
        EXPECT_TRUE(std::isfinite(r.loss));
    EXPECT_LT(t.recordsSince(before).back().loss, 10.0);
}

TEST(Trainer, StopDuringLongEvaluationReturnsPromptly) {
    // One step, then a full evaluation against 200k references: seconds of work.
    auto ds = load("builtin:blobs?train=200000&test=20000&dim=32");
    auto c = quiet(1);
    c.probe = 10;
    core::Trainer t(ds, c);
    t.start();
    ASSERT_TRUE(eventually([&] { return t.stepsDone() >= 1; }));
    std::this_thread::sleep_for(200ms); // inside the evaluation now
    ASSERT_NE(t.state(), core::TrainerState::Finished) << "evaluation finished too quickly to test";
    const auto t0 = std::chrono::steady_clock::now();
    t.stop();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(seconds, 1.0);
    EXPECT_EQ(t.state(), core::TrainerState::Stopped);
}

TEST(Trainer, SameSeedSameThreadsGivesIdenticalLosses) {
    auto ds = load("builtin:shapes?train=600&test=100");
    auto c = quiet(15);
    c.encoder = "cnn-small";
    c.classesPerBatch = 5;
    c.perClass = 4;
    c.views = 2;
    c.loss = core::LossKind::SupConOut;
    c.probe = 50;
    core::Trainer a(ds, c), b(ds, c);
    a.start();
    b.start();
    a.waitUntilSettled();
    b.waitUntilSettled();
    EXPECT_EQ(losses(a), losses(b)); // bit-identical
    c.seed = 1;
    core::Trainer other(ds, c);
    other.start();
    other.waitUntilSettled();
    EXPECT_NE(losses(a), losses(other));
}

TEST(Trainer, SemiSupervisedRecordsBothComponentsAndSwitchesOff) {
    core::LoadOptions load;
    load.labelledFraction = 0.1;
    auto ds = std::make_shared<const core::Dataset>(
        core::loadDataset("builtin:blobs?train=1000&test=100", load));
    auto c = quiet(6);
    c.loss = core::LossKind::SimCLRSuNCEt;
    c.unlabelledBatch = 64;
    c.suncetSteps = 3;
    core::Trainer t(ds, c);
    t.start();
    ASSERT_EQ(t.waitUntilSettled(), core::TrainerState::Finished) << t.failure();
    const auto r = t.recordsSince(0);
    ASSERT_EQ(r.size(), 6u);
    EXPECT_TRUE(r[0].components.count("ntxent") && r[0].components.count("suncet"));
    EXPECT_NEAR(r[0].loss, r[0].components.at("ntxent") + r[0].components.at("suncet"), 1e-5);
    EXPECT_FALSE(r[4].components.count("suncet")); // switched off after 3 steps
}

TEST(Trainer, StructuralMismatchFailsWithAMessage) {
    auto ds = load("builtin:blobs?train=200&test=50");
    auto c = quiet(5);
    c.encoder = "cnn-small"; // tabular data cannot feed a CNN
    core::Trainer t(ds, c);
    EXPECT_EQ(t.waitUntilSettled(), core::TrainerState::Failed);
    EXPECT_NE(t.failure().find("cnn-small"), std::string::npos) << t.failure();
    c.encoder = "mlp";
    t.reset(c);
    t.start();
    EXPECT_EQ(t.waitUntilSettled(), core::TrainerState::Finished) << t.failure();
}
