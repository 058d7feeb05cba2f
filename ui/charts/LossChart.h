#pragma once
/// Streaming loss chart: raw loss (faint), TensorBoard-smoothed loss (bold), loss components,
/// learning rate on a secondary axis, and markers for hyperparameter changes (hover: step,
/// parameter, old → new). Old points are decimated so memory and redraw cost stay flat.

#include <QWidget>

#include <map>
#include <string>
#include <vector>

#include "core/train/Records.h"
#include "ui/charts/Smoothing.h"

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QLogValueAxis;
class QAbstractAxis;
class QCheckBox;
class QSlider;
class QLabel;

namespace ui {

class LossChart : public QWidget {
    Q_OBJECT
  public:
    explicit LossChart(QWidget* parent = nullptr);

    void appendRecords(const std::vector<core::StepRecord>& records);
    void addEvents(const std::vector<core::Event>& events);
    void clear();
    void setSmoothingWeight(double w);
    void setLogY(bool on);
    void setShowLearningRate(bool on);

    // For tests and benchmarks.
    int drawnRawPoints() const;
    int storedPoints() const;
    int markerCount() const;
    std::vector<double> smoothedTail(int n) const;
    QString markerTooltip(int index) const;
    QChartView* view() const { return view_; }

  private:
    void redraw();
    void rebuildSmoothed();
    void attachYAxis();

    QChart* chart_;
    QChartView* view_;
    QLineSeries *raw_, *smooth_, *lr_;
    QScatterSeries* markers_;
    std::map<std::string, QLineSeries*> componentSeries_;
    std::map<std::string, DecimatedSeries> components_;
    QValueAxis *x_, *yLinear_, *yLr_;
    QLogValueAxis* yLog_;
    QSlider* smoothing_;
    QCheckBox *logY_, *showLr_;
    QLabel* hoverLabel_;
    DecimatedSeries rawData_, smoothData_, lrData_;
    DebiasedEma ema_;
    struct Marker {
        double step, y;
        QString text;
    };
    std::vector<Marker> markerData_;
    double lastSmoothed_ = 0;
};

} // namespace ui
