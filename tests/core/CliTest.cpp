// contrastscope-cli inspect as a user runs it: JSON on stdout, exit 2 with one line on bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "Fixtures.h"

using namespace fixtures;

namespace {

struct Result {
    int exitCode = -1;
    bool signalled = false;
    std::string out, err;
};

Result runCli(const std::string& args) {
    TempDir tmp;
    const std::string cmd = std::string(CONTRASTSCOPE_CLI) + " " + args + " >" +
                            (tmp / "out").string() + " 2>" + (tmp / "err").string();
    const int status = std::system(cmd.c_str());
    Result r;
    r.signalled = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) >= 128);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto slurp = [](const fs::path& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    r.out = slurp(tmp / "out");
    r.err = slurp(tmp / "err");
    return r;
}

} // namespace

TEST(CliInspect, PrintsSummaryJson) {
    TempDir dir;
    writeIdxFolder(dir.path(), 40, 20);
    const auto r = runCli("inspect " + dir.path().string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "idx");
    EXPECT_EQ(j["train"], 40);
    EXPECT_EQ(j["test"], 20);
    EXPECT_EQ(j["classes"], 10);
    EXPECT_EQ(j["shape"], nlohmann::json({1, 28, 28}));
    EXPECT_EQ(j["class_names"].size(), 10u);
    EXPECT_DOUBLE_EQ(j["labelled_fraction"].get<double>(), 1.0);
}

TEST(CliInspect, LabelledFractionOption) {
    const auto r = runCli("inspect 'builtin:blobs?train=500&test=50' --labelled-fraction 0.2");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NEAR(nlohmann::json::parse(r.out)["labelled_fraction"].get<double>(), 0.2, 1e-9);
}

TEST(CliInspect, CorruptedInputsExitTwoWithOneLine) {
    TempDir dir;
    // One folder per corruption, each a different loader and failure.
    writeIdxFolder(dir / "idx-trunc", 10, 0);
    auto b = read(dir / "idx-trunc" / "train-images-idx3-ubyte");
    b.resize(50);
    write(dir / "idx-trunc" / "train-images-idx3-ubyte", b);
    writeCifar10Folder(dir / "cifar-bad", 1, 10);
    b = read(dir / "cifar-bad" / "data_batch_1.bin");
    b[0] = 200;
    write(dir / "cifar-bad" / "data_batch_1.bin", b);
    writeText(dir / "bad.csv", "a,label\n1,x\nzz,y\n");
    write(dir / "npy" / "X.npy", {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0xff, 0xff});
    write(dir / "npy" / "y.npy", {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0});
    for (const std::string target : {"idx-trunc", "cifar-bad", "bad.csv", "npy", "missing"}) {
        const auto r = runCli("inspect " + (dir / target).string());
        EXPECT_FALSE(r.signalled) << target;
        EXPECT_EQ(r.exitCode, 2) << target;
        EXPECT_TRUE(r.out.empty()) << target;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find(dir.path().string()), std::string::npos) << r.err;
    }
}

TEST(CliInspect, HelpOnSubcommand) {
    const auto r = runCli("inspect --help");
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_NE(r.out.find("--labelled-fraction"), std::string::npos);
}

// ---- loss ----

#include "core/io/Npy.h"

