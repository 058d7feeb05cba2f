// Snapshot folders written by the trainer: every file's format, a strict .npy reader written
// here (magic, header dict, 64-byte padding), numpy.load when Debian's numpy is installed, the
// TensorBoard projector files, sprite geometry, and an atomic failure.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "Fixtures.h"
#include "RunConfigs.h"
#include "core/data/DatasetLoader.h"
#include "core/io/Npy.h"
#include "core/io/SnapshotExport.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A deliberately strict .npy v1.0 reader: returns the header dict text and the data bytes.
std::pair<std::string, std::string> strictNpy(const fs::path& p) {
    const std::string b = slurp(p);
    EXPECT_GE(b.size(), 10u);
    EXPECT_EQ(b.substr(0, 6), std::string("\x93NUMPY", 6)) << p;
    EXPECT_EQ(b[6], 1);
    EXPECT_EQ(b[7], 0);
    const std::size_t len =
        std::size_t(std::uint8_t(b[8])) | (std::size_t(std::uint8_t(b[9])) << 8);
    EXPECT_EQ((10 + len) % 64, 0u) << "data must start on a 64-byte boundary: " << p;
    const std::string header = b.substr(10, len);
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(header.front(), '{');
    return {header, b.substr(10 + len)};
}

using fixtures::quietRun;

const core::Event* findEvent(const std::vector<core::Event>& events, const std::string& name) {
    for (const auto& e : events)
        if (e.name == name) return &e;
    return nullptr;
}

} // namespace

