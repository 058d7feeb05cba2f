// A snapshot folder read back whole (the "Open snapshot…" view's data): every value the live
// run had comes back identical, older folders get their projections recomputed, and each kind
// of damage is one line naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "Fixtures.h"
#include "RunConfigs.h"
#include "core/data/DatasetLoader.h"
#include "core/io/SavedRun.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace {

using fixtures::evaluatedRun;

struct Exported {
    fixtures::TempDir dir;
    fs::path folder;
    std::vector<core::StepRecord> records;
    std::vector<core::Event> events;
    std::shared_ptr<const core::Snapshot> snapshot;
};

/// Trains 12 steps with a temperature change at step 6, then exports.
std::unique_ptr<Exported> exportRun() {
    auto out = std::make_unique<Exported>();
    auto ds = std::make_shared<const core::Dataset>(
        core::loadDataset("builtin:blobs?train=400&test=100"));
    core::Trainer t(ds, evaluatedRun());
    t.step(6);
    t.waitUntilSettled();
    t.setParameter("temperature", 0.25);
    t.step(6);
    t.waitUntilSettled();
    t.exportSnapshot(out->dir.path().string());
    t.waitUntilSettled();
    for (const auto& e : t.eventsSince(0))
        if (e.name == "export") out->folder = e.message;
    out->records = t.recordsSince(0);
    out->events = t.eventsSince(0);
    out->snapshot = t.latestSnapshot();
    return out;
}

std::string errorOf(const fs::path& folder) {
    try {
        core::loadSavedRun(folder);
    } catch (const core::Error& e) {
        return e.what();
    }
    return "no error";
}

void replaceInFile(const fs::path& p, const std::string& from, const std::string& to) {
    std::ifstream in(p, std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << p;
    s.replace(at, from.size(), to);
    fixtures::writeText(p, s);
}

} // namespace

TEST(SavedRun, ReadsBackWhatTheRunShowed) {
    const auto run = exportRun();
    ASSERT_FALSE(run->folder.empty());
    const core::SavedRun saved = core::loadSavedRun(run->folder);
    EXPECT_EQ(saved.info.step, 12);
    EXPECT_EQ(saved.info.datasetSpec, "builtin:blobs?train=400&test=100");
    EXPECT_EQ(saved.info.classNames.size(), 10u);
    EXPECT_DOUBLE_EQ(saved.info.config.temperature, 0.25);

    ASSERT_EQ(saved.records.size(), run->records.size());
    for (std::size_t i = 0; i < saved.records.size(); ++i) {
        EXPECT_EQ(saved.records[i].step, run->records[i].step);
        EXPECT_NEAR(saved.records[i].loss, run->records[i].loss, 1e-8 * run->records[i].loss);
        EXPECT_NEAR(saved.records[i].lr, run->records[i].lr, 1e-8 * run->records[i].lr);
    }
    // Evaluations at steps 5 and 10 (evalEvery = 5).
    ASSERT_EQ(saved.metrics.size(), 2u);
    EXPECT_EQ(saved.metrics[0].step, 5);
    EXPECT_EQ(saved.metrics[1].step, 10);
    EXPECT_GT(saved.metrics[1].snnTop1, 0.0);
    std::size_t temperatureEvents = 0;
    for (const auto& e : saved.events)
        if (e.name == "temperature") {
            ++temperatureEvents;
            EXPECT_EQ(e.step, 7);
            EXPECT_DOUBLE_EQ(e.newValue, 0.25);
        }
    EXPECT_EQ(temperatureEvents, 1u);

    const auto& a = *run->snapshot;
    const auto& b = *saved.snapshot;
    EXPECT_EQ(b.step, a.step);
    EXPECT_EQ(b.embeddings, a.embeddings);
    EXPECT_EQ(b.labels, a.labels);
    EXPECT_EQ(b.indices, a.indices);
    EXPECT_EQ(b.perPointLoss, a.perPointLoss);
    EXPECT_EQ(b.pca.points, a.pca.points);
    EXPECT_EQ(b.lda.points, a.lda.points);
    EXPECT_EQ(b.pca.knnAgreement, a.pca.knnAgreement);
    EXPECT_EQ(b.lda.knnAgreement, a.lda.knnAgreement);
    EXPECT_EQ(b.pca.explained, a.pca.explained);
    EXPECT_EQ(b.bins, a.bins);
    ASSERT_EQ(b.histograms.size(), a.histograms.size());
    for (std::size_t k = 0; k < a.histograms.size(); ++k) {
        EXPECT_EQ(b.histograms[k].positive, a.histograms[k].positive);
        EXPECT_EQ(b.histograms[k].negative, a.histograms[k].negative);
        EXPECT_DOUBLE_EQ(b.histograms[k].overlap, a.histograms[k].overlap);
    }
    ASSERT_TRUE(b.metrics);
    EXPECT_EQ(b.metrics->step, 10);
}

