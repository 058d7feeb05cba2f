// Encoders, batch assembly/augmentation and retrieval metrics (torch-level units).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/data/BatchBuilder.h"
#include "core/data/DatasetLoader.h"
#include "core/metrics/Evaluation.h"
#include "core/model/Encoders.h"
#include "core/util/Error.h"

namespace {
class TorchUnits : public ::testing::Test {
  protected:
    void SetUp() override { torch::manual_seed(0); }
};
} // namespace

TEST_F(TorchUnits, EncodersProduceHeadAndBackboneShapes) {
    struct Case {
        std::string encoder;
        int64_t c, h, w, features;
    };
    for (const auto& k : {Case{"mlp", 1, 28, 28, 256}, Case{"cnn-small", 1, 28, 28, 128},
                          Case{"resnet-tiny", 3, 32, 32, 128}}) {
        core::ContrastiveNet net(core::ContrastiveNetOptions()
                                     .encoder(k.encoder)
                                     .channels(k.c)
                                     .height(k.h)
                                     .width(k.w)
                                     .embedDim(64));
        const auto x = torch::randn({4, k.c, k.h, k.w});
        EXPECT_EQ(net->forward(x).sizes(), (std::vector<int64_t>{4, 64})) << k.encoder;
        EXPECT_EQ(net->features(x).sizes(), (std::vector<int64_t>{4, k.features})) << k.encoder;
    }
    core::ContrastiveNet tab(
        core::ContrastiveNetOptions().encoder("mlp").featureDim(10).embedDim(16));
    EXPECT_EQ(tab->forward(torch::randn({3, 10})).sizes(), (std::vector<int64_t>{3, 16}));
    EXPECT_THROW(
        core::ContrastiveNet(core::ContrastiveNetOptions().encoder("cnn-small").featureDim(10)),
        core::Error);
    EXPECT_THROW(core::ContrastiveNet(core::ContrastiveNetOptions().encoder("vit")), core::Error);
}

TEST_F(TorchUnits, BatchesAreNormalisedViewMajorAndAugmentedPerView) {
    const auto ds = core::loadDataset("builtin:shapes?train=200&test=20");
    core::BatchBuilder plain(ds, torch::kCPU, core::defaultAugment(ds, "cnn-small", false), 1);
    const std::vector<int64_t> idx{0, 1, 2, 3};
    const auto x = plain.trainBatch(idx, 2);
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{8, 1, 28, 28}));
    EXPECT_TRUE(torch::equal(x.narrow(0, 0, 4), x.narrow(0, 4, 4))); // no augmentation: views equal
    const auto y = plain.trainLabels(idx, 2);
    EXPECT_EQ(y[5].item<int64_t>(), ds.train.labels[1]);
    // Normalised over the training set: whole-split mean ≈ 0, std ≈ 1.
    const auto all = plain.evalInputs(false, 0, 200);
    EXPECT_NEAR(all.mean().item<double>(), 0.0, 1e-3);
    EXPECT_NEAR(all.std().item<double>(), 1.0, 1e-2);

    core::BatchBuilder aug(ds, torch::kCPU, core::defaultAugment(ds, "cnn-small", true), 1);
    const auto xa = aug.trainBatch(idx, 2);
    EXPECT_FALSE(torch::allclose(xa.narrow(0, 0, 4), xa.narrow(0, 4, 4))); // two different views
    EXPECT_FALSE(torch::allclose(xa.narrow(0, 0, 4), x.narrow(0, 0, 4)));
    // Same seed, same augmentations; the generator state round-trips.
    core::BatchBuilder again(ds, torch::kCPU, core::defaultAugment(ds, "cnn-small", true), 1);
    EXPECT_TRUE(torch::equal(again.trainBatch(idx, 2), xa));
    const auto state = aug.generatorState();
    const auto next = aug.trainBatch(idx, 1);
    again.setGeneratorState(state);
    EXPECT_TRUE(torch::equal(again.trainBatch(idx, 1), next));
}

