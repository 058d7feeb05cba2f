#include "core/io/SnapshotExport.h"

#include <nlohmann/json.hpp>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <random>
#include <set>
#include <sstream>

#include "core/io/Npy.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

namespace {

void writeText(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(p.string() + ": cannot open for writing");
    out << text;
    out.flush();
    if (!out) throw Error(p.string() + ": write failed (disk full?)");
}

std::string hex64(std::uint64_t v) {
    std::ostringstream s;
    s << std::hex << std::setw(16) << std::setfill('0') << v;
    return s.str();
}

std::string configJson(const SnapshotContents& c) {
    nlohmann::json j = nlohmann::json::parse(c.config->toJson());
    j["version"] = CONTRASTSCOPE_VERSION;
    j["step"] = c.snapshot->step;
    j["wall_seconds"] = c.wallSeconds;
    j["device"] = c.device;
    j["dataset_spec"] = c.dataset->source;
    j["dataset_fingerprint"] = hex64(c.dataset->fingerprint());
    j["dataset_classes"] = c.dataset->classNames;
    return j.dump(2);
}

std::string eventsJson(const std::vector<Event>& events) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& e : events)
        j.push_back({{"step", e.step},
                     {"name", e.name},
                     {"old", e.oldValue},
                     {"new", e.newValue},
                     {"message", e.message}});
    return j.dump(2);
}

std::string metricsCsv(const SnapshotContents& c) {
    std::set<std::string> components;
    for (const auto& r : c.records)
        for (const auto& [name, v] : r.components)
            components.insert(name);
    std::ostringstream out;
    out << std::setprecision(9) << "step,wall_seconds,lr,loss";
    for (const auto& name : components)
        out << ",loss_" << name;
    out << ",snn_top1,knn_top1,precision_at_1,map_at_r\n";
    std::size_t m = 0;
    for (const auto& r : c.records) {
        out << r.step << ',' << r.wallSeconds << ',' << r.lr << ',' << r.loss;
        for (const auto& name : components) {
            out << ',';
            if (auto it = r.components.find(name); it != r.components.end()) out << it->second;
        }
        while (m < c.metrics.size() && c.metrics[m].step < r.step)
            ++m;
        if (m < c.metrics.size() && c.metrics[m].step == r.step) {
            const auto& e = c.metrics[m];
            out << ',' << e.snnTop1 << ',' << e.knnTop1 << ',' << e.precisionAt1 << ',' << e.mapAtR
                << '\n';
        } else {
            out << ",,,,\n";
        }
    }
    return out.str();
}

std::string histogramsJson(const SnapshotContents& c) {
    const auto& s = *c.snapshot;
    nlohmann::json j;
    j["step"] = s.step;
    j["bins"] = s.bins;
    j["range"] = {-1.0, 1.0};
    j["classes"] = nlohmann::json::array();
    for (std::size_t k = 0; k < s.histograms.size(); ++k) {
        const bool all = k + 1 == s.histograms.size();
        j["classes"].push_back({{"class", all ? std::string("all") : c.dataset->classNames[k]},
                                {"positive", s.histograms[k].positive},
                                {"negative", s.histograms[k].negative},
                                {"overlap", s.histograms[k].overlap}});
    }
    return j.dump();
}

