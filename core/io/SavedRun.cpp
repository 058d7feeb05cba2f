#include "core/io/SavedRun.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>

#include "core/io/Npy.h"
#include "core/project/Projection.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace core {

namespace {

std::string readText(const fs::path& p) {
    const Bytes b = readFile(p);
    return std::string(b.begin(), b.end());
}

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> out(1);
    for (char c : line) {
        if (c == ',')
            out.emplace_back();
        else if (c != '\r')
            out.back() += c;
    }
    return out;
}

/// A finite number, or nullopt for an empty field; anything else is an error.
std::optional<double> field(const std::string& s, const std::string& where) {
    if (s.empty()) return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        throw Error(where + ": '" + s.substr(0, 20) + "' is not a number");
    return v;
}

nlohmann::json parseJson(const fs::path& p) {
    try {
        return nlohmann::json::parse(readText(p));
    } catch (const nlohmann::json::exception& e) {
        throw Error(p.string() + ": not valid JSON (" + std::string(e.what()).substr(0, 80) + ")");
    }
}

std::vector<Event> readEvents(const fs::path& p) {
    const nlohmann::json j = parseJson(p);
    if (!j.is_array()) throw Error(p.string() + ": expected a list of events");
    std::vector<Event> events;
    try {
        for (const auto& e : j)
            events.push_back({e.at("step").get<std::int64_t>(), e.at("name").get<std::string>(),
                              e.value("old", 0.0), e.value("new", 0.0),
                              e.value("message", std::string())});
    } catch (const nlohmann::json::exception& e) {
        throw Error(p.string() + ": event " + std::to_string(events.size()) + ": " +
                    std::string(e.what()).substr(0, 80));
    }
    return events;
}

void readHistograms(const fs::path& p, std::size_t numClasses, Snapshot& s) {
    const nlohmann::json j = parseJson(p);
    try {
        s.bins = j.at("bins").get<int>();
        if (s.bins <= 0 || s.bins > 100000)
            throw Error(p.string() + ": bins = " + std::to_string(s.bins));
        const auto& classes = j.at("classes");
        if (!classes.is_array() || (numClasses && classes.size() != numClasses + 1))
            throw Error(p.string() + ": " + std::to_string(classes.size()) + " histograms for " +
                        std::to_string(numClasses) +
                        " classes (expected one per class and one for all)");
        for (const auto& c : classes) {
            ClassHistogram h;
            h.positive = c.at("positive").get<std::vector<double>>();
            h.negative = c.at("negative").get<std::vector<double>>();
            h.overlap = c.value("overlap", 0.0);
            if (h.positive.size() != std::size_t(s.bins) ||
                h.negative.size() != std::size_t(s.bins))
                throw Error(p.string() + ": class " + std::to_string(s.histograms.size()) +
                            " has " + std::to_string(h.positive.size()) + "/" +
                            std::to_string(h.negative.size()) + " counts for " +
                            std::to_string(s.bins) + " bins");
            s.histograms.push_back(std::move(h));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(p.string() + ": " + std::string(e.what()).substr(0, 80));
    }
}

Snapshot::Projection fromProjection3D(const Projection3D& p) {
    Snapshot::Projection out;
    out.points.resize(std::size_t(p.points.rows()) * 3);
    for (Eigen::Index i = 0; i < p.points.rows(); ++i)
        for (int k = 0; k < 3; ++k)
            out.points[std::size_t(i) * 3 + std::size_t(k)] = p.points(i, k);
    out.explained = p.explained;
    return out;
}

/// The values of an array whose shape is already known to be right; non-finite is an error.
std::vector<float> finiteFloats(const NpyArray& a, const fs::path& p) {
    std::vector<float> v = a.toFloat();
    for (float x : v)
        if (!std::isfinite(x)) throw Error(p.string() + ": holds a non-finite value");
    return v;
}

std::vector<float> readFloats(const fs::path& p, std::vector<std::uint64_t> shape) {
    const NpyArray a = readNpy(p);
    if (a.shape != shape) {
        std::string want;
        for (auto d : shape)
            want += (want.empty() ? "" : ", ") + std::to_string(d);
        throw Error(p.string() + ": expected shape [" + want + "]");
    }
    return finiteFloats(a, p);
}

} // namespace

