#pragma once
/// Two runs' loss curves on one chart: each run's TensorBoard-smoothed loss (bold) over its raw
/// loss (faint), against the step. Memory and drawn points stay bounded (DecimatedSeries).

#include <QWidget>

#include <array>
#include <vector>

#include "core/train/Records.h"
#include "ui/charts/Smoothing.h"

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;
class QLogValueAxis;
class QCheckBox;

namespace ui {

class CompareLossChart : public QWidget {
    Q_OBJECT
  public:
    explicit CompareLossChart(QWidget* parent = nullptr);
    /// Run 0 (A) or 1 (B).
    void setName(int run, const QString& name);
    void append(int run, const std::vector<core::StepRecord>& records);
    void clear(int run);
    void setLogY(bool on);

    int pointCount(int run) const;
    /// The newest smoothed value of a run (0 when empty).
    double lastSmoothed(int run) const { return side_[std::size_t(run)].lastSmoothed; }

  private:
    void redraw();

    struct Side {
        QLineSeries *raw = nullptr, *smooth = nullptr;
        DecimatedSeries rawData, smoothData;
        DebiasedEma ema{0.6};
        double lastSmoothed = 0;
    };
    QChart* chart_;
    QChartView* view_;
    QValueAxis *x_, *yLinear_;
    QLogValueAxis* yLog_;
    QCheckBox* logY_;
    std::array<Side, 2> side_;
};

} // namespace ui
