// Corrupted inputs: every loader throws core::Error with a one-line message naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include "Fixtures.h"
#include "core/data/CifarLoader.h"
#include "core/data/DatasetLoader.h"
#include "core/data/IdxLoader.h"
#include "core/io/Npy.h"
#include "core/util/Error.h"
#include "core/util/FileBytes.h"

using namespace fixtures;

namespace {

/// Loads `spec`, expects core::Error whose one-line message contains every needle.
void expectLoadError(const std::string& spec, std::initializer_list<std::string> needles,
                     const core::LoadOptions& options = {}) {
    try {
        core::loadDataset(spec, options);
        ADD_FAILURE() << "no error for " << spec;
    } catch (const core::Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        for (const auto& n : needles)
            EXPECT_NE(msg.find(n), std::string::npos) << "'" << n << "' not in: " << msg;
    }
}

} // namespace

TEST(IdxErrors, TruncatedImages) {
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0);
    auto b = read(dir / "train-images-idx3-ubyte");
    b.resize(b.size() - 100);
    write(dir / "train-images-idx3-ubyte", b);
    expectLoadError(dir.path().string(),
                    {"train-images-idx3-ubyte", "more data than the file holds"});
}

TEST(IdxErrors, WrongMagic) {
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0);
    auto b = read(dir / "train-labels-idx1-ubyte");
    b[1] = 7;
    write(dir / "train-labels-idx1-ubyte", b);
    expectLoadError(dir.path().string(), {"train-labels-idx1-ubyte", "at byte 0", "magic"});
}

TEST(IdxErrors, CountMismatch) {
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0);
    write(dir / "train-labels-idx1-ubyte", idxLabels({0, 1, 2, 3, 4, 5, 6, 7, 8}));
    expectLoadError(dir.path().string(), {"train-labels-idx1-ubyte", "9 labels", "10 images"});
}

TEST(IdxErrors, LabelOutOfRangeForKnownClasses) {
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0, 3);
    writeText(dir / "classes.txt", "a\nb\nc\n");
    write(dir / "train-labels-idx1-ubyte", idxLabels({0, 1, 2, 0, 1, 2, 0, 9, 1, 2}));
    expectLoadError(dir.path().string(), {"classes.txt", "lists 3 names"});
    writeText(dir / "classes.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
    write(dir / "train-labels-idx1-ubyte", idxLabels({0, 1, 2, 0, 1, 2, 0, 2, 1, 2}));
    expectLoadError(dir.path().string(), {"has no samples"});
}

TEST(IdxErrors, HugeDeclaredDimensionIsRejectedBeforeAllocating) {
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0);
    auto b = read(dir / "train-images-idx3-ubyte");
    b[4] = 0x7f;
    b[5] = 0xff;
    b[6] = 0xff;
    b[7] = 0xff; // 2^31 images
    b[8] = 0x7f; // and huge rows
    write(dir / "train-images-idx3-ubyte", b);
    expectLoadError(dir.path().string(), {"train-images-idx3-ubyte", "at byte"});
}

TEST(IdxErrors, TrailingBytesAndEmptyFile) {
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0);
    auto b = read(dir / "train-labels-idx1-ubyte");
    b.push_back(0);
    write(dir / "train-labels-idx1-ubyte", b);
    expectLoadError(dir.path().string(), {"train-labels-idx1-ubyte", "trailing"});
    write(dir / "train-labels-idx1-ubyte", {});
    expectLoadError(dir.path().string(), {"train-labels-idx1-ubyte", "empty"});
}

TEST(IdxErrors, TruncatedAndCorruptGzip) {
    TempDir dir;
    writeIdxFolder(dir.path(), 20, 0, 10, true);
    auto b = read(dir / "train-images-idx3-ubyte.gz");
    write(dir / "train-images-idx3-ubyte.gz",
          core::Bytes(b.begin(), b.begin() + std::ptrdiff_t(b.size() / 2)));
    expectLoadError(dir.path().string(), {"train-images-idx3-ubyte.gz", "truncated"});
    b[b.size() / 2] ^= 0xff;
    b[b.size() / 2 + 1] ^= 0x55;
    write(dir / "train-images-idx3-ubyte.gz", b);
    expectLoadError(dir.path().string(), {"train-images-idx3-ubyte.gz"});
}

TEST(IdxErrors, ParseRejectsWrongDimensionCount) {
    const auto labels = idxLabels({1, 2, 3});
    EXPECT_THROW(core::parseIdx(labels, "x", 3), core::Error);
    EXPECT_NO_THROW(core::parseIdx(labels, "x", 1));
}

TEST(CifarErrors, TruncatedRecordAndBadLabel) {
    TempDir dir;
    writeCifar10Folder(dir.path(), 1, 10);
    auto b = read(dir / "data_batch_1.bin");
    b.resize(b.size() - 1);
    write(dir / "data_batch_1.bin", b);
    expectLoadError(dir.path().string(), {"data_batch_1.bin", "multiple of the 3073-byte record"});
    b.push_back(0);
    b[3073 * 4] = 12;
    write(dir / "data_batch_1.bin", b);
    expectLoadError(dir.path().string(), {"data_batch_1.bin", "at byte 12292", "label 12"});
}