void parseMetricsCsv(const std::string& text, const std::string& name,
                     std::vector<StepRecord>& records, std::vector<Metrics>& metrics) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line)) throw Error(name + ": empty");
    const auto header = splitCsv(line);
    const std::vector<std::string> head = {"step", "wall_seconds", "lr", "loss"};
    const std::vector<std::string> tail = {"snn_top1", "knn_top1", "precision_at_1", "map_at_r"};
    if (header.size() < head.size() + tail.size() ||
        !std::equal(head.begin(), head.end(), header.begin()) ||
        !std::equal(tail.begin(), tail.end(), header.end() - std::ptrdiff_t(tail.size())))
        throw Error(name + ":1: header is not step,wall_seconds,lr,loss,[loss_*,]snn_top1,"
                           "knn_top1,precision_at_1,map_at_r");
    std::vector<std::string> components;
    for (std::size_t k = head.size(); k + tail.size() < header.size(); ++k) {
        if (header[k].rfind("loss_", 0) != 0)
            throw Error(name + ":1: unknown column '" + header[k] + "'");
        components.push_back(header[k].substr(5));
    }
    std::int64_t lineNo = 1, lastStep = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line == "\r") continue;
        const std::string where = name + ":" + std::to_string(lineNo);
        const auto cells = splitCsv(line);
        if (cells.size() != header.size())
            throw Error(where + ": " + std::to_string(cells.size()) + " fields, header has " +
                        std::to_string(header.size()));
        StepRecord r;
        const auto step = field(cells[0], where);
        const auto loss = field(cells[3], where);
        if (!step || !loss) throw Error(where + ": step and loss are required");
        r.step = std::int64_t(*step);
        if (double(r.step) != *step || r.step <= lastStep)
            throw Error(where + ": step " + cells[0] + " does not follow " +
                        std::to_string(lastStep));
        lastStep = r.step;
        r.wallSeconds = field(cells[1], where).value_or(0);
        r.lr = field(cells[2], where).value_or(0);
        r.loss = *loss;
        for (std::size_t k = 0; k < components.size(); ++k)
            if (auto v = field(cells[head.size() + k], where)) r.components[components[k]] = *v;
        const std::size_t m = header.size() - tail.size();
        std::optional<double> values[4];
        int present = 0;
        for (int k = 0; k < 4; ++k)
            present += (values[k] = field(cells[m + std::size_t(k)], where)).has_value();
        if (present != 0 && present != 4) throw Error(where + ": metrics only partly filled in");
        if (present) {
            Metrics e;
            e.step = r.step;
            e.snnTop1 = *values[0];
            e.knnTop1 = *values[1];
            e.precisionAt1 = *values[2];
            e.mapAtR = *values[3];
            metrics.push_back(e);
        }
        records.push_back(std::move(r));
    }
}

SavedRun loadSavedRun(const fs::path& folder) {
    SavedRun run;
    run.folder = folder;
    SnapshotArrays arrays;                    // read once, by readSnapshot's shape checks
    run.info = readSnapshot(folder, &arrays); // presence, config, versions, shapes
    const std::size_t n = run.info.probePoints, d = run.info.dim;
    const std::size_t numClasses = run.info.classNames.size();
    parseMetricsCsv(readText(folder / "metrics.csv"), (folder / "metrics.csv").string(),
                    run.records, run.metrics);
    run.events = readEvents(folder / "events.json");

    auto s = std::make_shared<Snapshot>();
    s->step = run.info.step;
    s->dim = int(d);
    s->embeddings = finiteFloats(arrays.embeddings, folder / "embeddings.npy");
    s->labels = arrays.labels.toInt64((folder / "labels.npy").string());
    s->indices = arrays.indices.toInt64((folder / "indices.npy").string());
    for (std::size_t i = 0; i < n; ++i) {
        if (s->labels[i] < 0 || (numClasses && std::size_t(s->labels[i]) >= numClasses))
            throw Error((folder / "labels.npy").string() + ": label " +
                        std::to_string(s->labels[i]) + " at row " + std::to_string(i) +
                        " is outside the " + std::to_string(numClasses) + " classes");
        if (s->indices[i] < 0)
            throw Error((folder / "indices.npy").string() + ": negative index at row " +
                        std::to_string(i));
    }
    readHistograms(folder / "histograms.json", numClasses, *s);
    if (!run.metrics.empty() && run.metrics.back().step <= s->step) s->metrics = run.metrics.back();

    // The 3D coordinates as they were shown; recomputed for folders without them.
    const ConstRowMatrix x(s->embeddings.data(), Eigen::Index(n), Eigen::Index(d));
    const int classes = int(numClasses);
    if (arrays.projection)
        s->pca.points = finiteFloats(*arrays.projection, folder / "projection.npy");
    else
        s->pca = fromProjection3D(pca3(x));
    if (fs::exists(folder / "projection_lda.npy"))
        s->lda.points = readFloats(folder / "projection_lda.npy", {n, 3});
    else
        s->lda = fromProjection3D(lda3(x, s->labels, classes));
    if (fs::exists(folder / "projection.json")) {
        const nlohmann::json j = parseJson(folder / "projection.json");
        try {
            s->pca.explained = j.at("pca").at("explained").get<std::array<double, 3>>();
            s->lda.explained = j.at("lda").at("explained").get<std::array<double, 3>>();
        } catch (const nlohmann::json::exception& e) {
            throw Error((folder / "projection.json").string() + ": " +
                        std::string(e.what()).substr(0, 80));
        }
    }
    if (fs::exists(folder / "point_loss.npy"))
        s->perPointLoss = readFloats(folder / "point_loss.npy", {n});
    if (fs::exists(folder / "knn_agreement.npy")) {
        const auto both = readFloats(folder / "knn_agreement.npy", {n, 2});
        s->pca.knnAgreement.resize(n);
        s->lda.knnAgreement.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            s->pca.knnAgreement[i] = both[2 * i];
            s->lda.knnAgreement[i] = both[2 * i + 1];
        }
    }
    run.snapshot = std::move(s);
    return run;
}

} // namespace core
