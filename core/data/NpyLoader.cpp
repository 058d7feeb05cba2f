#include "core/data/NpyLoader.h"

#include <algorithm>
#include <cmath>

#include "core/data/ClassNames.h"
#include "core/io/Npy.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

namespace {

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

void loadPair(const fs::path& xFile, const fs::path& yFile, Dataset& ds, Split& split) {
    const NpyArray x = readNpy(xFile);
    const NpyArray y = readNpy(yFile);
    if (y.shape.size() != 1 && !(y.shape.size() == 2 && y.shape[1] == 1))
        throwInFile(yFile.string(), "labels must be 1-D [N], got " +
                                        std::to_string(y.shape.size()) + " dimensions");
    if (x.shape.empty() || x.shape.size() > 4 || x.shape.size() == 1)
        throwInFile(xFile.string(), "expected [N, D], [N, H, W] or [N, C, H, W], got " +
                                        std::to_string(x.shape.size()) + " dimensions");
    if (x.shape[0] != y.shape[0])
        throwInFile(yFile.string(), std::to_string(y.shape[0]) + " labels but " +
                                        xFile.filename().string() + " has " +
                                        std::to_string(x.shape[0]) + " rows");
    if (x.shape[0] == 0) throwInFile(xFile.string(), "array has no rows");
    const bool image = x.shape.size() >= 3;
    if (image && x.type != NpyType::U1)
        throwInFile(xFile.string(),
                    "image arrays must be uint8 (u1); use [N, D] for float features");
    int c = 0, h = 0, w = 0, d = 0;
    if (image) {
        c = x.shape.size() == 4 ? int(x.shape[1]) : 1;
        h = int(x.shape[x.shape.size() - 2]);
        w = int(x.shape[x.shape.size() - 1]);
        if (c != 1 && c != 3)
            throwInFile(xFile.string(),
                        "images need 1 or 3 channels (NCHW), got " + std::to_string(c));
    } else {
        d = int(x.shape[1]);
        if (d <= 0) throwInFile(xFile.string(), "feature dimension is zero");
    }
    if (ds.channels == 0 && ds.featureDim == 0) {
        ds.channels = c;
        ds.height = h;
        ds.width = w;
        ds.featureDim = d;
    } else if (ds.channels != c || ds.height != h || ds.width != w || ds.featureDim != d) {
        throwInFile(xFile.string(), "sample shape differs from the train split's");
    }
    if (image)
        split.images = x.data;
    else {
        split.features = x.toFloat();
        for (std::size_t i = 0; i < split.features.size(); ++i)
            if (!std::isfinite(split.features[i]))
                throwInFile(xFile.string(),
                            "row " + std::to_string(i / std::size_t(d)) + " holds NaN or infinity");
    }
    split.labels = y.toInt64(yFile.string());
    for (std::size_t i = 0; i < split.labels.size(); ++i)
        if (split.labels[i] < 0 || split.labels[i] > 100000)
            throwInFile(yFile.string(), "label " + std::to_string(split.labels[i]) + " of row " +
                                            std::to_string(i) + " is out of range");
}

} // namespace

bool looksLikeNpyFolder(const fs::path& dir) {
    return (isFile(dir / "X.npy") && isFile(dir / "y.npy")) ||
           (isFile(dir / "X_train.npy") && isFile(dir / "y_train.npy"));
}

Dataset loadNpyFolder(const fs::path& dir, const LoadControl& control) {
    Dataset ds;
    ds.format = "npy";
    ds.source = dir.string();
    ds.name =
        dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
    control.report(0, 2);
    if (isFile(dir / "X_train.npy")) {
        loadPair(dir / "X_train.npy", dir / "y_train.npy", ds, ds.train);
        control.check();
        control.report(1, 2);
        if (isFile(dir / "X_test.npy") != isFile(dir / "y_test.npy"))
            throwInFile(dir.string(),
                        "X_test.npy and y_test.npy must both be present or both absent");
        if (isFile(dir / "X_test.npy"))
            loadPair(dir / "X_test.npy", dir / "y_test.npy", ds, ds.test);
    } else if (isFile(dir / "X.npy")) {
        loadPair(dir / "X.npy", dir / "y.npy", ds, ds.train);
    } else {
        throwInFile(dir.string(), "no X.npy/y.npy or X_train.npy/y_train.npy");
    }
    control.report(2, 2);
    std::int64_t maxLabel = 0;
    for (const auto* s : {&ds.train, &ds.test})
        for (auto y : s->labels)
            maxLabel = std::max(maxLabel, y);
    ds.classNames = classNamesFor(dir, ds.name, int(maxLabel) + 1);
    ds.validate();
    return ds;
}

} // namespace core
