#include "core/data/Sampler.h"

#include <algorithm>
#include <sstream>

#include "core/util/Error.h"

namespace core {

StratifiedSampler::StratifiedSampler(const std::vector<std::int64_t>& labels, int numClasses,
                                     std::uint64_t seed, const std::vector<std::uint8_t>& eligible)
    : members_(std::size_t(numClasses)), cursor_(std::size_t(numClasses), 0), rng_(seed) {
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (eligible.empty() || eligible[i])
            members_[std::size_t(labels[i])].push_back(std::int64_t(i));
    for (int c = 0; c < numClasses; ++c)
        if (!members_[std::size_t(c)].empty()) {
            classes_.push_back(c);
            std::shuffle(members_[std::size_t(c)].begin(), members_[std::size_t(c)].end(), rng_);
        }
    if (classes_.empty()) throw Error("sampler: no labelled samples to draw from");
    std::shuffle(classes_.begin(), classes_.end(), rng_);
}

std::vector<std::int64_t> StratifiedSampler::next(int classesPerBatch, int perClass) {
    const int c = std::clamp(classesPerBatch, 1, int(classes_.size()));
    const int p = std::max(1, perClass);
    lastClasses_.clear();
    while (int(lastClasses_.size()) < c) {
        if (classCursor_ >= classes_.size()) {
            std::shuffle(classes_.begin(), classes_.end(), rng_);
            classCursor_ = 0;
        }
        // A class drawn at the end of the old permutation may come early in the new one:
        // swap in a later, unused class so that a batch never repeats a class.
        auto used = [this](int cls) {
            return std::find(lastClasses_.begin(), lastClasses_.end(), cls) != lastClasses_.end();
        };
        if (used(classes_[classCursor_]))
            for (std::size_t k = classCursor_ + 1; k < classes_.size(); ++k)
                if (!used(classes_[k])) {
                    std::swap(classes_[classCursor_], classes_[k]);
                    break;
                }
        lastClasses_.push_back(classes_[classCursor_++]);
    }
    std::vector<std::int64_t> batch(std::size_t(c) * std::size_t(p));
    for (int k = 0; k < c; ++k) {
        auto& m = members_[std::size_t(lastClasses_[std::size_t(k)])];
        auto& cur = cursor_[std::size_t(lastClasses_[std::size_t(k)])];
        for (int j = 0; j < p; ++j) {
            if (cur >= m.size()) {
                std::shuffle(m.begin(), m.end(), rng_);
                cur = 0;
            }
            batch[std::size_t(j) * std::size_t(c) + std::size_t(k)] = m[cur++];
        }
    }
    return batch;
}

std::string StratifiedSampler::saveState() const {
    std::ostringstream out;
    out << rng_ << ' ' << classCursor_ << ' ' << classes_.size();
    for (int c : classes_)
        out << ' ' << c;
    for (std::size_t c = 0; c < members_.size(); ++c) {
        out << ' ' << cursor_[c] << ' ' << members_[c].size();
        for (auto i : members_[c])
            out << ' ' << i;
    }
    return out.str();
}

void StratifiedSampler::loadState(const std::string& state) {
    std::istringstream in(state);
    std::size_t n = 0;
    in >> rng_ >> classCursor_ >> n;
    if (!in || n != classes_.size()) throw Error("sampler state does not match the dataset");
    for (auto& c : classes_)
        in >> c;
    for (std::size_t c = 0; c < members_.size(); ++c) {
        std::size_t m = 0;
        in >> cursor_[c] >> m;
        if (!in || m != members_[c].size()) throw Error("sampler state does not match the dataset");
        for (auto& i : members_[c])
            in >> i;
    }
    if (!in) throw Error("sampler state is truncated");
}

UniformSampler::UniformSampler(std::size_t poolSize, std::uint64_t seed)
    : order_(poolSize), rng_(seed) {
    if (poolSize == 0) throw Error("sampler: empty pool");
    for (std::size_t i = 0; i < poolSize; ++i)
        order_[i] = std::int64_t(i);
    std::shuffle(order_.begin(), order_.end(), rng_);
}

std::vector<std::int64_t> UniformSampler::next(int batchSize) {
    std::vector<std::int64_t> batch(std::size_t(std::max(1, batchSize)));
    for (auto& b : batch) {
        if (cursor_ >= order_.size()) {
            std::shuffle(order_.begin(), order_.end(), rng_);
            cursor_ = 0;
        }
        b = order_[cursor_++];
    }
    return batch;
}

std::string UniformSampler::saveState() const {
    std::ostringstream out;
    out << rng_ << ' ' << cursor_ << ' ' << order_.size();
    for (auto i : order_)
        out << ' ' << i;
    return out.str();
}

void UniformSampler::loadState(const std::string& state) {
    std::istringstream in(state);
    std::size_t n = 0;
    in >> rng_ >> cursor_ >> n;
    if (!in || n != order_.size()) throw Error("sampler state does not match the dataset");
    for (auto& i : order_)
        in >> i;
    if (!in) throw Error("sampler state is truncated");
}

} // namespace core
