// contrastscope-cli inspect as a user runs it: JSON on stdout, exit 2 with one line on bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

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
    const std::string cmd = std::string(CONTRASTSCOPE_CLI) + " " + args + " >" + (tmp / "out").string() +
                            " 2>" + (tmp / "err").string();
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