TEST(CifarErrors, ShortMetaFile) {
    TempDir dir;
    writeCifar10Folder(dir.path(), 1, 10);
    writeText(dir / "batches.meta.txt", "cat\ndog\n");
    expectLoadError(dir.path().string(), {"batches.meta.txt", "expected 10"});
}

TEST(ImageFolderErrors, CorruptPngNamesTheFile) {
    TempDir dir;
    writePng(dir / "a" / "0.png", 8, 8, 1, 1);
    writePng(dir / "b" / "0.png", 8, 8, 1, 1);
    writeText(dir / "b" / "broken.png", "this is not a png");
    expectLoadError(dir.path().string(), {"broken.png", "cannot decode"});
}

TEST(ImageFolderErrors, TestClassWithoutTrainFolder) {
    TempDir dir;
    writePng(dir / "train" / "a" / "0.png", 8, 8, 1, 1);
    writePng(dir / "test" / "zebra" / "0.png", 8, 8, 1, 1);
    expectLoadError(dir.path().string(), {"zebra", "no train folder"});
}

TEST(CsvErrors, NaNNonNumericAndRaggedRowsNameTheLine) {
    TempDir dir;
    writeText(dir / "nan.csv", "a,b,label\n1,2,x\n3,nan,y\n");
    expectLoadError((dir / "nan.csv").string(), {"nan.csv", "line 3", "NaN"});
    writeText(dir / "text.csv", "a,b,label\n1,2,x\n3,4,y\n5,abc,x\n");
    expectLoadError((dir / "text.csv").string(), {"text.csv", "line 4", "'abc' is not a number"});
    writeText(dir / "ragged.csv", "a,b,label\n1,2,x\n3,y\n");
    expectLoadError((dir / "ragged.csv").string(), {"ragged.csv", "line 3", "2 cells, expected 3"});
    writeText(dir / "inf.csv", "1,inf,0\n2,3,1\n");
    expectLoadError((dir / "inf.csv").string(), {"inf.csv", "line 1"});
    writeText(dir / "empty.csv", "");
    expectLoadError((dir / "empty.csv").string(), {"empty.csv", "empty"});
    writeText(dir / "split.csv", "x,label,split\n1,a,train\n2,b,validation\n");
    expectLoadError((dir / "split.csv").string(), {"split.csv", "line 3", "validation"});
}

TEST(NpyErrors, BadMagicTruncatedDtypeFortranAndMismatch) {
    TempDir dir;
    std::vector<float> x(8, 1.0f);
    std::vector<std::int64_t> y{0, 1, 0, 1};
    auto good = core::encodeNpy(core::NpyType::F4, {4, 2}, x.data());
    core::writeNpy(dir / "y.npy", core::NpyType::I8, {4}, y.data());

    auto bad = good;
    bad[1] = 'X';
    write(dir / "X.npy", bad);
    expectLoadError(dir.path().string(), {"X.npy", "bad magic"});

    bad = good;
    bad.resize(bad.size() - 3);
    write(dir / "X.npy", bad);
    expectLoadError(dir.path().string(), {"X.npy", "needs 32 data bytes"});

    std::string text(good.begin(), good.end());
    auto withDescr = text;
    withDescr.replace(withDescr.find("<f4"), 3, "<c8");
    write(dir / "X.npy", core::Bytes(withDescr.begin(), withDescr.end()));
    expectLoadError(dir.path().string(), {"X.npy", "unsupported dtype"});

    auto fortran = text;
    fortran.replace(fortran.find("False"), 5, "True ");
    write(dir / "X.npy", core::Bytes(fortran.begin(), fortran.end()));
    expectLoadError(dir.path().string(), {"X.npy", "Fortran"});

    auto huge = text;
    huge.replace(huge.find("(4, 2)"), 6, "(4000000000000, 2)");
    write(dir / "X.npy", core::Bytes(huge.begin(), huge.end()));
    expectLoadError(dir.path().string(), {"X.npy", "larger than the file"});

    write(dir / "X.npy", good);
    std::vector<std::int64_t> y3{0, 1, 0};
    core::writeNpy(dir / "y.npy", core::NpyType::I8, {3}, y3.data());
    expectLoadError(dir.path().string(), {"y.npy", "3 labels", "4 rows"});
}

TEST(SpecErrors, MissingPathUnknownBuiltinAndBadParams) {
    expectLoadError("/nonexistent/where", {"/nonexistent/where", "no such file"});
    expectLoadError("builtin:nope", {"builtin:nope", "unknown built-in"});
    expectLoadError("builtin:shapes?size=abc", {"size", "not a number"});
    expectLoadError("builtin:blobs?colour=red", {"unknown parameter 'colour'"});
    TempDir dir;
    expectLoadError(dir.path().string(), {dir.path().string(), "no dataset recognised"});
    expectLoadError("builtin:blobs", {"labelled fraction"}, {.labelledFraction = 0.0});
}

TEST(FileErrors, UnreadableFileNamesIt) {
    if (geteuid() == 0) GTEST_SKIP() << "root reads files regardless of permissions";
    TempDir dir;
    writeIdxFolder(dir.path(), 10, 0);
    std::filesystem::permissions(dir / "train-images-idx3-ubyte", std::filesystem::perms::none);
    expectLoadError(dir.path().string(), {"train-images-idx3-ubyte", "cannot open"});
}
