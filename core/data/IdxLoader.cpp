#include "core/data/IdxLoader.h"

#include <algorithm>
#include <optional>

#include "core/data/ClassNames.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

IdxArray parseIdx(const Bytes& bytes, const std::string& name, int expectedDims) {
    if (bytes.empty()) throwInFile(name, "file is empty");
    if (bytes.size() < 4) throwAtByte(name, 0, "file too short for an IDX header");
    if (bytes[0] != 0 || bytes[1] != 0)
        throwAtByte(name, 0, "bad IDX magic (expected 00 00 08 0N)");
    if (bytes[2] != 0x08)
        throwAtByte(
            name, 2, "unsupported IDX element type 0x" + [&] {
                const char* hex = "0123456789abcdef";
                return std::string{hex[bytes[2] >> 4], hex[bytes[2] & 15]};
            }() + " (only unsigned byte 0x08)");
    const int ndims = bytes[3];
    if (ndims != expectedDims)
        throwAtByte(name, 3,
                    "IDX has " + std::to_string(ndims) + " dimensions, expected " +
                        std::to_string(expectedDims));
    const std::size_t headerSize = 4 + 4 * std::size_t(ndims);
    if (bytes.size() < headerSize) throwAtByte(name, bytes.size(), "truncated IDX header");
    IdxArray out;
    std::uint64_t total = 1;
    for (int d = 0; d < ndims; ++d) {
        const std::uint32_t dim = readBE32(bytes.data() + 4 + 4 * d);
        if (dim == 0) throwAtByte(name, 4 + 4 * std::uint64_t(d), "IDX dimension is zero");
        total *= dim;
        // Checked against the file before anything is allocated.
        if (total > bytes.size() - headerSize)
            throwAtByte(name, 4 + 4 * std::uint64_t(d),
                        "IDX header declares more data than the file holds (" +
                            std::to_string(bytes.size() - headerSize) + " bytes after header)");
        out.dims.push_back(dim);
    }
    if (total != bytes.size() - headerSize)
        throwAtByte(name, headerSize + total,
                    std::to_string(bytes.size() - headerSize - total) +
                        " unexpected trailing bytes after IDX data");
    out.data.assign(bytes.begin() + std::ptrdiff_t(headerSize), bytes.end());
    return out;
}

namespace {

std::optional<fs::path> findIdx(const fs::path& dir, const std::string& prefix,
                                const std::string& kind) {
    // Accept both "train-images-idx3-ubyte" and "train-images.idx3-ubyte", raw or .gz.
    for (const char* sep : {"-", "."})
        for (const char* ext : {"", ".gz"}) {
            const fs::path p = dir / (prefix + sep + kind + ext);
            std::error_code ec;
            if (fs::is_regular_file(p, ec)) return p;
        }
    return std::nullopt;
}

void loadSplit(const fs::path& images, const fs::path& labels, Dataset& ds, Split& split,
               const LoadControl& control) {
    control.check();
    const IdxArray img = parseIdx(readMaybeGzip(images), images.string(), 3);
    control.check();
    const IdxArray lab = parseIdx(readMaybeGzip(labels), labels.string(), 1);
    if (img.dims[0] != lab.dims[0])
        throwInFile(labels.string(), std::to_string(lab.dims[0]) + " labels but " +
                                         images.filename().string() + " holds " +
                                         std::to_string(img.dims[0]) + " images");
    const int h = int(img.dims[1]), w = int(img.dims[2]);
    if (ds.channels == 0) {
        ds.channels = 1;
        ds.height = h;
        ds.width = w;
    } else if (ds.height != h || ds.width != w) {
        throwInFile(images.string(), "image size " + std::to_string(h) + "x" + std::to_string(w) +
                                         " differs from the train split's " +
                                         std::to_string(ds.height) + "x" +
                                         std::to_string(ds.width));
    }
    split.images = std::move(img.data);
    split.labels.assign(lab.data.begin(), lab.data.end());
}

} // namespace

bool looksLikeIdxFolder(const fs::path& dir) {
    return findIdx(dir, "train", "images-idx3-ubyte").has_value() ||
           findIdx(dir, "train", "images.idx3-ubyte").has_value();
}

Dataset loadIdxFolder(const fs::path& dir, const LoadControl& control) {
    Dataset ds;
    ds.format = "idx";
    ds.source = dir.string();
    const auto trainImages = findIdx(dir, "train", "images-idx3-ubyte");
    const auto trainLabels = findIdx(dir, "train", "labels-idx1-ubyte");
    if (!trainImages) throwInFile(dir.string(), "no train-images-idx3-ubyte[.gz] in folder");
    if (!trainLabels) throwInFile(dir.string(), "no train-labels-idx1-ubyte[.gz] in folder");
    control.report(0, 4);
    loadSplit(*trainImages, *trainLabels, ds, ds.train, control);
    control.report(2, 4);
    const auto testImages = findIdx(dir, "t10k", "images-idx3-ubyte");
    const auto testLabels = findIdx(dir, "t10k", "labels-idx1-ubyte");
    if (testImages && testLabels)
        loadSplit(*testImages, *testLabels, ds, ds.test, control);
    else if (testImages || testLabels)
        throwInFile(dir.string(), "t10k images and labels must both be present or both absent");
    control.report(4, 4);

    std::int64_t maxLabel = 0;
    for (const auto* s : {&ds.train, &ds.test})
        for (auto y : s->labels)
            maxLabel = std::max(maxLabel, y);
    ds.name =
        dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
    ds.classNames = classNamesFor(dir, ds.name, int(maxLabel) + 1);
    // A label past the known class list is reported at its byte in the labels file.
    const std::pair<const Split*, std::optional<fs::path>> splits[] = {{&ds.train, trainLabels},
                                                                       {&ds.test, testLabels}};
    for (const auto& [split, file] : splits)
        for (std::size_t i = 0; i < split->labels.size(); ++i)
            if (split->labels[i] >= ds.numClasses())
                throwAtByte(file->string(), 8 + i,
                            "label " + std::to_string(split->labels[i]) + " is outside 0.." +
                                std::to_string(ds.numClasses() - 1));
    ds.validate();
    return ds;
}

} // namespace core
