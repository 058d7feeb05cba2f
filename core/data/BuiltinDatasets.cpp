#include "core/data/BuiltinDatasets.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/util/Error.h"

namespace core {

namespace {

constexpr double kPi = 3.14159265358979323846;

double boxSdf(double x, double y, double hx, double hy) {
    const double dx = std::fabs(x) - hx, dy = std::fabs(y) - hy;
    return std::hypot(std::max(dx, 0.0), std::max(dy, 0.0)) + std::min(std::max(dx, dy), 0.0);
}

/// Signed distance (negative inside) of class `cls` at unit-scale point (x, y); `t` = stroke.
double shapeSdf(int cls, double x, double y, double t) {
    const double r = std::hypot(x, y);
    switch (cls) {
    case 0:
        return r - 1.0; // circle
    case 1:
        return boxSdf(x, y, 0.8, 0.8); // square
    case 2: {                          // triangle (equilateral)
        const double k = std::sqrt(3.0);
        double px = std::fabs(x) - 1.0, py = y + 1.0 / k;
        if (px + k * py > 0.0) {
            const double nx = (px - k * py) / 2.0, ny = (-k * px - py) / 2.0;
            px = nx;
            py = ny;
        }
        px -= std::clamp(px, -2.0, 0.0);
        return -std::hypot(px, py) * (py < 0 ? -1.0 : 1.0);
    }
    case 3:
        return std::min(boxSdf(x, y, 1.0, t), boxSdf(x, y, t, 1.0)); // cross
    case 4:
        return std::fabs(r - 0.8) - t; // ring
    case 5: {                          // five-point star
        const double a = std::atan2(y, x);
        const double seg = 2.0 * kPi / 5.0;
        double f = std::fmod(a + kPi / 2.0 + 10.0 * kPi, seg) / seg; // 0..1 across one point
        f = std::fabs(f - 0.5) * 2.0;                                // 1 at tips, 0 between
        return r - (0.45 + 0.6 * f);
    }
    case 6:
        return std::fabs(x) / 0.55 + std::fabs(y) / 1.0 - 1.0; // tall diamond
    case 7: {                                                  // hexagon
        double d = -1e9;
        for (int k = 0; k < 3; ++k) {
            const double ang = k * kPi / 3.0;
            d = std::max(d, std::fabs(x * std::cos(ang) + y * std::sin(ang)));
        }
        return d - 0.85;
    }
    case 8:
        return std::max(r - 1.0, -(std::hypot(x - 0.45, y) - 0.8)); // crescent
    default:
        return boxSdf(x, y, 1.0, t); // bar
    }
}

void renderShape(int cls, int size, std::mt19937_64& rng, std::uint8_t* out) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> n01(0.0, 1.0);
    const double scale = size * (0.22 + 0.13 * u(rng)); // radius in pixels
    const double margin = scale * 1.05;
    const double cx = margin + u(rng) * std::max(0.0, size - 2 * margin);
    const double cy = margin + u(rng) * std::max(0.0, size - 2 * margin);
    const double rot = u(rng) * 2.0 * kPi;
    const double stroke = 0.15 + 0.15 * u(rng);
    const double intensity = 0.65 + 0.35 * u(rng);
    const double noise = 0.08 * u(rng);
    const double c = std::cos(rot), s = std::sin(rot);
    for (int py = 0; py < size; ++py)
        for (int px = 0; px < size; ++px) {
            const double dx = (px + 0.5 - cx) / scale, dy = (py + 0.5 - cy) / scale;
            const double lx = c * dx + s * dy, ly = -s * dx + c * dy;
            const double d = shapeSdf(cls, lx, ly, stroke) * scale; // in pixels
            double v = intensity * std::clamp(0.5 - d, 0.0, 1.0) + noise * n01(rng);
            out[py * size + px] = std::uint8_t(std::clamp(v, 0.0, 1.0) * 255.0 + 0.5);
        }
}

std::uint64_t sampleSeed(std::uint64_t seed, std::uint64_t split, std::uint64_t i) {
    // splitmix64 of a combined key: independent streams per sample.
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + split * 0xBF58476D1CE4E5B9ull + i + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

Dataset makeShapes(const ShapesOptions& o, const LoadControl& control) {
    if (o.train < 10 || o.test < 0 || o.size < 8 || o.size > 256 || o.train > 10000000 ||
        o.test > 10000000)
        throw Error("builtin:shapes: need train >= 10, test >= 0, 8 <= size <= 256");
    Dataset ds;
    ds.format = "builtin";
    ds.name = "shapes";
    ds.classNames = {"circle", "square",  "triangle", "cross",    "ring",
                     "star",   "diamond", "hexagon",  "crescent", "bar"};
    ds.channels = 1;
    ds.height = ds.width = o.size;
    const std::size_t per = std::size_t(o.size) * o.size;
    const std::size_t total = std::size_t(o.train) + std::size_t(o.test);
    std::size_t done = 0;
    for (int split = 0; split < 2; ++split) {
        Split& s = split == 0 ? ds.train : ds.test;
        const int n = split == 0 ? o.train : o.test;
        s.images.resize(std::size_t(n) * per);
        s.labels.resize(std::size_t(n));
        for (int i = 0; i < n; ++i, ++done) {
            if ((done & 255) == 0) {
                control.check();
                control.report(done, total);
            }
            std::mt19937_64 rng(sampleSeed(o.seed, std::uint64_t(split), std::uint64_t(i)));
            const int cls = i % 10; // balanced classes
            s.labels[std::size_t(i)] = cls;
            renderShape(cls, o.size, rng, s.images.data() + std::size_t(i) * per);
        }
    }
    control.report(total, total);
    return ds;
}

Dataset makeBlobs(const BlobsOptions& o) {
    if (o.classes < 2 || o.classes > 1000 || o.dim < 2 || o.dim > 4096 || o.train < o.classes ||
        o.test < 0 || !(o.separation >= 0.0) ||
        std::size_t(o.train + o.test) * std::size_t(o.dim) > (1ull << 31))
        throw Error("builtin:blobs: need 2 <= classes <= 1000, 2 <= dim <= 4096, train >= classes, "
                    "separation >= 0");
    Dataset ds;
    ds.format = "builtin";
    ds.name = "blobs";
    ds.featureDim = o.dim;
    for (int c = 0; c < o.classes; ++c)
        ds.classNames.push_back("blob " + std::to_string(c));
    std::mt19937_64 rng(sampleSeed(o.seed, 7, 0));
    std::normal_distribution<double> n01(0.0, 1.0);
    const double sd = 1.0 / std::sqrt(double(o.dim));
    std::vector<double> centres(std::size_t(o.classes) * o.dim);
    for (auto& v : centres)
        v = o.separation * sd * n01(rng);
    for (int split = 0; split < 2; ++split) {
        Split& s = split == 0 ? ds.train : ds.test;
        const int n = split == 0 ? o.train : o.test;
        for (int i = 0; i < n; ++i) {
            const int cls = i % o.classes;
            s.labels.push_back(cls);
            for (int d = 0; d < o.dim; ++d)
                s.features.push_back(float(centres[std::size_t(cls) * o.dim + d] + sd * n01(rng)));
        }
    }
    return ds;
}

Dataset loadBuiltin(const std::string& spec, const LoadControl& control) {
    const std::string body = spec.substr(std::string("builtin:").size());
    const auto q = body.find('?');
    const std::string name = body.substr(0, q);
    std::map<std::string, std::string> params;
    if (q != std::string::npos) {
        std::size_t pos = q + 1;
        while (pos <= body.size()) {
            auto amp = body.find('&', pos);
            if (amp == std::string::npos) amp = body.size();
            const std::string kv = body.substr(pos, amp - pos);
            const auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0)
                throw Error(spec + ": malformed parameter '" + kv + "' (want key=value)");
            params[kv.substr(0, eq)] = kv.substr(eq + 1);
            pos = amp + 1;
        }
    }
    auto num = [&](const std::string& key, double fallback) {
        auto it = params.find(key);
        if (it == params.end()) return fallback;
        try {
            std::size_t used = 0;
            const double v = std::stod(it->second, &used);
            if (used != it->second.size()) throw std::invalid_argument("");
            params.erase(it);
            return v;
        } catch (const std::exception&) {
            throw Error(spec + ": parameter '" + key + "' is not a number");
        }
    };
    Dataset ds;
    if (name == "shapes") {
        ShapesOptions o;
        o.train = int(num("train", o.train));
        o.test = int(num("test", o.test));
        o.size = int(num("size", o.size));
        o.seed = std::uint64_t(num("seed", 0));
        if (!params.empty())
            throw Error(spec + ": unknown parameter '" + params.begin()->first +
                        "' (train, test, size, seed)");
        ds = makeShapes(o, control);
    } else if (name == "blobs") {
        BlobsOptions o;
        o.train = int(num("train", o.train));
        o.test = int(num("test", o.test));
        o.classes = int(num("classes", o.classes));
        o.dim = int(num("dim", o.dim));
        o.separation = num("separation", o.separation);
        o.seed = std::uint64_t(num("seed", 0));
        if (!params.empty())
            throw Error(spec + ": unknown parameter '" + params.begin()->first +
                        "' (train, test, classes, dim, separation, seed)");
        ds = makeBlobs(o);
    } else {
        throw Error(spec + ": unknown built-in dataset '" + name + "' (shapes, blobs)");
    }
    ds.source = spec;
    ds.validate();
    return ds;
}

} // namespace core
