#pragma once
/// A saved run, read-only: its loss curves with the hyperparameter changes, the similarity
/// histograms, the 3D cloud with picking, the metrics over steps and every setting. From here
/// the run can be resumed or compared with the live run or another snapshot.

#include <QMainWindow>

#include <memory>

#include "core/data/Dataset.h"
#include "core/io/SavedRun.h"

class QTableWidget;
class QLabel;

namespace ui {

class LossChart;
class SimilarityHistogramChart;
class MetricsPanel;
class EmbeddingPanel;
class DatasetLoadJob;

class SnapshotWindow : public QMainWindow {
    Q_OBJECT
  public:
    /// `appDataset`: the dataset the app has open; used for thumbnails when it is the one the
    /// run trained on (same fingerprint). Otherwise the run's dataset is loaded in the
    /// background for them, and without it the view works without thumbnails.
    explicit SnapshotWindow(std::shared_ptr<const core::SavedRun> run,
                            std::shared_ptr<const core::Dataset> appDataset = {},
                            QWidget* parent = nullptr);
    ~SnapshotWindow() override;

    std::shared_ptr<const core::SavedRun> run() const { return run_; }
    LossChart* lossChart() const { return loss_; }
    SimilarityHistogramChart* histogramChart() const { return histograms_; }
    MetricsPanel* metrics() const { return metrics_; }
    EmbeddingPanel* embedding() const { return embedding_; }
    QTableWidget* settings() const { return settings_; }
    /// True once real samples (thumbnails) back the 3D view.
    bool hasSamples() const { return hasSamples_; }

  signals:
    void resumeRequested(const QString& folder);
    void compareWithLiveRequested(std::shared_ptr<const core::SavedRun> run);
    void compareWithSnapshotRequested(std::shared_ptr<const core::SavedRun> run);
    void samplesLoaded();

  private:
    void useDataset(std::shared_ptr<const core::Dataset> dataset);

    std::shared_ptr<const core::SavedRun> run_;
    LossChart* loss_;
    SimilarityHistogramChart* histograms_;
    MetricsPanel* metrics_;
    EmbeddingPanel* embedding_;
    QTableWidget* settings_;
    QLabel* summary_;
    std::unique_ptr<DatasetLoadJob> samplesJob_;
    bool hasSamples_ = false;
};

/// A dataset that holds only the class names of a saved run (no samples): enough for the 3D
/// view's legend and picking.
std::shared_ptr<const core::Dataset> classesOnlyDataset(const core::SavedRun& run);

} // namespace ui
