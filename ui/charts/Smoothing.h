#pragma once
/// Pure helpers behind the loss chart: TensorBoard's debiased EMA and bounded decimation.

#include <QPointF>
#include <QVector>

#include <cstdint>
#include <vector>

namespace ui {

/// TensorBoard's smoothing: last = last·w + (1−w)·y, plotted as last / (1 − wⁿ).
class DebiasedEma {
  public:
    explicit DebiasedEma(double weight = 0.6) : weight_(weight) {}
    double add(double y);
    void reset() {
        last_ = 0;
        n_ = 0;
    }
    void setWeight(double w) {
        weight_ = w;
        reset();
    }
    double weight() const { return weight_; }

  private:
    double weight_, last_ = 0;
    std::int64_t n_ = 0;
};

/// A growing (x, y) series whose memory and drawn point count stay bounded: the newest
/// `recent` points are kept exactly; older ones are merged into buckets that keep their min and
/// max (so spikes stay visible). Bucket width doubles whenever the bucket count would exceed
/// `maxBuckets`.
class DecimatedSeries {
  public:
    explicit DecimatedSeries(int recent = 2000, int maxBuckets = 1000);
    void append(double x, double y);
    void clear();
    /// Points to draw, oldest first (min/max pairs for buckets, then the recent raw points).
    QVector<QPointF> points() const;
    std::int64_t totalAppended() const { return total_; }
    int storedPoints() const {
        return int(recent_.size() + 2 * buckets_.size() + (pending_.count ? 2 : 0));
    }
    double minY() const { return minY_; }
    double maxY() const { return maxY_; }

  private:
    struct Bucket {
        double x0 = 0, x1 = 0, yMin = 0, yMax = 0, xMin = 0, xMax = 0;
        std::int64_t count = 0;
        void add(double x, double y);
        void merge(const Bucket& o);
    };
    void pushOld(double x, double y);

    int recentLimit_, maxBuckets_;
    std::int64_t bucketWidth_ = 1, total_ = 0;
    std::vector<QPointF> recent_; ///< ring would be faster; kept simple: erase from front in chunks
    std::vector<Bucket> buckets_;
    Bucket pending_;
    double minY_ = 0, maxY_ = 0;
};

} // namespace ui
