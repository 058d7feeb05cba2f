// Loading each dataset format from fixtures the test writes, and the shared dataset model.
#include <gtest/gtest.h>

#include <numeric>

#include "Fixtures.h"
#include "core/data/BuiltinDatasets.h"
#include "core/data/DatasetLoader.h"
#include "core/io/Npy.h"
#include "core/util/Error.h"

using namespace fixtures;

TEST(IdxFormat, LoadsRawFolderWithBothSplits) {
    TempDir dir;
    writeIdxFolder(dir.path(), 30, 20);
    EXPECT_EQ(core::detectFormat(dir.path().string()), "idx");
    const auto ds = core::loadDataset(dir.path().string());
    EXPECT_EQ(ds.format, "idx");
    EXPECT_EQ(ds.train.size(), 30u);
    EXPECT_EQ(ds.test.size(), 20u);
    EXPECT_EQ(ds.channels, 1);
    EXPECT_EQ(ds.height, 28);
    EXPECT_EQ(ds.width, 28);
    EXPECT_EQ(ds.numClasses(), 10);
    EXPECT_EQ(ds.train.labels[13], 3);
    // Pixel k of the train file is (k*7 + 1) mod 256.
    EXPECT_EQ(ds.train.images[1000], std::uint8_t(1000 * 7 + 1));
    EXPECT_EQ(ds.test.images[5], std::uint8_t(5 * 7 + 2));
}

TEST(IdxFormat, GzipMatchesRaw) {
    TempDir raw, gz;
    writeIdxFolder(raw.path(), 25, 10, 5);
    writeIdxFolder(gz.path(), 25, 10, 5, true);
    const auto a = core::loadDataset(raw.path().string());
    const auto b = core::loadDataset(gz.path().string());
    EXPECT_EQ(a.train.images, b.train.images);
    EXPECT_EQ(a.test.labels, b.test.labels);
    EXPECT_EQ(b.numClasses(), 5);
}

TEST(IdxFormat, ClassesTxtNamesClasses) {
    TempDir dir;
    writeIdxFolder(dir.path(), 12, 0, 3);
    writeText(dir / "classes.txt", "cat\ndog\nbird\n");
    const auto ds = core::loadDataset(dir.path().string(), {.testFraction = 0.25});
    EXPECT_EQ(ds.classNames, (std::vector<std::string>{"cat", "dog", "bird"}));
    // No t10k files: a stratified quarter is held out.
    EXPECT_EQ(ds.train.size() + ds.test.size(), 12u);
    EXPECT_EQ(ds.test.size(), 3u);
}

TEST(Cifar10Format, LoadsBatchesAndMeta) {
    TempDir dir;
    writeCifar10Folder(dir.path(), 2, 20);
    EXPECT_EQ(core::detectFormat(dir.path().string()), "cifar10");
    const auto ds = core::loadDataset(dir.path().string());
    EXPECT_EQ(ds.train.size(), 40u);
    EXPECT_EQ(ds.test.size(), 20u);
    EXPECT_EQ(ds.channels, 3);
    EXPECT_EQ(ds.height, 32);
    EXPECT_EQ(ds.classNames[9], "truck");
    EXPECT_EQ(ds.train.labels[21], 1);
    // Record 1's first pixel byte is (0 + 1).
    EXPECT_EQ(ds.train.images[3072], 1);
}

TEST(Cifar100Format, UsesFineLabels) {
    TempDir dir;
    writeCifar100Folder(dir.path(), 200);
    EXPECT_EQ(core::detectFormat(dir.path().string()), "cifar100");
    const auto ds = core::loadDataset(dir.path().string());
    EXPECT_EQ(ds.numClasses(), 100);
    EXPECT_EQ(ds.train.labels[57], 57);
    EXPECT_EQ(ds.train.labels[157], 57);
}

