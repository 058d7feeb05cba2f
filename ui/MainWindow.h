#pragma once
/// The application window. It assembles the panels and wires their signals to the training
/// session; the panels and the session hold the behaviour.

#include <QMainWindow>

#include <memory>

#include "core/data/Dataset.h"
#include "core/io/SavedRun.h"
#include "core/train/TrainConfig.h"

class QAction;
class QLabel;
class QProgressBar;

namespace ui {

class TrainingSession;
class HyperparameterPanel;
class ClassListPanel;
class MetricsPanel;
class LossChart;
class SimilarityHistogramChart;
class AlertBanner;
class DatasetLoadJob;
class EmbeddingPanel;
class SnapshotWindow;
class CompareWindow;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads `spec` in the background and opens a run on it with `config`; `autostart` starts
    /// training once it is ready. A failure keeps the current run and shows the error.
    void openDataset(const QString& spec, const core::TrainConfig& config, bool autostart = false);
    /// Opens a run on an already loaded dataset.
    void openLoadedDataset(std::shared_ptr<const core::Dataset> dataset,
                           const core::TrainConfig& config, bool autostart = false,
                           const QString& resumeFrom = {});
    /// Continues the run saved in snapshot folder `folder`: its dataset is loaded in the
    /// background, then training resumes at the snapshot's step with its settings. A bad
    /// folder shows its one-line error and leaves the current run alone.
    void resumeFromSnapshot(const QString& folder);

    /// Shows the run saved in `folder` read-only in its own window; a bad folder shows its
    /// one-line error (nullptr) and nothing else changes.
    SnapshotWindow* openSnapshot(const QString& folder);
    /// Compares two snapshot folders, or (`b` empty) a snapshot folder with the live run.
    CompareWindow* compareSnapshots(const QString& a, const QString& b = {});

    /// Exports a snapshot folder under `dir`, with PNG renders of the loss chart, the
    /// similarity histograms and the 3D view.
    void exportSnapshotTo(const QString& dir);

    /// The last dataset and hyperparameters, from QSettings (defaults when none).
    static QString savedDatasetSpec();
    static core::TrainConfig savedConfig();

    TrainingSession* session() const { return session_; }
    HyperparameterPanel* hyperparameters() const { return hyper_; }
    LossChart* lossChart() const { return loss_; }
    SimilarityHistogramChart* histogramChart() const { return histograms_; }
    MetricsPanel* metrics() const { return metrics_; }
    ClassListPanel* classes() const { return classes_; }
    AlertBanner* banner() const { return banner_; }
    EmbeddingPanel* embedding() const { return embedding_; }
    QAction* startPauseAction() const { return startPause_; }
    QAction* stepAction() const { return step_; }

  signals:
    void datasetOpened();
    void datasetFailed(const QString& message);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void buildActions();
    void buildDocks();
    void wireSession();
    void showOpenDialog();
    void resetLayout();
    void updateStatus();

    TrainingSession* session_;
    HyperparameterPanel* hyper_;
    ClassListPanel* classes_;
    MetricsPanel* metrics_;
    LossChart* loss_;
    SimilarityHistogramChart* histograms_;
    AlertBanner* banner_;
    EmbeddingPanel* embedding_;
    std::shared_ptr<const core::SavedRun> loadRun(const QString& folder);
    QString askSnapshotFolder(const QString& title);
    CompareWindow* showCompare(CompareWindow* window);

    QAction *open_, *openSnapshot_, *compare_, *resume_, *startPause_, *step_, *reset_, *export_,
        *resetLayout_;
    QLabel *deviceLabel_, *stepLabel_, *speedLabel_, *stateLabel_, *datasetLabel_;
    QProgressBar* loadProgress_;
    std::unique_ptr<DatasetLoadJob> startupJob_;
    QByteArray defaultState_;
    double samplesPerSecond_ = 0;
};

} // namespace ui