TEST(SnapshotExport, FolderHoldsEveryFileInItsFormat) {
    fixtures::TempDir dir;
    auto ds = std::make_shared<const core::Dataset>(
        core::loadDataset("builtin:shapes?train=300&test=80"));
    core::Trainer t(ds, quietRun());
    t.step(7);
    t.waitUntilSettled();
    t.setParameter("temperature", 0.2);
    t.step(1);
    t.waitUntilSettled();
    t.exportSnapshot(dir.path().string());
    t.waitUntilSettled();
    const auto events = t.eventsSince(0);
    const auto* e = findEvent(events, "export");
    std::string seen;
    for (const auto& ev : events)
        seen += ev.name + ": " + ev.message + "; ";
    ASSERT_TRUE(e) << seen;
    const fs::path folder = e->message;
    EXPECT_EQ(folder, dir.path() / "snapshot-000008");
    for (const char* f : {"config.json", "events.json", "metrics.csv", "model.pt", "optimizer.pt",
                          "embeddings.npy", "labels.npy", "indices.npy", "projection.npy",
                          "histograms.json", "tensorboard/tensors.tsv", "tensorboard/metadata.tsv",
                          "tensorboard/projector_config.pbtxt", "tensorboard/sprite.png"})
        EXPECT_TRUE(fs::is_regular_file(folder / f) && fs::file_size(folder / f) > 0) << f;

    const auto snap = t.latestSnapshot();
    ASSERT_TRUE(snap);
    const std::size_t n = snap->labels.size(), d = std::size_t(snap->dim);
    EXPECT_EQ(n, 60u);
    auto [header, data] = strictNpy(folder / "embeddings.npy");
    EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos) << header;
    EXPECT_NE(header.find("'fortran_order': False"), std::string::npos);
    EXPECT_NE(header.find("'shape': (" + std::to_string(n) + ", " + std::to_string(d) + ")"),
              std::string::npos)
        << header;
    ASSERT_EQ(data.size(), n * d * 4);
    EXPECT_EQ(std::memcmp(data.data(), snap->embeddings.data(), data.size()), 0);
    auto [lh, ld] = strictNpy(folder / "labels.npy");
    EXPECT_NE(lh.find("'descr': '<i8'"), std::string::npos);
    EXPECT_NE(lh.find("'shape': (" + std::to_string(n) + ",)"), std::string::npos) << lh;
    EXPECT_EQ(std::memcmp(ld.data(), snap->labels.data(), ld.size()), 0);
    EXPECT_NE(strictNpy(folder / "projection.npy").first.find("(" + std::to_string(n) + ", 3)"),
              std::string::npos);

    const auto config = nlohmann::json::parse(slurp(folder / "config.json"));
    EXPECT_EQ(config["step"], 8);
    EXPECT_DOUBLE_EQ(config["temperature"].get<double>(), 0.2);
    EXPECT_EQ(config["dataset_spec"], "builtin:shapes?train=300&test=80");
    EXPECT_EQ(config["dataset_fingerprint"].get<std::string>().size(), 16u);
    const auto ev = nlohmann::json::parse(slurp(folder / "events.json"));
    ASSERT_FALSE(ev.empty());
    EXPECT_EQ(ev[0]["name"], "temperature");
    EXPECT_EQ(ev[0]["step"], 8);

    std::istringstream metrics(slurp(folder / "metrics.csv"));
    std::string line;
    std::getline(metrics, line);
    EXPECT_EQ(line,
              "step,wall_seconds,lr,loss,loss_suncet,snn_top1,knn_top1,precision_at_1,map_at_r");
    int rows = 0;
    while (std::getline(metrics, line))
        ++rows;
    EXPECT_EQ(rows, 8);

    const auto hist = nlohmann::json::parse(slurp(folder / "histograms.json"));
    EXPECT_EQ(hist["classes"].size(), 11u);
    EXPECT_EQ(hist["classes"][10]["class"], "all");
    EXPECT_EQ(hist["classes"][0]["positive"].size(), std::size_t(snap->bins));

    // TensorBoard projector: N rows of D tab-separated values; metadata with a header row.
    std::istringstream tensors(slurp(folder / "tensorboard/tensors.tsv"));
    rows = 0;
    while (std::getline(tensors, line)) {
        EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), std::ptrdiff_t(d - 1));
        ++rows;
    }
    EXPECT_EQ(rows, int(n));
    std::istringstream meta(slurp(folder / "tensorboard/metadata.tsv"));
    std::getline(meta, line);
    EXPECT_EQ(line, "label\tclass");
    std::getline(meta, line);
    EXPECT_EQ(line, std::to_string(snap->labels[0]) + "\t" +
                        ds->classNames[std::size_t(snap->labels[0])]);
    const std::string pbtxt = slurp(folder / "tensorboard/projector_config.pbtxt");
    for (const char* key :
         {"embeddings {", "tensor_path: \"tensors.tsv\"", "metadata_path: \"metadata.tsv\"",
          "image_path: \"sprite.png\"", "single_image_dim: 28"})
        EXPECT_NE(pbtxt.find(key), std::string::npos) << key << "\n" << pbtxt;
    // Sprite: a square sheet of ceil(sqrt(60)) = 8 cells of 28 px.
    const std::string png = slurp(folder / "tensorboard/sprite.png");
    ASSERT_GT(png.size(), 24u);
    auto be32 = [&](std::size_t at) {
        return (std::uint32_t(std::uint8_t(png[at])) << 24) |
               (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
               (std::uint32_t(std::uint8_t(png[at + 2])) << 8) |
               std::uint32_t(std::uint8_t(png[at + 3]));
    };
    EXPECT_EQ(be32(16), 8u * 28u); // IHDR width
    EXPECT_EQ(be32(20), 8u * 28u); // IHDR height

    // Independent check with NumPy itself when Debian's python3-numpy is installed.
    if (fs::exists("/usr/bin/python3") &&
        std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0) {
        const std::string cmd = "/usr/bin/python3 -c \"import numpy as np; e=np.load('" +
                                (folder / "embeddings.npy").string() + "'); l=np.load('" +
                                (folder / "labels.npy").string() + "'); assert e.shape==(" +
                                std::to_string(n) + "," + std::to_string(d) +
                                ") and e.dtype==np.float32 and l.dtype==np.int64 and "
                                "abs(np.linalg.norm(e,axis=1)-1).max()<1e-4\"";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }

    // Exporting the same step again replaces the folder whole.
    t.exportSnapshot(dir.path().string());
    t.waitUntilSettled();
    int folders = 0;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        folders += entry.is_directory();
    EXPECT_EQ(folders, 1);
}

TEST(SnapshotExport, UnwritableTargetFailsInOneLineAndLeavesNothing) {
    fixtures::TempDir dir;
    fixtures::writeText(dir / "occupied", "a file where the folder should go");
    auto ds =
        std::make_shared<const core::Dataset>(core::loadDataset("builtin:blobs?train=200&test=40"));
    core::Trainer t(ds, quietRun());
    t.step(3);
    t.waitUntilSettled();
    t.exportSnapshot((dir / "occupied").string());
    t.waitUntilSettled();
    const auto events = t.eventsSince(0);
    const auto* e = findEvent(events, "export_failed");
    ASSERT_TRUE(e);
    EXPECT_NE(e->message.find((dir / "occupied").string()), std::string::npos) << e->message;
    EXPECT_EQ(e->message.find('\n'), std::string::npos);
    std::size_t entries = 0;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        entries += entry.path().filename() != "occupied";
    EXPECT_EQ(entries, 0u);
    // Training is not disturbed.
    t.step(2);
    t.waitUntilSettled();
    EXPECT_EQ(t.stepsDone(), 5);
}

