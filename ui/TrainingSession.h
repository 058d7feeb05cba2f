#pragma once
/// The one Qt object that talks to core::Trainer. The trainer's cheap notifications are queued
/// onto the UI thread, where a coalescing single-shot timer (≤ 30 Hz) drains the newest records,
/// events, snapshot and state and re-emits them as signals. The UI thread never waits for the
/// trainer (stop and destruction excepted, which join within about one step).

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

#include "core/data/Dataset.h"
#include "core/train/Records.h"
#include "core/train/TrainConfig.h"
#include "core/train/Trainer.h"

namespace ui {

class TrainingSession : public QObject {
    Q_OBJECT
  public:
    explicit TrainingSession(QObject* parent = nullptr);
    ~TrainingSession() override;

    /// Starts a new run (Idle) on `dataset` with `config`; the previous run is stopped.
    /// `resumeFrom`: a snapshot folder to continue from (its step, weights and RNG state).
    void open(std::shared_ptr<const core::Dataset> dataset, const core::TrainConfig& config,
              const QString& resumeFrom = {});
    bool hasRun() const { return bool(trainer_); }
    std::shared_ptr<const core::Dataset> dataset() const { return dataset_; }
    core::TrainConfig config() const;
    core::TrainerState state() const;
    QString device() const;
    /// Steps done (a resumed run starts at its snapshot's step).
    std::int64_t step() const { return trainer_ ? trainer_->stepsDone() : 0; }
    std::shared_ptr<const core::Snapshot> latestSnapshot() const { return snapshot_; }
    /// The step records already delivered through recordsArrived, oldest first (the trainer's
    /// ring keeps the newest ones); later records arrive as usual.
    std::vector<core::StepRecord> deliveredRecords() const;

    /// Drain interval of the coalescing timer in ms (default 33 ≈ 30 Hz).
    void setDrainInterval(int ms) { drainTimer_.setInterval(ms); }

  public slots:
    void start();
    void pause();
    void togglePause();
    void stepOnce();
    /// Structural change or explicit reset: rebuilds the run with `config`.
    void reset(const core::TrainConfig& config);
    void restoreAndResume();
    /// Writes a snapshot folder under `parentDir` (on the trainer thread); the outcome arrives
    /// as an "export" or "export_failed" event.
    void exportSnapshot(const QString& parentDir, const QMap<QString, QByteArray>& files = {});
    /// Live change; emits parameterRejected with a one-line reason when the trainer refuses it.
    void setParameter(const QString& name, double value);

  signals:
    void recordsArrived(const std::vector<core::StepRecord>& records);
    void eventsArrived(const std::vector<core::Event>& events);
    void snapshotArrived(std::shared_ptr<const core::Snapshot> snapshot);
    void stateChanged(core::TrainerState state, const QString& failure);
    void runReset();
    void parameterRejected(const QString& message);

  private:
    void notifyFromTrainer(); ///< trainer thread: post at most one wake-up at a time
    void drain();             ///< UI thread

    std::shared_ptr<const core::Dataset> dataset_;
    std::unique_ptr<core::Trainer> trainer_;
    QTimer drainTimer_;
    std::shared_ptr<std::atomic<bool>> wakePending_ = std::make_shared<std::atomic<bool>>(false);
    std::int64_t lastStep_ = 0;
    std::size_t eventCount_ = 0;
    std::shared_ptr<const core::Snapshot> snapshot_;
    core::TrainerState state_ = core::TrainerState::Starting;
};

} // namespace ui

Q_DECLARE_METATYPE(std::shared_ptr<const core::Snapshot>)
Q_DECLARE_METATYPE(std::vector<core::StepRecord>)
Q_DECLARE_METATYPE(std::vector<core::Event>)
Q_DECLARE_METATYPE(core::TrainerState)
