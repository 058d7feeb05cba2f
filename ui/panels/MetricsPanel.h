#pragma once
/// Evaluation metrics over steps: current values large, a small line chart per metric, and
/// the training throughput.

#include <QWidget>

#include <memory>
#include <vector>

#include "core/train/Records.h"

class QLabel;
class QLineSeries;
class QValueAxis;
class QChart;

namespace ui {

class MetricsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit MetricsPanel(QWidget* parent = nullptr);
    void addSnapshot(const std::shared_ptr<const core::Snapshot>& snapshot);
    /// One evaluation (steps must increase; a repeat of the last step is ignored).
    void addMetrics(const core::Metrics& metrics);
    void setThroughput(double samplesPerSecond);
    void clear();
    int pointCount() const;
    QString valueText(int metric) const;

  private:
    struct Metric {
        QLabel* value;
        QLineSeries* series;
        QValueAxis* x;
        QChart* chart;
    };
    std::vector<Metric> metrics_;
    QLabel* throughput_;
    QLabel* detail_;
    std::int64_t lastStep_ = -1;
};

} // namespace ui
