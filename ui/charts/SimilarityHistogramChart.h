#pragma once
/// Positive-pair vs negative-pair cosine-similarity distributions of the probe set, for one
/// class or all, overlaid with their overlap; or small multiples of every class side by side.

#include <QWidget>

#include <memory>
#include <vector>

#include "core/train/Records.h"

class QChart;
class QChartView;
class QComboBox;
class QCheckBox;
class QLabel;
class QLineSeries;
class QAreaSeries;
class QValueAxis;
class QGridLayout;
class QScrollArea;
class QStackedWidget;

namespace ui {

class SimilarityHistogramChart : public QWidget {
    Q_OBJECT
  public:
    explicit SimilarityHistogramChart(QWidget* parent = nullptr);

    void setClassNames(const std::vector<std::string>& names);
    void setSnapshot(std::shared_ptr<const core::Snapshot> snapshot);
    /// -1 = all classes.
    void selectClass(int cls);
    void setSmallMultiples(bool on);

    double shownOverlap() const { return overlap_; }
    int positiveBinsShown() const;

  private:
    struct Plot {
        QChart* chart = nullptr;
        QChartView* view = nullptr;
        QLineSeries *pos = nullptr, *neg = nullptr;
        QAreaSeries *posArea = nullptr, *negArea = nullptr;
        QValueAxis *x = nullptr, *y = nullptr;
    };
    Plot makePlot(const QString& title, bool compact);
    void fill(Plot& plot, const core::ClassHistogram& h, int bins);
    void refresh();
    void rebuildMultiples();

    std::vector<std::string> names_;
    std::shared_ptr<const core::Snapshot> snapshot_;
    QComboBox* classBox_;
    QCheckBox* multiples_;
    QLabel* overlapLabel_;
    QStackedWidget* stack_;
    Plot main_;
    std::vector<Plot> small_;
    QWidget* grid_;
    QGridLayout* gridLayout_;
    double overlap_ = 0;
};

} // namespace ui
