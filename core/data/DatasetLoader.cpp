#include "core/data/DatasetLoader.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/data/BuiltinDatasets.h"
#include "core/data/CifarLoader.h"
#include "core/data/CsvLoader.h"
#include "core/data/IdxLoader.h"
#include "core/data/ImageFolderLoader.h"
#include "core/data/NpyLoader.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

namespace {

std::string sniffFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throwInFile(file.string(), "cannot open");
    char head[8] = {};
    in.read(head, sizeof(head));
    const auto n = in.gcount();
    if (n == 0) throwInFile(file.string(), "file is empty");
    if (n >= 6 && std::string(head + 1, 5) == "NUMPY") return "npy";
    if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08) return "idx";
    if ((unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b)
        return "idx"; // gzip'd IDX
    const std::string ext = file.extension().string();
    if (ext == ".bin") return "cifar";
    for (std::streamsize i = 0; i < n; ++i)
        if (head[i] == 0) throwInFile(file.string(), "unrecognised binary file");
    return "csv";
}

} // namespace

std::string detectFormat(const std::string& spec) {
    if (spec.rfind("builtin:", 0) == 0) return "builtin";
    const fs::path p(spec);
    std::error_code ec;
    if (!fs::exists(p, ec)) throwInFile(spec, "no such file or folder");
    if (fs::is_directory(p, ec)) {
        if (looksLikeIdxFolder(p)) return "idx";
        if (auto c = detectCifarFolder(p); !c.empty()) return c;
        if (looksLikeNpyFolder(p)) return "npy";
        if (looksLikeImageFolder(p)) return "imagefolder";
        throwInFile(
            spec, "no dataset recognised in folder (IDX, CIFAR, X/y.npy, class folders of images)");
    }
    const std::string kind = sniffFile(p);
    if (kind == "idx" || kind == "npy" || kind == "cifar")
        return detectFormat(p.parent_path().empty() ? "." : p.parent_path().string());
    return kind;
}

Dataset loadDataset(const std::string& spec, const LoadOptions& options,
                    const LoadControl& control) {
    if (!(options.labelledFraction > 0.0 && options.labelledFraction <= 1.0))
        throw Error("labelled fraction must be in (0, 1], got " +
                    std::to_string(options.labelledFraction));
    const std::string format = detectFormat(spec);
    fs::path p(spec);
    std::error_code ec;
    if (format != "builtin" && format != "csv" && !fs::is_directory(p, ec))
        p = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    Dataset ds;
    if (format == "builtin")
        ds = loadBuiltin(spec, control);
    else if (format == "idx")
        ds = loadIdxFolder(p, control);
    else if (format == "cifar10" || format == "cifar100")
        ds = loadCifarFolder(p, control);
    else if (format == "npy")
        ds = loadNpyFolder(p, control);
    else if (format == "imagefolder")
        ds = loadImageFolder(p, {options.imageHeight, options.imageWidth}, control);
    else
        ds = loadCsv(p, control);
    ds.source = spec;
    if (ds.test.size() == 0 && options.testFraction > 0.0)
        splitTrainTest(ds, options.testFraction, options.seed);
    if (options.labelledFraction < 1.0)
        applyLabelledFraction(ds, options.labelledFraction, options.seed);
    return ds;
}

std::string defaultDatasetSpec() {
    const char* fm = "/usr/share/datasets/fashion-mnist";
    std::error_code ec;
    if (fs::is_directory(fm, ec) && looksLikeIdxFolder(fm)) return fm;
    return "builtin:shapes";
}

std::string summaryJson(const Dataset& ds) {
    nlohmann::json j;
    j["format"] = ds.format;
    j["name"] = ds.name;
    j["source"] = ds.source;
    j["train"] = ds.train.size();
    j["test"] = ds.test.size();
    j["classes"] = ds.numClasses();
    if (ds.isImage())
        j["shape"] = {ds.channels, ds.height, ds.width};
    else
        j["shape"] = {ds.featureDim};
    j["class_names"] = ds.classNames;
    j["train_counts"] = ds.classCounts(ds.train);
    j["test_counts"] = ds.classCounts(ds.test);
    j["labelled_fraction"] = ds.labelledFraction();
    return j.dump();
}

} // namespace core