TEST(SnapshotExport, SpriteGeometryStaysWithinTensorBoardsLimit) {
    auto g = core::spriteGeometry(5000, 28, 28);
    EXPECT_EQ(g.cellsPerRow, 71);
    EXPECT_EQ(g.cell, 28);
    g = core::spriteGeometry(70000, 32, 32);
    EXPECT_EQ(g.cellsPerRow, 265);
    EXPECT_LE(g.cellsPerRow * g.cell, 8192);
    EXPECT_EQ(g.cell, 30);
    EXPECT_EQ(core::snapshotFolderName(300), "snapshot-000300");
}

TEST(SnapshotResume, ContinuesTheUninterruptedTrajectoryExactly) {
    fixtures::TempDir dir;
    auto ds = std::make_shared<const core::Dataset>(
        core::loadDataset("builtin:shapes?train=600&test=100"));
    auto c = quietRun();
    c.steps = 16;
    c.views = 2; // two augmented views: the augmentation generator's state matters
    c.loss = core::LossKind::SupConOut;
    c.warmup = 3;
    c.exportDir = dir.path().string();
    c.exportEvery = 8;
    core::Trainer full(ds, c);
    full.start();
    ASSERT_EQ(full.waitUntilSettled(), core::TrainerState::Finished) << full.failure();
    const auto reference = full.recordsSince(0);
    ASSERT_EQ(reference.size(), 16u);

    const auto folder = dir.path() / "snapshot-000008";
    auto info = core::readSnapshot(folder);
    EXPECT_EQ(info.step, 8);
    EXPECT_EQ(info.config.views, 2);
    EXPECT_EQ(info.config.steps, 16);
    EXPECT_EQ(info.probePoints, 60u);
    info.config.exportDir.clear();
    core::Trainer resumed(ds, info.config, folder.string());
    EXPECT_EQ(resumed.waitUntilSettled(), core::TrainerState::Idle) << resumed.failure();
    EXPECT_EQ(resumed.stepsDone(), 8);
    resumed.start();
    ASSERT_EQ(resumed.waitUntilSettled(), core::TrainerState::Finished) << resumed.failure();
    const auto tail = resumed.recordsSince(0);
    ASSERT_EQ(tail.size(), 8u);
    for (std::size_t k = 0; k < 8; ++k) {
        EXPECT_EQ(tail[k].step, reference[8 + k].step);
        EXPECT_EQ(tail[k].loss, reference[8 + k].loss) << "step " << tail[k].step; // bit-identical
        EXPECT_EQ(tail[k].lr, reference[8 + k].lr);
    }
}

TEST(SnapshotResume, BadFoldersAreOneLineErrors) {
    fixtures::TempDir dir;
    auto ds =
        std::make_shared<const core::Dataset>(core::loadDataset("builtin:blobs?train=200&test=40"));
    auto c = quietRun();
    core::Trainer t(ds, c);
    t.step(2);
    t.waitUntilSettled();
    t.exportSnapshot(dir.path().string());
    t.waitUntilSettled();
    const auto folder = dir.path() / "snapshot-000002";
    EXPECT_NO_THROW(core::readSnapshot(folder));
    auto expectError = [&](const std::string& needle) {
        try {
            core::readSnapshot(folder);
            ADD_FAILURE() << "no error, expected " << needle;
        } catch (const core::Error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        }
    };
    const std::vector<std::int64_t> wrong{1, 2, 3};
    const auto labels = fixtures::read(folder / "labels.npy");
    core::writeNpy(folder / "labels.npy", core::NpyType::I8, {3}, wrong.data());
    expectError("labels.npy");
    fixtures::write(folder / "labels.npy", labels);
    fs::remove(folder / "rng.pt");
    expectError("rng.pt: missing");
    // A trainer asked to resume from a broken folder fails with the reason, nothing crashes.
    core::Trainer broken(ds, c, folder.string());
    EXPECT_EQ(broken.waitUntilSettled(), core::TrainerState::Failed);
    EXPECT_NE(broken.failure().find("rng.pt"), std::string::npos) << broken.failure();
    // Different data: refused.
    fixtures::TempDir other;
    t.exportSnapshot(other.path().string());
    t.waitUntilSettled();
    auto otherData = std::make_shared<const core::Dataset>(
        core::loadDataset("builtin:blobs?train=200&test=40&seed=9"));
    core::Trainer mismatch(otherData, c, (other.path() / "snapshot-000002").string());
    EXPECT_EQ(mismatch.waitUntilSettled(), core::TrainerState::Failed);
    EXPECT_NE(mismatch.failure().find("different data"), std::string::npos) << mismatch.failure();
}
