// The real Fashion-MNIST from Debian's dataset-fashion-mnist; skipped when not installed.
#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>

#include "core/data/DatasetLoader.h"

namespace {
const char* kFashion = "/usr/share/datasets/fashion-mnist";
}

TEST(FashionMnist, LoadsKnownSizesNamesAndChecksum) {
    if (!std::filesystem::exists(std::string(kFashion) + "/train-images-idx3-ubyte.gz"))
        GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    EXPECT_EQ(core::defaultDatasetSpec(), kFashion);
    const auto ds = core::loadDataset(kFashion);
    EXPECT_EQ(ds.format, "idx");
    EXPECT_EQ(ds.train.size(), 60000u);
    EXPECT_EQ(ds.test.size(), 10000u);
    EXPECT_EQ(ds.numClasses(), 10);
    EXPECT_EQ(ds.classNames[0], "T-shirt/top");
    EXPECT_EQ(ds.classNames[9], "Ankle boot");
    for (auto n : ds.classCounts(ds.train))
        EXPECT_EQ(n, 6000u);
    for (auto n : ds.classCounts(ds.test))
        EXPECT_EQ(n, 1000u);
    const auto trainSum =
        std::accumulate(ds.train.images.begin(), ds.train.images.end(), std::uint64_t(0));
    const auto testSum =
        std::accumulate(ds.test.images.begin(), ds.test.images.end(), std::uint64_t(0));
    EXPECT_EQ(trainSum, FASHION_TRAIN_PIXEL_SUM);
    EXPECT_EQ(testSum, FASHION_TEST_PIXEL_SUM);
    EXPECT_EQ(ds.train.labels[0], 9); // the first training image is an ankle boot
}