TEST(ImageFolderFormat, GrayscaleResizedToMostCommonSize) {
    TempDir dir;
    for (int i = 0; i < 3; ++i)
        writePng(dir / "a" / ("a" + std::to_string(i) + ".png"), 16, 12, 1, 10);
    for (int i = 0; i < 2; ++i)
        writePng(dir / "b" / ("b" + std::to_string(i) + ".png"), 16, 12, 1, 200);
    writePng(dir / "b" / "big.png", 40, 30, 1, 200);
    EXPECT_EQ(core::detectFormat(dir.path().string()), "imagefolder");
    const auto ds = core::loadDataset(dir.path().string(), {.testFraction = 0.0});
    EXPECT_EQ(ds.classNames, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(ds.channels, 1);
    EXPECT_EQ(ds.height, 12);
    EXPECT_EQ(ds.width, 16);
    ASSERT_EQ(ds.train.size(), 6u);
    EXPECT_EQ(ds.train.images[0], 10);
    // The resized 40x30 image keeps its flat value.
    EXPECT_NEAR(ds.train.images[5 * 12 * 16 + 50], 200, 1);
}

TEST(ImageFolderFormat, ColourAndTrainTestFolders) {
    TempDir dir;
    writePng(dir / "train" / "x" / "0.png", 8, 8, 3, 50);
    writePng(dir / "train" / "x" / "1.png", 8, 8, 1, 60);
    writePng(dir / "train" / "y" / "0.png", 8, 8, 3, 70);
    writePng(dir / "test" / "y" / "0.png", 8, 8, 3, 80);
    const auto ds = core::loadDataset(dir.path().string(), {.imageHeight = 4, .imageWidth = 6});
    EXPECT_EQ(ds.channels, 3);
    EXPECT_EQ(ds.height, 4);
    EXPECT_EQ(ds.width, 6);
    EXPECT_EQ(ds.train.size(), 3u);
    ASSERT_EQ(ds.test.size(), 1u);
    EXPECT_EQ(ds.test.labels[0], 1);
    EXPECT_NEAR(ds.test.images[2 * 4 * 6 + 3], 80, 1); // blue plane
}

TEST(CsvFormat, HeaderLabelColumnStringLabelsAndSplit) {
    TempDir dir;
    writeText(dir / "labelled.csv", "a,b,label\n0.5,1,cat\n0.25,2,dog\n1,3,cat\n2,4,dog\n");
    const auto ds = core::loadDataset((dir / "labelled.csv").string(), {.testFraction = 0.5});
    EXPECT_EQ(ds.featureDim, 2);
    EXPECT_EQ(ds.classNames, (std::vector<std::string>{"cat", "dog"}));
    EXPECT_EQ(ds.train.size(), 2u);
    EXPECT_EQ(ds.test.size(), 2u);

    writeText(dir / "split.csv",
              "x,y,split\n1,0,train\n2,1,train\n3,0,test\n4,1,test\n5,1,train\n");
    const auto s = core::loadDataset((dir / "split.csv").string());
    EXPECT_EQ(s.featureDim, 1);
    EXPECT_EQ(s.train.size(), 3u);
    EXPECT_EQ(s.test.size(), 2u);
    EXPECT_FLOAT_EQ(s.test.features[1], 4.0f);
    EXPECT_EQ(s.test.labels[1], 1);
}

TEST(CsvFormat, NoHeaderUsesLastColumnAndNumericOrder) {
    TempDir dir;
    writeText(dir / "t.csv", "0.1,0.2,10\n0.3,0.4,2\n0.5,0.6,10\n0.7,0.8,2\n");
    const auto ds = core::loadDataset((dir / "t.csv").string(), {.testFraction = 0.5});
    EXPECT_EQ(ds.classNames, (std::vector<std::string>{"2", "10"}));
    EXPECT_EQ(ds.featureDim, 2);
}

TEST(NpyFormat, RoundTripAndFolderLayouts) {
    TempDir dir;
    std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<std::int64_t> y{0, 1, 0, 1};
    core::writeNpy(dir / "X.npy", core::NpyType::F4, {4, 2}, x.data());
    core::writeNpy(dir / "y.npy", core::NpyType::I8, {4}, y.data());
    const auto bytes = read(dir / "X.npy");
    EXPECT_EQ((bytes.size() - 32) % 64, 0u); // data starts on a 64-byte boundary
    EXPECT_EQ(core::detectFormat(dir.path().string()), "npy");
    const auto ds = core::loadDataset(dir.path().string(), {.testFraction = 0.5});
    EXPECT_EQ(ds.featureDim, 2);
    EXPECT_EQ(ds.train.size() + ds.test.size(), 4u);

    TempDir img;
    std::vector<std::uint8_t> px(6 * 5 * 4, 9);
    std::vector<std::int32_t> lab{0, 1, 2, 0, 1, 2};
    core::writeNpy(img / "X_train.npy", core::NpyType::U1, {6, 5, 4}, px.data());
    core::writeNpy(img / "y_train.npy", core::NpyType::I4, {6}, lab.data());
    core::writeNpy(img / "X_test.npy", core::NpyType::U1, {3, 5, 4}, px.data());
    core::writeNpy(img / "y_test.npy", core::NpyType::I4, {3}, lab.data());
    const auto im = core::loadDataset(img.path().string());
    EXPECT_TRUE(im.isImage());
    EXPECT_EQ(im.channels, 1);
    EXPECT_EQ(im.height, 5);
    EXPECT_EQ(im.width, 4);
    EXPECT_EQ(im.test.size(), 3u);
    EXPECT_EQ(im.numClasses(), 3);
}

TEST(NpyFormat, ParsesFloat64AndVersion2Headers) {
    std::vector<double> v{1.5, -2.0};
    auto bytes = core::encodeNpy(core::NpyType::F8, {2}, v.data());
    auto a = core::parseNpy(bytes, "v.npy");
    EXPECT_EQ(a.toDouble(), v);
    // Re-frame as a v2.0 file (4-byte header length).
    const std::size_t hl = bytes[8] | (bytes[9] << 8);
    core::Bytes v2{
        0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, std::uint8_t(hl & 0xff), std::uint8_t(hl >> 8), 0, 0};
    v2.insert(v2.end(), bytes.begin() + 10, bytes.end());
    EXPECT_EQ(core::parseNpy(v2, "v2.npy").toDouble(), v);
}

TEST(BuiltinShapes, DeterministicBalancedAndDistinct) {
    const auto a = core::loadDataset("builtin:shapes?train=200&test=50&seed=3");
    const auto b = core::loadDataset("builtin:shapes?train=200&test=50&seed=3");
    const auto c = core::loadDataset("builtin:shapes?train=200&test=50&seed=4");
    EXPECT_EQ(a.train.images, b.train.images);
    EXPECT_NE(a.train.images, c.train.images);
    EXPECT_EQ(a.numClasses(), 10);
    for (auto n : a.classCounts(a.train))
        EXPECT_EQ(n, 20u);
    // Every image has ink: a bright region of some size.
    for (std::size_t i = 0; i < a.train.size(); ++i) {
        int bright = 0;
        for (std::size_t p = 0; p < 784; ++p)
            bright += a.train.images[i * 784 + p] > 128;
        EXPECT_GT(bright, 15) << "sample " << i << " class " << a.train.labels[i];
    }
    // Filled discs carry more ink than thin bars on average.
    auto meanInk = [&](int cls) {
        double sum = 0;
        int n = 0;
        for (std::size_t i = 0; i < a.train.size(); ++i)
            if (a.train.labels[i] == cls) {
                for (std::size_t p = 0; p < 784; ++p)
                    sum += a.train.images[i * 784 + p];
                ++n;
            }
        return sum / n;
    };
    EXPECT_GT(meanInk(0), 1.5 * meanInk(9));
}

TEST(BuiltinShapes, DefaultSizeIs6000By1000) {
    const auto ds = core::loadDataset("builtin:shapes");
    EXPECT_EQ(ds.train.size(), 6000u);
    EXPECT_EQ(ds.test.size(), 1000u);
    EXPECT_EQ(ds.height, 28);
}

TEST(BuiltinBlobs, SeparationControlsNearestCentreAccuracy) {
    auto accuracy = [](double sep) {
        const auto ds = core::loadDataset("builtin:blobs?separation=" + std::to_string(sep) +
                                          "&train=1000&test=500");
        const int d = ds.featureDim, k = ds.numClasses();
        std::vector<double> mean(std::size_t(k) * d, 0.0);
        std::vector<int> cnt(std::size_t(k), 0);
        for (std::size_t i = 0; i < ds.train.size(); ++i) {
            ++cnt[std::size_t(ds.train.labels[i])];
            for (int j = 0; j < d; ++j)
                mean[std::size_t(ds.train.labels[i]) * d + j] += ds.train.features[i * d + j];
        }
        int right = 0;
        for (std::size_t i = 0; i < ds.test.size(); ++i) {
            int best = 0;
            double bestD = 1e300;
            for (int c = 0; c < k; ++c) {
                double dist = 0;
                for (int j = 0; j < d; ++j) {
                    const double diff = ds.test.features[i * d + j] -
                                        mean[std::size_t(c) * d + j] / cnt[std::size_t(c)];
                    dist += diff * diff;
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = c;
                }
            }
            right += best == ds.test.labels[i];
        }
        return double(right) / double(ds.test.size());
    };
    EXPECT_GT(accuracy(4.0), 0.95);
    EXPECT_LT(accuracy(0.2), 0.5);
}

TEST(DatasetModel, LabelledFractionIsStratified) {
    auto ds = core::loadDataset("builtin:blobs?train=1000&test=100",
                                {.labelledFraction = 0.1, .seed = 5});
    EXPECT_NEAR(ds.labelledFraction(), 0.1, 1e-9);
    std::vector<int> perClass(10, 0);
    for (std::size_t i = 0; i < ds.train.size(); ++i)
        if (ds.train.isLabelled(i)) ++perClass[std::size_t(ds.train.labels[i])];
    for (int n : perClass)
        EXPECT_EQ(n, 10);
}

TEST(DatasetModel, ProgressIsReportedAndCancelStops) {
    std::uint64_t last = 0, total = 0;
    int calls = 0;
    core::LoadControl control;
    control.progress = [&](std::uint64_t d, std::uint64_t t) {
        last = d;
        total = t;
        ++calls;
    };
    core::loadDataset("builtin:shapes?train=1000&test=0", {.testFraction = 0}, control);
    EXPECT_GT(calls, 2);
    EXPECT_EQ(last, total);

    core::CancelToken token;
    token.cancel();
    core::LoadControl cancelled{{}, &token};
    EXPECT_THROW(core::loadDataset("builtin:shapes", {}, cancelled), core::Cancelled);
}

TEST(DatasetModel, FingerprintFollowsContent) {
    const auto a = core::loadDataset("builtin:blobs?train=100&test=10&seed=1");
    const auto b = core::loadDataset("builtin:blobs?train=100&test=10&seed=1");
    const auto c = core::loadDataset("builtin:blobs?train=100&test=10&seed=2");
    EXPECT_EQ(a.fingerprint(), b.fingerprint());
    EXPECT_NE(a.fingerprint(), c.fingerprint());
}
