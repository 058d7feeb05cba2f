#include "core/data/Dataset.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/util/Error.h"

namespace core {

std::size_t Split::labelledCount() const {
    if (labelled.empty()) return labels.size();
    return static_cast<std::size_t>(std::count(labelled.begin(), labelled.end(), 1));
}

std::size_t Dataset::sampleSize() const {
    return isImage() ? std::size_t(channels) * height * width : std::size_t(featureDim);
}

double Dataset::labelledFraction() const {
    if (train.size() == 0) return 0.0;
    return double(train.labelledCount()) / double(train.size());
}

std::vector<std::size_t> Dataset::classCounts(const Split& split) const {
    std::vector<std::size_t> counts(classNames.size(), 0);
    for (auto y : split.labels)
        if (y >= 0 && std::size_t(y) < counts.size()) ++counts[std::size_t(y)];
    return counts;
}

void Dataset::validate() const {
    if (classNames.empty()) throwInFile(source, "dataset has no classes");
    if (isImage() && (channels <= 0 || height <= 0 || width <= 0))
        throwInFile(source, "image geometry is empty");
    const std::size_t per = sampleSize();
    for (const auto* split : {&train, &test}) {
        const char* which = split == &train ? "train" : "test";
        const std::size_t n = split->labels.size();
        const std::size_t have = isImage() ? split->images.size() : split->features.size();
        if (have != n * per)
            throwInFile(source, std::string(which) + " split: " + std::to_string(n) +
                                    " labels but data for " + std::to_string(per ? have / per : 0) +
                                    " samples");
        if (!split->labelled.empty() && split->labelled.size() != n)
            throwInFile(source, std::string(which) + " split: labelled mask has wrong size");
        for (std::size_t i = 0; i < n; ++i)
            if (split->labels[i] < 0 || split->labels[i] >= numClasses())
                throwInFile(source, std::string(which) + " split: label " +
                                        std::to_string(split->labels[i]) + " of sample " +
                                        std::to_string(i) + " is outside 0.." +
                                        std::to_string(numClasses() - 1));
    }
    if (train.size() == 0) throwInFile(source, "train split is empty");
    const auto counts = classCounts(train);
    for (std::size_t c = 0; c < counts.size(); ++c)
        if (counts[c] == 0 && std::count(test.labels.begin(), test.labels.end(), c) == 0)
            throwInFile(source, "class '" + classNames[c] + "' has no samples");
}

std::uint64_t Dataset::fingerprint() const {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void* data, std::size_t n) {
        const auto* p = static_cast<const std::uint8_t*>(data);
        for (std::size_t i = 0; i < n; ++i) {
            h ^= p[i];
            h *= 1099511628211ull;
        }
    };
    for (const auto* s : {&train, &test}) {
        mix(s->images.data(), s->images.size());
        mix(s->features.data(), s->features.size() * sizeof(float));
        mix(s->labels.data(), s->labels.size() * sizeof(std::int64_t));
    }
    for (const auto& n : classNames)
        mix(n.data(), n.size());
    return h;
}

namespace {
std::vector<std::vector<std::size_t>> indicesByClass(const Split& s, int numClasses) {
    std::vector<std::vector<std::size_t>> byClass;
    byClass.resize(std::size_t(numClasses));
    for (std::size_t i = 0; i < s.labels.size(); ++i)
        byClass[std::size_t(s.labels[i])].push_back(i);
    return byClass;
}

void appendSample(const Dataset& ds, const Split& from, std::size_t i, Split& to) {
    const std::size_t per = ds.sampleSize();
    if (ds.isImage())
        to.images.insert(to.images.end(), from.images.begin() + std::ptrdiff_t(i * per),
                         from.images.begin() + std::ptrdiff_t((i + 1) * per));
    else
        to.features.insert(to.features.end(), from.features.begin() + std::ptrdiff_t(i * per),
                           from.features.begin() + std::ptrdiff_t((i + 1) * per));
    to.labels.push_back(from.labels[i]);
    if (!from.labelled.empty()) to.labelled.push_back(from.labelled[i]);
}
} // namespace

void applyLabelledFraction(Dataset& ds, double fraction, std::uint64_t seed) {
    if (!(fraction > 0.0 && fraction <= 1.0))
        throw Error("labelled fraction must be in (0, 1], got " + std::to_string(fraction));
    if (fraction >= 1.0) {
        ds.train.labelled.clear();
        return;
    }
    std::mt19937_64 rng(seed);
    ds.train.labelled.assign(ds.train.size(), 0);
    for (auto& idx : indicesByClass(ds.train, ds.numClasses())) {
        if (idx.empty()) continue;
        std::shuffle(idx.begin(), idx.end(), rng);
        const auto keep =
            std::max<std::size_t>(1, std::size_t(std::llround(fraction * double(idx.size()))));
        for (std::size_t k = 0; k < keep && k < idx.size(); ++k)
            ds.train.labelled[idx[k]] = 1;
    }
}

void splitTrainTest(Dataset& ds, double testFraction, std::uint64_t seed) {
    if (!(testFraction > 0.0 && testFraction < 1.0))
        throw Error("test fraction must be in (0, 1), got " + std::to_string(testFraction));
    std::mt19937_64 rng(seed);
    std::vector<std::uint8_t> toTest(ds.train.size(), 0);
    for (auto& idx : indicesByClass(ds.train, ds.numClasses())) {
        if (idx.size() < 2) continue;
        std::shuffle(idx.begin(), idx.end(), rng);
        auto n = std::size_t(std::llround(testFraction * double(idx.size())));
        n = std::clamp<std::size_t>(n, 1, idx.size() - 1);
        for (std::size_t k = 0; k < n; ++k)
            toTest[idx[k]] = 1;
    }
    Split train, test = std::move(ds.test);
    for (std::size_t i = 0; i < ds.train.size(); ++i)
        appendSample(ds, ds.train, i, toTest[i] ? test : train);
    if (!test.labelled.empty() && test.labelled.size() != test.labels.size()) test.labelled.clear();
    ds.train = std::move(train);
    ds.test = std::move(test);
}

} // namespace core
