#pragma once
/// Loss, optimiser, batch, model and snapshot settings. Live parameters are emitted as soon as
/// they change (the trainer applies them at the next step); structural ones are locked while a
/// run is going and take effect through "Apply & reset". Ranges make bad values impossible.

#include <QWidget>

#include "core/train/Records.h"
#include "core/train/TrainConfig.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QLabel;
class QPushButton;
class QGroupBox;

namespace ui {

class LogSlider;

class HyperparameterPanel : public QWidget {
    Q_OBJECT
  public:
    explicit HyperparameterPanel(QWidget* parent = nullptr);

    /// Shows `config` without emitting changes.
    void setConfig(const core::TrainConfig& config);
    /// The config the widgets describe (dataset left as given in setConfig).
    core::TrainConfig config() const;
    /// Locks structural widgets while running (they need a reset).
    void setRunning(bool running);
    /// Limits classes-per-batch to the dataset's class count.
    void setClassCount(int classes);
    /// Shows which live changes the trainer has applied (from its events).
    void showApplied(const std::vector<core::Event>& events);

    LogSlider* temperatureSlider() const { return temperature_; }
    QDoubleSpinBox* lrSpin() const { return lr_; }

  signals:
    void liveParameterChanged(const QString& name, double value);
    void resetRequested(const core::TrainConfig& config);

  private:
    QGroupBox* buildLoss();
    QGroupBox* buildOptimizer();
    QGroupBox* buildBatch();
    QGroupBox* buildModel();
    QGroupBox* buildSnapshots();
    void live(const QString& name, double value);
    void structuralEdited();

    core::TrainConfig base_;
    bool loading_ = false;
    // Loss
    QComboBox* loss_;
    LogSlider* temperature_;
    QDoubleSpinBox *baseTemperature_, *labelSmoothing_, *suncetWeight_;
    QSpinBox* suncetSteps_;
    // Optimizer
    QComboBox *optimizer_, *schedule_;
    QDoubleSpinBox *lr_, *momentum_, *weightDecay_, *finalLr_;
    QSpinBox* warmup_;
    // Batch
    QSpinBox *classesPerBatch_, *perClass_, *unlabelledBatch_;
    QComboBox *views_, *augment_;
    // Model
    QComboBox *encoder_, *device_;
    QSpinBox *embedDim_, *seed_, *steps_;
    // Snapshots
    QSpinBox *probe_, *snapshotEvery_, *evalEvery_;
    QLabel* applied_;
    QPushButton* applyReset_;
    QList<QWidget*> structural_;
};

} // namespace ui
