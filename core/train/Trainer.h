#pragma once
/// The background trainer: owns a thread running the Engine, takes commands from any thread
/// without blocking the caller longer than one step, and publishes plain records and immutable
/// snapshots. No torch types here: the UI includes this header.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/train/Records.h"
#include "core/train/TrainConfig.h"

namespace core {

enum class TrainerState { Idle, Starting, Running, Paused, Finished, Stopped, Failed };
const char* stateName(TrainerState s);

class Trainer {
  public:
    /// The engine is built on the trainer thread (state Starting, then Idle or Failed).
    Trainer(std::shared_ptr<const Dataset> dataset, const TrainConfig& config);
    /// Continues the run saved in snapshot folder `resumeFrom` (written by exportSnapshot) at
    /// its step; `config` normally comes from that folder (readSnapshot). A folder that does
    /// not fit puts the trainer in Failed with the reason.
    Trainer(std::shared_ptr<const Dataset> dataset, const TrainConfig& config,
            const std::string& resumeFrom);
    /// Requests stop, wakes the thread and joins.
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    void start(); ///< run until paused, stopped or config.steps reached
    void pause();
    void resume() { start(); }
    void step(int n = 1); ///< run n steps, then pause
    /// Stops the run: returns within about one step (evaluations check the stop request).
    void stop();
    /// Rebuilds the engine with a new config (structural changes) on the trainer thread; the
    /// step counter restarts at 0 and histories are cleared.
    void reset(const TrainConfig& config);
    /// After an automatic pause for a non-finite loss: resume from the restored weights.
    void restoreAndResume() { start(); }

    /// Writes a snapshot folder of the current state under `parentDir` on the trainer thread
    /// (between steps, also while paused). The outcome arrives as an "export" event whose
    /// message is the folder, or "export_failed" with the one-line error.
    /// `files` are extra (name → bytes) files for the folder, e.g. the UI's chart renders.
    void exportSnapshot(const std::string& parentDir,
                        std::map<std::string, std::vector<std::uint8_t>> files = {});

    /// Live parameter change, applied at the next step and recorded as an event.
    /// Throws core::Error (one line) for unknown or structural names and bad values.
    void setParameter(const std::string& name, double value);

    TrainerState state() const;
    std::string failure() const; ///< the error when state() == Failed
    std::string device() const;  ///< resolved device ("cpu", "cuda:0"); empty until built
    std::int64_t stepsDone() const;
    double trainingSeconds() const;   ///< time inside training steps only
    double evaluationSeconds() const; ///< time in evaluations and snapshots
    TrainConfig config() const;       ///< including pending live changes

    /// Records with step > `afterStep`, oldest first (the ring keeps the most recent ones).
    std::vector<StepRecord> recordsSince(std::int64_t afterStep) const;
    /// Events from index `from` on (events are never dropped).
    std::vector<Event> eventsSince(std::size_t from) const;
    std::shared_ptr<const Snapshot> latestSnapshot() const;
    /// The full evaluation done when the run reached config.steps (test vs all of train).
    std::shared_ptr<const Metrics> finalMetrics() const;

    /// Called on the trainer thread after each record, snapshot, event or state change. Must be
    /// cheap and non-blocking (e.g. post a queued Qt event).
    void setNotify(std::function<void()> notify);

    /// Blocks until the state is one of Paused, Finished, Stopped, Failed (for the CLI and tests).
    TrainerState waitUntilSettled() const;

    /// Ring size of step records.
    static constexpr std::size_t kRecordCapacity = 1 << 17;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace core