TEST(SavedRun, OlderFoldersGetTheirProjectionsRecomputed) {
    const auto run = exportRun();
    for (const char* f : {"projection.npy", "projection_lda.npy", "projection.json",
                          "point_loss.npy", "knn_agreement.npy"})
        fs::remove(run->folder / f);
    const core::SavedRun saved = core::loadSavedRun(run->folder);
    const std::size_t n = run->snapshot->labels.size();
    EXPECT_EQ(saved.snapshot->pca.points.size(), n * 3);
    EXPECT_EQ(saved.snapshot->lda.points.size(), n * 3);
    EXPECT_GT(saved.snapshot->pca.explained[0], 0.0);
    EXPECT_TRUE(saved.snapshot->perPointLoss.empty());
}

TEST(SavedRun, DamageIsOneLineNamingTheFile) {
    const auto run = exportRun();
    const fs::path f = run->folder;
    {
        fixtures::TempDir copy;
        fs::copy(f, copy.path() / "s", fs::copy_options::recursive);
        replaceInFile(copy.path() / "s/metrics.csv", "\n3,", "\n3x,");
        const std::string e = errorOf(copy.path() / "s");
        EXPECT_NE(e.find("metrics.csv:4: '3x' is not a number"), std::string::npos) << e;
    }
    {
        fixtures::TempDir copy;
        fs::copy(f, copy.path() / "s", fs::copy_options::recursive);
        replaceInFile(copy.path() / "s/histograms.json", "\"bins\":", "\"bins\":1");
        const std::string e = errorOf(copy.path() / "s");
        EXPECT_NE(e.find("histograms.json"), std::string::npos) << e;
        EXPECT_EQ(e.find('\n'), std::string::npos);
    }
    {
        fixtures::TempDir copy;
        fs::copy(f, copy.path() / "s", fs::copy_options::recursive);
        fixtures::writeText(copy.path() / "s/events.json", "[{\"step\": 1}]");
        const std::string e = errorOf(copy.path() / "s");
        EXPECT_NE(e.find("events.json: event 0"), std::string::npos) << e;
    }
    {
        fixtures::TempDir copy;
        fs::copy(f, copy.path() / "s", fs::copy_options::recursive);
        fs::resize_file(copy.path() / "s/projection_lda.npy", 200);
        const std::string e = errorOf(copy.path() / "s");
        EXPECT_NE(e.find("projection_lda.npy"), std::string::npos) << e;
    }
}

TEST(SavedRun, MetricsCsvRules) {
    std::vector<core::StepRecord> r;
    std::vector<core::Metrics> m;
    const std::string head =
        "step,wall_seconds,lr,loss,loss_suncet,snn_top1,knn_top1,precision_at_1,map_at_r\n";
    core::parseMetricsCsv(head + "1,0.1,0.01,2.5,2.5,,,,\n2,0.2,0.01,2.4,,0.5,0.4,0.5,0.3\n",
                          "m.csv", r, m);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_DOUBLE_EQ(r[0].components.at("suncet"), 2.5);
    EXPECT_TRUE(r[1].components.empty());
    ASSERT_EQ(m.size(), 1u);
    EXPECT_DOUBLE_EQ(m[0].mapAtR, 0.3);
    auto err = [&](const std::string& text) {
        try {
            std::vector<core::StepRecord> r2;
            std::vector<core::Metrics> m2;
            core::parseMetricsCsv(text, "m.csv", r2, m2);
        } catch (const core::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(err(head + "2,0,0,1,,,,,\n1,0,0,1,,,,,\n"), "m.csv:3: step 1 does not follow 2");
    EXPECT_EQ(err(head + "1,0,0,1,,0.5,,,\n"), "m.csv:2: metrics only partly filled in");
    EXPECT_EQ(err(head + "1,0,0,1\n"), "m.csv:2: 4 fields, header has 9");
    EXPECT_EQ(err("step,loss\n"), "m.csv:1: header is not step,wall_seconds,lr,loss,[loss_*,]"
                                  "snn_top1,knn_top1,precision_at_1,map_at_r");
    EXPECT_EQ(err("step,wall_seconds,lr,loss,acc,snn_top1,knn_top1,precision_at_1,map_at_r\n"),
              "m.csv:1: unknown column 'acc'");
}