TEST_F(TorchUnits, CropShiftsContentWithinPadding) {
    core::Dataset ds;
    ds.classNames = {"a"};
    ds.channels = 1;
    ds.height = ds.width = 8;
    ds.train.images.assign(64, 0);
    ds.train.images[3 * 8 + 3] = 255; // one bright pixel
    ds.train.labels = {0};
    core::AugmentOptions a;
    a.cropPadding = 2;
    a.brightness = a.contrast = a.noise = 0;
    core::BatchBuilder b(ds, torch::kCPU, a, 3);
    for (int k = 0; k < 20; ++k) {
        const auto x = b.trainBatch({0}, 1)[0][0];
        const auto pos = x.argmax().item<int64_t>();
        const int64_t r = pos / 8, c = pos % 8;
        EXPECT_LE(std::abs(r - 3), 2);
        EXPECT_LE(std::abs(c - 3), 2);
    }
}

TEST_F(TorchUnits, RetrievalMetricsOnHandMadeEmbeddings) {
    // References: class 0 at +x, class 1 at +y (two each). Query 0 near +x, query 1 between.
    const auto r =
        torch::tensor({{1.0, 0.0}, {0.9950, 0.0998}, {0.0, 1.0}, {0.0998, 0.9950}}, torch::kFloat);
    const auto yr = torch::tensor({0, 0, 1, 1});
    const auto q = torch::tensor({{1.0, 0.0}, {0.8, 0.6}}, torch::kFloat);
    const auto yq = torch::tensor({0, 1});
    const auto m = core::retrievalMetrics(q, yq, r, yr, 2);
    EXPECT_DOUBLE_EQ(m.precisionAt1, 0.5); // query 1's nearest is class 0
    EXPECT_DOUBLE_EQ(m.snnTop1, 0.5);
    // kNN with k = min(20, 4): two votes each → tie → argmax picks class 0.
    EXPECT_DOUBLE_EQ(m.knnTop1, 0.5);
    // Query 0: ranks 1 and 2 are relevant → AP 1. Query 1's cosines are .800, .856, .600, .677,
    // so its ranking is r1 (0), r0 (0), r3 (1), r2 (1): R = 2 and neither of the top 2 is relevant
    // → 0.
    EXPECT_DOUBLE_EQ(m.mapAtR, 0.5);
    EXPECT_EQ(m.queries, 2);
    EXPECT_EQ(m.references, 4);
}

TEST_F(TorchUnits, MapAtRPartialCredit) {
    // One query of class 0; references ranked: rel, not, rel (R = 2) → (1/1·1 + 0) / 2 = 0.5.
    const auto r = torch::tensor({{1.0, 0.0}, {0.8, 0.6}, {0.6, 0.8}}, torch::kFloat);
    const auto m = core::retrievalMetrics(torch::tensor({{1.0, 0.0}}, torch::kFloat),
                                          torch::tensor({0}), r, torch::tensor({0, 1, 0}), 2);
    EXPECT_DOUBLE_EQ(m.mapAtR, 0.5);
    EXPECT_DOUBLE_EQ(m.precisionAt1, 1.0);
}

TEST_F(TorchUnits, SimilarityHistogramsAndAnatomy) {
    const auto z = torch::tensor({{1.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}, {0.0, 1.0}}, torch::kFloat);
    const auto y = torch::tensor({0, 0, 1, 1});
    core::Snapshot s;
    core::similarityDiagnostics(z, y, 2, 4, s);
    ASSERT_EQ(s.histograms.size(), 3u);
    // Class 0: positives are the two ordered pairs at cos 1 (last bin); negatives 4 pairs at 0.
    EXPECT_EQ(s.histograms[0].positive, (std::vector<double>{0, 0, 0, 2}));
    EXPECT_EQ(s.histograms[0].negative, (std::vector<double>{0, 0, 4, 0}));
    EXPECT_DOUBLE_EQ(s.histograms[0].overlap, 0.0);
    EXPECT_EQ(s.histograms[2].positive, (std::vector<double>{0, 0, 0, 4}));
    EXPECT_FLOAT_EQ(s.hardestNegative[0], 0.0f);
    EXPECT_FLOAT_EQ(s.easiestPositive[0], 1.0f);
    EXPECT_FLOAT_EQ(s.hardestPositive[3], 1.0f);
}