void writeTensorBoard(const fs::path& dir, const SnapshotContents& c) {
    fs::create_directories(dir);
    const auto& s = *c.snapshot;
    const std::size_t n = s.labels.size(), d = std::size_t(s.dim);
    {
        std::ofstream t(dir / "tensors.tsv", std::ios::binary);
        t << std::setprecision(7);
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t k = 0; k < d; ++k)
                t << (k ? "\t" : "") << s.embeddings[i * d + k];
            t << '\n';
        }
        if (!t) throw Error((dir / "tensors.tsv").string() + ": write failed");
    }
    std::ostringstream meta;
    meta << "label\tclass\n";
    for (std::size_t i = 0; i < n; ++i) {
        std::string name = c.dataset->classNames[std::size_t(s.labels[i])];
        for (auto& ch : name)
            if (ch == '\t' || ch == '\n') ch = ' ';
        meta << s.labels[i] << '\t' << name << '\n';
    }
    writeText(dir / "metadata.tsv", meta.str());
    std::ostringstream cfg;
    cfg << "embeddings {\n"
        << "  tensor_name: \"contrastscope step " << s.step << "\"\n"
        << "  tensor_shape: " << n << "\n  tensor_shape: " << d << "\n"
        << "  tensor_path: \"tensors.tsv\"\n"
        << "  metadata_path: \"metadata.tsv\"\n";
    const Dataset& ds = *c.dataset;
    if (ds.isImage() && n > 0) {
        const auto g = spriteGeometry(n, ds.height, ds.width);
        const int side = g.cellsPerRow * g.cell, ch = ds.channels == 1 ? 1 : 3;
        std::vector<std::uint8_t> sheet(std::size_t(side) * side * ch, 0);
        const Split& split = ds.test.size() ? ds.test : ds.train;
        std::vector<std::uint8_t> hwc(std::size_t(ds.height) * ds.width * ch),
            cell(std::size_t(g.cell) * g.cell * ch);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t* px =
                split.images.data() + std::size_t(s.indices[i]) * ds.sampleSize();
            for (int y = 0; y < ds.height; ++y)
                for (int x = 0; x < ds.width; ++x)
                    for (int k = 0; k < ch; ++k)
                        hwc[(std::size_t(y) * ds.width + x) * ch + k] =
                            px[std::size_t(k) * ds.height * ds.width + std::size_t(y) * ds.width +
                               x];
            if (g.cell == ds.height && g.cell == ds.width)
                cell = hwc;
            else
                stbir_resize_uint8(hwc.data(), ds.width, ds.height, 0, cell.data(), g.cell, g.cell,
                                   0, ch);
            const int row = int(i) / g.cellsPerRow, col = int(i) % g.cellsPerRow;
            for (int y = 0; y < g.cell; ++y)
                std::copy_n(
                    cell.data() + std::size_t(y) * g.cell * ch, std::size_t(g.cell) * ch,
                    sheet.data() +
                        ((std::size_t(row) * g.cell + y) * side + std::size_t(col) * g.cell) * ch);
        }
        if (!stbi_write_png((dir / "sprite.png").string().c_str(), side, side, ch, sheet.data(),
                            side * ch))
            throw Error((dir / "sprite.png").string() + ": cannot write PNG");
        cfg << "  sprite {\n    image_path: \"sprite.png\"\n    single_image_dim: " << g.cell
            << "\n    single_image_dim: " << g.cell << "\n  }\n";
    }
    cfg << "}\n";
    writeText(dir / "projector_config.pbtxt", cfg.str());
}

/// What the 3D view offers besides the PCA coordinates, so a saved run shows the same:
/// projection_lda.npy, point_loss.npy, knn_agreement.npy ([N, 2]: PCA, LDA) and
/// projection.json (the explained shares per axis).
void writeProjectionExtras(const fs::path& dir, const Snapshot& s) {
    const auto n = std::uint64_t(s.labels.size());
    if (s.lda.points.size() == n * 3)
        writeNpy(dir / "projection_lda.npy", NpyType::F4, {n, 3}, s.lda.points.data());
    if (s.perPointLoss.size() == n)
        writeNpy(dir / "point_loss.npy", NpyType::F4, {n}, s.perPointLoss.data());
    if (s.pca.knnAgreement.size() == n && s.lda.knnAgreement.size() == n) {
        std::vector<float> both(std::size_t(n) * 2);
        for (std::size_t i = 0; i < n; ++i) {
            both[2 * i] = s.pca.knnAgreement[i];
            both[2 * i + 1] = s.lda.knnAgreement[i];
        }
        writeNpy(dir / "knn_agreement.npy", NpyType::F4, {n, 2}, both.data());
    }
    nlohmann::json j;
    j["pca"]["explained"] = s.pca.explained;
    j["lda"]["explained"] = s.lda.explained;
    writeText(dir / "projection.json", j.dump(2));
}

} // namespace

std::string snapshotFolderName(std::int64_t step) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "snapshot-%06lld", static_cast<long long>(step));
    return buf;
}

SpriteGeometry spriteGeometry(std::size_t n, int h, int w) {
    SpriteGeometry g;
    g.cellsPerRow = std::max(1, int(std::ceil(std::sqrt(double(n)))));
    g.cell = std::max(1, std::min({std::max(h, w), 8192 / g.cellsPerRow}));
    return g;
}

