#include "core/data/ImageFolderLoader.h"

#include <stb_image.h>
#include <stb_image_resize.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

namespace {

bool isImageFile(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

std::vector<fs::path> sortedEntries(const fs::path& dir, bool wantDirs) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (wantDirs ? e.is_directory(ec) : (e.is_regular_file(ec) && isImageFile(e.path())))
            out.push_back(e.path());
    }
    if (ec) throwInFile(dir.string(), "cannot list folder: " + ec.message());
    std::sort(out.begin(), out.end());
    return out;
}

bool hasImages(const fs::path& dir) {
    return !sortedEntries(dir, false).empty();
}

struct Item {
    fs::path file;
    std::int64_t label;
    bool test;
    int w = 0, h = 0, comp = 0;
};

} // namespace

bool looksLikeImageFolder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return false;
    fs::path root = fs::is_directory(dir / "train", ec) ? dir / "train" : dir;
    for (const auto& sub : sortedEntries(root, true))
        if (hasImages(sub)) return true;
    return false;
}

Dataset loadImageFolder(const fs::path& dir, const ImageFolderOptions& options,
                        const LoadControl& control) {
    Dataset ds;
    ds.format = "imagefolder";
    ds.source = dir.string();
    ds.name =
        dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
    std::error_code ec;
    const bool split = fs::is_directory(dir / "train", ec);
    const fs::path trainRoot = split ? dir / "train" : dir;

    // Class names come from the train folder; test classes must be among them.
    std::vector<Item> items;
    std::map<std::string, std::int64_t> classId;
    for (const auto& sub : sortedEntries(trainRoot, true)) {
        if (!hasImages(sub)) continue;
        classId[sub.filename().string()] = std::int64_t(ds.classNames.size());
        ds.classNames.push_back(sub.filename().string());
        for (const auto& f : sortedEntries(sub, false))
            items.push_back({f, classId[sub.filename().string()], false});
    }
    if (ds.classNames.empty()) throwInFile(dir.string(), "no class folders with images");
    if (split && fs::is_directory(dir / "test", ec)) {
        for (const auto& sub : sortedEntries(dir / "test", true)) {
            const auto files = sortedEntries(sub, false);
            if (files.empty()) continue;
            auto it = classId.find(sub.filename().string());
            if (it == classId.end())
                throwInFile(sub.string(),
                            "test class '" + sub.filename().string() + "' has no train folder");
            for (const auto& f : files)
                items.push_back({f, it->second, true});
        }
    }

    // Pass 1: headers only, to choose channels and the common size before decoding.
    std::map<std::pair<int, int>, std::size_t> sizes;
    bool colour = false;
    for (auto& it : items) {
        control.check();
        if (!stbi_info(it.file.string().c_str(), &it.w, &it.h, &it.comp))
            throwInFile(it.file.string(),
                        std::string("cannot decode image header: ") + stbi_failure_reason());
        if (it.w <= 0 || it.h <= 0 || it.w > 16384 || it.h > 16384)
            throwInFile(it.file.string(), "implausible image size " + std::to_string(it.w) + "x" +
                                              std::to_string(it.h));
        ++sizes[{it.h, it.w}];
        colour = colour || it.comp >= 3;
    }
    int h = options.height, w = options.width;
    if (h <= 0 || w <= 0) {
        auto best = std::max_element(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
        });
        h = best->first.first;
        w = best->first.second;
    }
    if (h > 1024 || w > 1024)
        throwInFile(dir.string(), "target image size " + std::to_string(h) + "x" +
                                      std::to_string(w) + " is too large (max 1024)");
    ds.channels = colour ? 3 : 1;
    ds.height = h;
    ds.width = w;
    const std::size_t per = std::size_t(ds.channels) * h * w;

    // Pass 2: decode, resize, and lay out as [C, H, W].
    std::vector<std::uint8_t> hwc(per);
    for (std::size_t i = 0; i < items.size(); ++i) {
        control.check();
        control.report(i, items.size());
        const auto& it = items[i];
        int iw = 0, ih = 0, ic = 0;
        std::unique_ptr<stbi_uc, void (*)(void*)> px(
            stbi_load(it.file.string().c_str(), &iw, &ih, &ic, ds.channels), stbi_image_free);
        if (!px)
            throwInFile(it.file.string(),
                        std::string("cannot decode image: ") + stbi_failure_reason());
        if (iw == w && ih == h)
            std::copy(px.get(), px.get() + per, hwc.begin());
        else if (!stbir_resize_uint8(px.get(), iw, ih, 0, hwc.data(), w, h, 0, ds.channels))
            throwInFile(it.file.string(), "resize failed");
        Split& s = it.test ? ds.test : ds.train;
        const std::size_t base = s.images.size();
        s.images.resize(base + per);
        for (int c = 0; c < ds.channels; ++c)
            for (std::size_t p = 0; p < std::size_t(h) * w; ++p)
                s.images[base + std::size_t(c) * h * w + p] =
                    hwc[p * std::size_t(ds.channels) + std::size_t(c)];
        s.labels.push_back(it.label);
    }
    control.report(items.size(), items.size());
    ds.validate();
    return ds;
}

} // namespace core
