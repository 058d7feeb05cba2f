#include "core/data/CifarLoader.h"

#include "core/data/ClassNames.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

namespace {
constexpr std::size_t kPixels = 3 * 32 * 32;

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}
} // namespace

void parseCifarBatch(const Bytes& bytes, const std::string& name, const CifarLayout& layout,
                     Split& split) {
    const std::size_t record = std::size_t(layout.labelBytes) + kPixels;
    if (bytes.empty()) throwInFile(name, "file is empty");
    if (bytes.size() % record != 0)
        throwAtByte(name, bytes.size() - bytes.size() % record,
                    "size " + std::to_string(bytes.size()) + " is not a multiple of the " +
                        std::to_string(record) + "-byte record (truncated file?)");
    const std::size_t n = bytes.size() / record;
    // Labels first: nothing is appended unless the whole file is valid.
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t y = bytes[i * record + std::size_t(layout.labelIndex)];
        if (y >= layout.numClasses)
            throwAtByte(name, i * record + std::size_t(layout.labelIndex),
                        "label " + std::to_string(y) + " of record " + std::to_string(i) +
                            " is outside 0.." + std::to_string(layout.numClasses - 1));
    }
    split.images.reserve(split.images.size() + n * kPixels);
    split.labels.reserve(split.labels.size() + n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto* rec = bytes.data() + i * record;
        split.labels.push_back(rec[layout.labelIndex]);
        split.images.insert(split.images.end(), rec + layout.labelBytes, rec + record);
    }
}

std::string detectCifarFolder(const fs::path& dir) {
    if (isFile(dir / "data_batch_1.bin") || isFile(dir / "test_batch.bin")) return "cifar10";
    if (isFile(dir / "train.bin") && isFile(dir / "test.bin")) return "cifar100";
    return "";
}

Dataset loadCifarFolder(const fs::path& dir, const LoadControl& control) {
    Dataset ds;
    ds.source = dir.string();
    ds.format = detectCifarFolder(dir);
    ds.channels = 3;
    ds.height = ds.width = 32;
    ds.name =
        dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
    if (ds.format == "cifar10") {
        const CifarLayout layout{1, 0, 10};
        std::vector<fs::path> trainFiles;
        for (int b = 1; b <= 5; ++b)
            if (isFile(dir / ("data_batch_" + std::to_string(b) + ".bin")))
                trainFiles.push_back(dir / ("data_batch_" + std::to_string(b) + ".bin"));
        if (trainFiles.empty()) throwInFile(dir.string(), "no data_batch_N.bin files");
        const std::size_t total = trainFiles.size() + 1;
        for (std::size_t i = 0; i < trainFiles.size(); ++i) {
            control.check();
            control.report(i, total);
            parseCifarBatch(readFile(trainFiles[i]), trainFiles[i].string(), layout, ds.train);
        }
        if (isFile(dir / "test_batch.bin"))
            parseCifarBatch(readFile(dir / "test_batch.bin"), (dir / "test_batch.bin").string(),
                            layout, ds.test);
        control.report(total, total);
        if (isFile(dir / "batches.meta.txt")) {
            ds.classNames = readNameList(dir / "batches.meta.txt");
            if (ds.classNames.size() < 10)
                throwInFile((dir / "batches.meta.txt").string(),
                            "lists " + std::to_string(ds.classNames.size()) +
                                " class names, expected 10");
            ds.classNames.resize(10);
        } else {
            ds.classNames = {"airplane", "automobile", "bird",  "cat",  "deer",
                             "dog",      "frog",       "horse", "ship", "truck"};
        }
    } else if (ds.format == "cifar100") {
        const CifarLayout layout{2, 1, 100};
        control.report(0, 2);
        parseCifarBatch(readFile(dir / "train.bin"), (dir / "train.bin").string(), layout,
                        ds.train);
        control.check();
        control.report(1, 2);
        parseCifarBatch(readFile(dir / "test.bin"), (dir / "test.bin").string(), layout, ds.test);
        control.report(2, 2);
        if (isFile(dir / "fine_label_names.txt")) {
            ds.classNames = readNameList(dir / "fine_label_names.txt");
            if (ds.classNames.size() < 100)
                throwInFile((dir / "fine_label_names.txt").string(),
                            "lists " + std::to_string(ds.classNames.size()) +
                                " names, expected 100");
            ds.classNames.resize(100);
        } else {
            for (int c = 0; c < 100; ++c)
                ds.classNames.push_back("class " + std::to_string(c));
        }
    } else {
        throwInFile(dir.string(), "not a CIFAR folder (no data_batch_N.bin / train.bin+test.bin)");
    }
    ds.validate();
    return ds;
}

} // namespace core
