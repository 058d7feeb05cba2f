#include "ui/charts/Smoothing.h"

#include <algorithm>
#include <cmath>

namespace ui {

double DebiasedEma::add(double y) {
    last_ = last_ * weight_ + (1.0 - weight_) * y;
    ++n_;
    const double debias = 1.0 - std::pow(weight_, double(n_));
    return debias > 0 ? last_ / debias : y;
}

DecimatedSeries::DecimatedSeries(int recent, int maxBuckets)
    : recentLimit_(recent), maxBuckets_(maxBuckets) {}

void DecimatedSeries::Bucket::add(double x, double y) {
    if (count == 0) {
        x0 = x1 = x;
        yMin = yMax = y;
        xMin = xMax = x;
    } else {
        x1 = x;
        if (y < yMin) {
            yMin = y;
            xMin = x;
        }
        if (y > yMax) {
            yMax = y;
            xMax = x;
        }
    }
    ++count;
}

void DecimatedSeries::Bucket::merge(const Bucket& o) {
    if (o.count == 0) return;
    if (count == 0) {
        *this = o;
        return;
    }
    x1 = o.x1;
    if (o.yMin < yMin) {
        yMin = o.yMin;
        xMin = o.xMin;
    }
    if (o.yMax > yMax) {
        yMax = o.yMax;
        xMax = o.xMax;
    }
    count += o.count;
}

void DecimatedSeries::append(double x, double y) {
    if (!std::isfinite(y)) return;
    if (total_ == 0) minY_ = maxY_ = y;
    minY_ = std::min(minY_, y);
    maxY_ = std::max(maxY_, y);
    ++total_;
    recent_.emplace_back(x, y);
    if (int(recent_.size()) >= 2 * recentLimit_) {
        // Move the oldest half into buckets in one go (amortised O(1) per point).
        const std::size_t move = recent_.size() - std::size_t(recentLimit_);
        for (std::size_t i = 0; i < move; ++i)
            pushOld(recent_[i].x(), recent_[i].y());
        recent_.erase(recent_.begin(), recent_.begin() + std::ptrdiff_t(move));
    }
}

void DecimatedSeries::pushOld(double x, double y) {
    pending_.add(x, y);
    if (pending_.count < bucketWidth_) return;
    buckets_.push_back(pending_);
    pending_ = Bucket{};
    if (int(buckets_.size()) > maxBuckets_) {
        // Halve the resolution of the old part: merge neighbours pairwise.
        std::vector<Bucket> merged;
        merged.reserve(buckets_.size() / 2 + 1);
        for (std::size_t i = 0; i + 1 < buckets_.size(); i += 2) {
            Bucket b = buckets_[i];
            b.merge(buckets_[i + 1]);
            merged.push_back(b);
        }
        if (buckets_.size() % 2) pending_ = buckets_.back();
        buckets_ = std::move(merged);
        bucketWidth_ *= 2;
    }
}

void DecimatedSeries::clear() {
    recent_.clear();
    buckets_.clear();
    pending_ = Bucket{};
    bucketWidth_ = 1;
    total_ = 0;
    minY_ = maxY_ = 0;
}

QVector<QPointF> DecimatedSeries::points() const {
    QVector<QPointF> out;
    out.reserve(int(2 * buckets_.size() + 2 + recent_.size()));
    auto addBucket = [&out](const Bucket& b) {
        if (b.count == 0) return;
        // Min and max in x order so the polyline draws the bucket's envelope.
        if (b.xMin <= b.xMax) {
            out.append(QPointF(b.xMin, b.yMin));
            if (b.count > 1) out.append(QPointF(b.xMax, b.yMax));
        } else {
            out.append(QPointF(b.xMax, b.yMax));
            out.append(QPointF(b.xMin, b.yMin));
        }
    };
    for (const auto& b : buckets_)
        addBucket(b);
    addBucket(pending_);
    for (const auto& p : recent_)
        out.append(p);
    return out;
}

} // namespace ui