fs::path exportSnapshot(const fs::path& parent, const SnapshotContents& c) {
    if (!c.config || !c.dataset || !c.snapshot)
        throw Error("export: nothing to export yet (no snapshot)");
    const fs::path target = parent / snapshotFolderName(c.snapshot->step);
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec || !fs::is_directory(parent))
        throw Error(parent.string() +
                    ": cannot create folder: " + (ec ? ec.message() : "not a folder"));
    std::mt19937_64 rng(std::random_device{}());
    const fs::path tmp =
        parent / ("." + target.filename().string() + ".tmp-" + std::to_string(rng() % 1000000));
    try {
        if (!fs::create_directory(tmp, ec) || ec)
            throw Error(tmp.string() + ": cannot create: " + ec.message());
        const auto& s = *c.snapshot;
        const auto n = std::uint64_t(s.labels.size());
        writeText(tmp / "config.json", configJson(c));
        writeText(tmp / "events.json", eventsJson(c.events));
        writeText(tmp / "metrics.csv", metricsCsv(c));
        writeNpy(tmp / "embeddings.npy", NpyType::F4, {n, std::uint64_t(s.dim)},
                 s.embeddings.data());
        writeNpy(tmp / "labels.npy", NpyType::I8, {n}, s.labels.data());
        writeNpy(tmp / "indices.npy", NpyType::I8, {n}, s.indices.data());
        if (s.pca.points.size() == n * 3)
            writeNpy(tmp / "projection.npy", NpyType::F4, {n, 3}, s.pca.points.data());
        writeProjectionExtras(tmp, s);
        writeText(tmp / "histograms.json", histogramsJson(c));
        writeTensorBoard(tmp / "tensorboard", c);
        if (c.writeExtra) c.writeExtra(tmp);
        // Swap into place; an older export of the same step is replaced only once the new one
        // is complete.
        const fs::path old =
            parent / ("." + target.filename().string() + ".old-" + std::to_string(rng() % 1000000));
        const bool replacing = fs::exists(target);
        if (replacing) fs::rename(target, old);
        fs::rename(tmp, target);
        if (replacing) fs::remove_all(old, ec);
    } catch (const std::exception& e) {
        fs::remove_all(tmp, ec);
        const std::string msg = e.what();
        throw Error(
            msg.rfind(parent.string(), 0) == 0 ? msg : target.string() + ": export failed: " + msg);
    }
    return target;
}

} // namespace core

namespace core {

SnapshotInfo readSnapshot(const fs::path& folder, SnapshotArrays* arrays) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw Error(folder.string() + ": not a snapshot folder");
    for (const char* f :
         {"config.json", "events.json", "metrics.csv", "model.pt", "optimizer.pt", "rng.pt",
          "sampler.txt", "embeddings.npy", "labels.npy", "indices.npy", "histograms.json"})
        if (!fs::is_regular_file(folder / f, ec)) throw Error((folder / f).string() + ": missing");
    SnapshotInfo info;
    const fs::path configFile = folder / "config.json";
    std::ifstream in(configFile, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
        info.step = j.at("step").get<std::int64_t>();
        info.version = j.at("version").get<std::string>();
        info.device = j.value("device", "");
        info.datasetFingerprint = j.at("dataset_fingerprint").get<std::string>();
        info.datasetSpec = j.value("dataset_spec", "");
        info.classNames = j.value("dataset_classes", std::vector<std::string>{});
        info.wallSeconds = j.value("wall_seconds", 0.0);
    } catch (const nlohmann::json::exception& e) {
        throw Error(configFile.string() + ": not a snapshot config (" +
                    std::string(e.what()).substr(0, 80) + ")");
    }
    if (info.version.empty() || info.version[0] != '0')
        throw Error(configFile.string() + ": written by version " + info.version + ", this is " +
                    CONTRASTSCOPE_VERSION);
    for (const char* extra : {"step", "version", "wall_seconds", "device", "dataset_spec",
                              "dataset_fingerprint", "dataset_classes"})
        j.erase(extra);
    info.config = TrainConfig::fromJson(j.dump(), configFile.string());
    NpyArray e = readNpy(folder / "embeddings.npy");
    NpyArray l = readNpy(folder / "labels.npy");
    NpyArray i = readNpy(folder / "indices.npy");
    if (e.shape.size() != 2)
        throw Error((folder / "embeddings.npy").string() + ": expected [N, D]");
    info.probePoints = std::size_t(e.shape[0]);
    info.dim = std::size_t(e.shape[1]);
    if (l.shape != std::vector<std::uint64_t>{e.shape[0]})
        throw Error((folder / "labels.npy").string() + ": " + std::to_string(l.count()) +
                    " labels for " + std::to_string(e.shape[0]) + " embeddings");
    if (i.shape != std::vector<std::uint64_t>{e.shape[0]})
        throw Error((folder / "indices.npy").string() + ": shape disagrees with embeddings.npy");
    std::optional<NpyArray> p;
    if (fs::exists(folder / "projection.npy")) {
        p = readNpy(folder / "projection.npy");
        if (p->shape != std::vector<std::uint64_t>{e.shape[0], 3})
            throw Error((folder / "projection.npy").string() + ": expected [" +
                        std::to_string(e.shape[0]) + ", 3]");
    }
    if (arrays) *arrays = {std::move(e), std::move(l), std::move(i), std::move(p)};
    return info;
}

} // namespace core