TEST(CliLoss, HandComputedValueAndGradientFile) {
    TempDir dir;
    const std::vector<double> e{1, 0, 2, 0, 0, 1, 0, 3};
    const std::vector<std::int64_t> l{0, 0, 1, 1};
    core::writeNpy(dir / "E.npy", core::NpyType::F8, {4, 2}, e.data());
    core::writeNpy(dir / "L.npy", core::NpyType::I8, {4}, l.data());
    const auto r = runCli("loss --loss suncet --embeddings " + (dir / "E.npy").string() +
                          " --labels " + (dir / "L.npy").string() +
                          " --temperature 0.5 --dtype float64 --grad " + (dir / "G.npy").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_NEAR(j["loss"].get<double>(), -std::log(std::exp(2.0) / (std::exp(2.0) + 2.0)), 1e-12);
    EXPECT_EQ(j["anchors_without_positives"], 0);
    EXPECT_EQ(j["n"], 4);
    const auto g = core::readNpy(dir / "G.npy");
    EXPECT_EQ(g.type, core::NpyType::F8);
    EXPECT_EQ(g.shape, (std::vector<std::uint64_t>{4, 2}));
    // Symmetric configuration: the gradient has no component along each row's own direction.
    const auto gv = g.toDouble();
    EXPECT_NEAR(gv[0], 0.0, 1e-12);
    EXPECT_NEAR(gv[7], 0.0, 1e-12);

    const auto nt = runCli("loss --loss ntxent --embeddings " + (dir / "E.npy").string());
    ASSERT_EQ(nt.exitCode, 0) << nt.err;
    EXPECT_NEAR(nlohmann::json::parse(nt.out)["loss"].get<double>(), std::log(std::exp(2.0) + 2.0),
                1e-5);
}

TEST(CliLoss, BadFilesExitTwo) {
    TempDir dir;
    const std::vector<float> e(6, 1.0f);
    core::writeNpy(dir / "E3.npy", core::NpyType::F4, {6}, e.data());
    const std::vector<std::int64_t> l{0, 1};
    core::writeNpy(dir / "L.npy", core::NpyType::I8, {2}, l.data());
    writeText(dir / "junk.npy", "not numpy");
    for (const std::string& args :
         {"--embeddings " + (dir / "E3.npy").string() + " --labels " + (dir / "L.npy").string(),
          "--embeddings " + (dir / "junk.npy").string() + " --labels " + (dir / "L.npy").string(),
          "--embeddings " + (dir / "nope.npy").string() + " --labels " +
              (dir / "L.npy").string()}) {
        const auto r = runCli("loss --loss supcon " + args);
        EXPECT_EQ(r.exitCode, 2) << args;
        EXPECT_FALSE(r.signalled);
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

// ---- train ----

TEST(CliTrain, JsonSummaryConfigFileAndOverrides) {
    TempDir dir;
    writeText(dir / "run.json",
              R"({"dataset": "builtin:blobs?train=300&test=60", "steps": 12, "loss": "supcon",
                                    "per_class": 5, "threads": 1})");
    const auto r =
        runCli("train --config " + (dir / "run.json").string() + " --steps 8 --eval-every 4");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key :
         {"steps", "seconds", "steps_per_second", "samples_per_second", "final_loss", "snn_top1",
          "knn_top1", "precision_at_1", "map_at_r", "device", "events", "eval_seconds"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["steps"], 8); // the flag overrides the file
    EXPECT_EQ(j["loss"], "supcon");
    EXPECT_DOUBLE_EQ(j["temperature"].get<double>(), 0.07); // SupCon's default
    EXPECT_EQ(j["device"], "cpu");
    EXPECT_EQ(j["eval_references"], 300);
    EXPECT_GT(j["steps_per_second"].get<double>(), 0.0);
    // Not a terminal: one plain line per evaluation on stderr.
    EXPECT_NE(r.err.find("step 4: snn"), std::string::npos) << r.err;
}

TEST(CliTrain, BadInputsExitTwo) {
    TempDir dir;
    writeText(dir / "bad.json", R"({"steps": "many"})");
    for (const std::string& args :
         {"--dataset " + (dir / "missing").string(), "--config " + (dir / "bad.json").string(),
          std::string("--dataset builtin:blobs --encoder cnn-small --steps 2")}) {
        const auto r = runCli("train " + args);
        EXPECT_EQ(r.exitCode, 2) << args << "\n" << r.err;
        EXPECT_FALSE(r.signalled);
        EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
    }
}

TEST(CliTrain, ExportThenResumeReachesTheSameLoss) {
    TempDir dir;
    const std::string common =
        " --dataset 'builtin:blobs?train=400&test=80' --threads 1 --probe 20";
    const auto full = runCli("train" + common + " --steps 12 --export " + dir.path().string() +
                             " --export-every 6");
    ASSERT_EQ(full.exitCode, 0) << full.err;
    const auto a = nlohmann::json::parse(full.out);
    EXPECT_EQ(a["export"], (dir / "snapshot-000012").string());
    ASSERT_TRUE(fs::is_directory(dir / "snapshot-000006"));
    const auto resumed =
        runCli("train --resume " + (dir / "snapshot-000006").string() + " --steps 12 --threads 1");
    ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
    const auto b = nlohmann::json::parse(resumed.out);
    EXPECT_EQ(b["steps"], 12);
    EXPECT_EQ(b["final_loss"].get<double>(), a["final_loss"].get<double>()); // bit-identical
    const auto bad = runCli("train --resume " + (dir / "missing").string());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("not a snapshot folder"), std::string::npos) << bad.err;
}
