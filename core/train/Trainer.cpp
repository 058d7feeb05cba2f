#include "core/train/Trainer.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <sstream>
#include <stop_token>
#include <thread>

#include "core/io/SnapshotExport.h"
#include "core/train/Engine.h"
#include "core/util/Error.h"
#include "core/util/FileBytes.h"

namespace core {

const char* stateName(TrainerState s) {
    switch (s) {
    case TrainerState::Idle:
        return "idle";
    case TrainerState::Starting:
        return "starting";
    case TrainerState::Running:
        return "running";
    case TrainerState::Paused:
        return "paused";
    case TrainerState::Finished:
        return "finished";
    case TrainerState::Stopped:
        return "stopped";
    case TrainerState::Failed:
        return "failed";
    }
    return "?";
}

namespace {
using Clock = std::chrono::steady_clock;

std::string formatValue(const std::string& name, double v) {
    if (name == "loss") return lossName(LossKind(int(v)));
    std::ostringstream s;
    s << v;
    return s.str();
}
} // namespace

struct Trainer::Impl {
    std::shared_ptr<const Dataset> dataset;
    mutable std::mutex mutex;
    mutable std::condition_variable_any cv;
    TrainConfig pending, active;
    std::optional<TrainConfig> resetTo;
    struct ExportRequest {
        std::string dir;
        std::map<std::string, std::vector<std::uint8_t>> files;
    };
    std::vector<ExportRequest> exportRequests;
    std::string resumeFrom;
    std::vector<Metrics> metricsHistory;
    TrainerState state = TrainerState::Starting;
    bool running = false;   ///< run until told otherwise
    int stepsRequested = 0; ///< single steps while paused
    bool inStep = false;    ///< a step (with its snapshot) is in flight
    std::string failure, device;
    std::int64_t steps = 0;
    double wallSeconds = 0, trainingSeconds = 0, evaluationSeconds = 0;
    std::deque<StepRecord> records;
    std::vector<Event> events;
    std::shared_ptr<const Snapshot> latest;
    std::shared_ptr<const Metrics> final;
    std::function<void()> notify;
    std::jthread thread; // last member: joins before the rest is destroyed

    void emit() {
        std::function<void()> n;
        {
            std::lock_guard lock(mutex);
            n = notify;
        }
        if (n) n();
    }

    void addEvent(std::int64_t step, const std::string& name, double oldV, double newV,
                  const std::string& msg) {
        events.push_back({step, name, oldV, newV, msg});
    }

    /// Trainer thread: a snapshot of the current step (fresh if the latest is older) written out.
    void runExport(Engine& engine, const std::string& dir,
                   const std::map<std::string, std::vector<std::uint8_t>>& files = {}) {
        try {
            std::shared_ptr<const Snapshot> snap;
            SnapshotContents c;
            TrainConfig config;
            {
                std::lock_guard lock(mutex);
                snap = latest;
                c.events = events;
                c.records.assign(records.begin(), records.end());
                c.metrics = metricsHistory;
                c.device = device;
                c.wallSeconds = wallSeconds;
                config = active;
            }
            if (!snap || snap->step != engine.stepsDone()) {
                snap = std::make_shared<const Snapshot>(engine.snapshot(std::nullopt));
                std::lock_guard lock(mutex);
                latest = snap;
            }
            c.config = &config;
            c.dataset = dataset.get();
            c.snapshot = snap.get();
            c.writeExtra = [&engine, &files](const std::filesystem::path& folder) {
                engine.saveState(folder);
                for (const auto& [name, bytes] : files) {
                    if (name.find('/') != std::string::npos || name.empty() || name[0] == '.')
                        throw Error("export: bad file name '" + name + "'");
                    writeFile(folder / name, bytes);
                }
            };
            const auto path = core::exportSnapshot(dir, c);
            std::lock_guard lock(mutex);
            addEvent(snap->step, "export", 0, 0, path.string());
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex);
            addEvent(steps, "export_failed", 0, 0, e.what());
        }
    }

    void finishStep() {
        std::lock_guard lock(mutex);
        inStep = false;
        cv.notify_all();
    }

    void setState(TrainerState s) { // caller holds the lock
        state = s;
        cv.notify_all();
    }

    void run(std::stop_token stop) {
        std::unique_ptr<Engine> engine;
        auto build = [&](const TrainConfig& config) {
            engine.reset();
            try {
                engine = std::make_unique<Engine>(dataset, config);
                std::int64_t resumedStep = 0;
                if (!resumeFrom.empty()) {
                    // A resumed run starts where the snapshot left off (once; resets start fresh).
                    const std::string from = std::exchange(resumeFrom, std::string());
                    const auto info = readSnapshot(from);
                    if (info.datasetFingerprint.size() == 16 &&
                        std::stoull(info.datasetFingerprint, nullptr, 16) != dataset->fingerprint())
                        throw Error(from + ": snapshot was taken on different data than '" +
                                    dataset->source + "'");
                    engine->loadState(from, info.step);
                    resumedStep = info.step;
                    std::lock_guard lock(mutex);
                    addEvent(info.step, "resume_snapshot", 0, 0,
                             "resumed from " + from + " at step " + std::to_string(info.step));
                }
                std::lock_guard lock(mutex);
                device = engine->device();
                active = pending = config;
                steps = resumedStep;
                wallSeconds = trainingSeconds = evaluationSeconds = 0;
                setState(TrainerState::Idle);
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex);
                failure = e.what();
                running = false;
                stepsRequested = 0;
                setState(TrainerState::Failed);
            }
            emit();
        };
        build(pending);
        auto lastSnapshot = Clock::now();
        Clock::duration lastSnapshotCost{};
        std::int64_t lastSnapshotStep = -1;
        while (!stop.stop_requested()) {
            TrainConfig config;
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, stop, [&] {
                    return resetTo.has_value() || (engine && !exportRequests.empty()) ||
                           (engine && state != TrainerState::Failed &&
                            state != TrainerState::Finished && (running || stepsRequested > 0));
                });
                if (stop.stop_requested()) break;
                if (resetTo) {
                    config = *resetTo;
                    resetTo.reset();
                    records.clear();
                    metricsHistory.clear();
                    latest.reset();
                    final.reset();
                    failure.clear();
                    addEvent(0, "reset", 0, 0, "reset: new run");
                    setState(TrainerState::Starting);
                    lock.unlock();
                    build(config);
                    continue;
                }
                if (!exportRequests.empty()) {
                    const auto requests = std::move(exportRequests);
                    exportRequests.clear();
                    inStep = true;
                    lock.unlock();
                    for (const auto& r : requests)
                        runExport(*engine, r.dir, r.files);
                    finishStep();
                    emit();
                    continue;
                }
                // Live changes become events at the step that first uses them.
                for (const auto& name : liveParameterNames()) {
                    const double oldV = getLiveParameter(active, name),
                                 newV = getLiveParameter(pending, name);
                    if (oldV != newV)
                        addEvent(steps + 1, name, oldV, newV,
                                 name + " " + formatValue(name, oldV) + " → " +
                                     formatValue(name, newV) + " at step " +
                                     std::to_string(steps + 1));
                }
                active = pending;
                config = active;
                inStep = true;
                if (state != TrainerState::Running) setState(TrainerState::Running);
            }
            const auto t0 = Clock::now();
            try {
                auto result = engine->step(config);
                auto stopCheck = [&] {
                    std::lock_guard lock(mutex);
                    return stop.stop_requested() || resetTo.has_value();
                };
                bool finished = false;
                {
                    std::lock_guard lock(mutex);
                    if (result.nonFinite) {
                        running = false;
                        stepsRequested = 0;
                        std::ostringstream msg;
                        msg << "step " << (steps + 1) << ": " << result.problem << " (loss "
                            << lossName(config.loss) << ", temperature " << config.temperature
                            << ", lr " << result.record.lr
                            << "); paused and restored the weights of step "
                            << engine->restoredStep();
                        addEvent(steps + 1, "nonfinite", result.record.loss, 0, msg.str());
                        setState(TrainerState::Paused);
                    } else {
                        steps = engine->stepsDone();
                        wallSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
                        result.record.wallSeconds = wallSeconds;
                        trainingSeconds += result.record.stepSeconds;
                        records.push_back(result.record);
                        if (records.size() > kRecordCapacity) records.pop_front();
                        finished = config.steps > 0 && steps >= config.steps;
                        if (stepsRequested > 0 && --stepsRequested == 0 && !running)
                            setState(TrainerState::Paused);
                    }
                }
                if (result.nonFinite) {
                    finishStep();
                    emit();
                    continue;
                }
                emit();
                const bool evalNow =
                    config.evalEvery > 0 && steps % config.evalEvery == 0 && !finished;
                // Time-based snapshots keep their cost under ~20 % of the run: never more often
                // than four times the last snapshot's duration.
                const auto minGap = std::max<Clock::duration>(
                    std::chrono::milliseconds(config.snapshotMs), 4 * lastSnapshotCost);
                const bool periodic = config.snapshotEvery > 0 || config.snapshotMs > 0;
                const bool snapNow =
                    finished || evalNow ||
                    (config.snapshotEvery > 0 && steps % config.snapshotEvery == 0) ||
                    (config.snapshotMs > 0 && Clock::now() - lastSnapshot >= minGap) ||
                    (periodic && lastSnapshotStep < 0);
                const auto e0 = Clock::now();
                std::optional<Metrics> metrics;
                if (finished)
                    metrics = engine->evaluate(0, stopCheck);
                else if (evalNow)
                    metrics = engine->evaluate(config.referenceLimit, stopCheck);
                if (snapNow) {
                    const auto s0 = Clock::now();
                    auto snap =
                        std::make_shared<const Snapshot>(engine->snapshot(metrics, stopCheck));
                    lastSnapshot = Clock::now();
                    lastSnapshotCost = lastSnapshot - s0;
                    lastSnapshotStep = steps;
                    std::lock_guard lock(mutex);
                    evaluationSeconds += std::chrono::duration<double>(Clock::now() - e0).count();
                    latest = std::move(snap);
                    if (finished) final = std::make_shared<const Metrics>(*metrics);
                }
                if (metrics) {
                    std::lock_guard lock(mutex);
                    metricsHistory.push_back(*metrics);
                }
                if (!config.exportDir.empty() &&
                    ((config.exportEvery > 0 && steps % config.exportEvery == 0) || finished))
                    runExport(*engine, config.exportDir);
                if (finished) {
                    std::lock_guard lock(mutex);
                    running = false;
                    addEvent(steps, "finish", 0, 0, "finished at step " + std::to_string(steps));
                    setState(TrainerState::Finished);
                }
                finishStep();
                emit();
            } catch (const Cancelled&) {
                // stop or reset requested during an evaluation: the loop handles both
                finishStep();
            } catch (const std::exception& e) {
                {
                    std::lock_guard lock(mutex);
                    inStep = false;
                    failure = e.what();
                    running = false;
                    stepsRequested = 0;
                    setState(TrainerState::Failed);
                }
                emit();
            }
        }
        std::lock_guard lock(mutex);
        if (state != TrainerState::Failed && state != TrainerState::Finished)
            setState(TrainerState::Stopped);
    }
};

Trainer::Trainer(std::shared_ptr<const Dataset> dataset, const TrainConfig& config)
    : Trainer(std::move(dataset), config, std::string()) {}

Trainer::Trainer(std::shared_ptr<const Dataset> dataset, const TrainConfig& config,
                 const std::string& resumeFrom)
    : impl_(std::make_unique<Impl>()) {
    config.validate();
    impl_->dataset = std::move(dataset);
    impl_->pending = impl_->active = config;
    impl_->resumeFrom = resumeFrom;
    impl_->thread = std::jthread([this](std::stop_token st) { impl_->run(st); });
}

Trainer::~Trainer() {
    stop();
}

void Trainer::start() {
    std::lock_guard lock(impl_->mutex);
    if ((impl_->state == TrainerState::Finished || impl_->state == TrainerState::Stopped) &&
        !impl_->resetTo)
        return;
    if (!impl_->running && impl_->state == TrainerState::Paused)
        impl_->addEvent(impl_->steps, "resume", 0, 0,
                        "resumed at step " + std::to_string(impl_->steps));
    impl_->running = true;
    impl_->cv.notify_all();
}

void Trainer::pause() {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running && impl_->stepsRequested == 0) return;
    impl_->running = false;
    impl_->stepsRequested = 0;
    impl_->addEvent(impl_->steps, "pause", 0, 0, "paused at step " + std::to_string(impl_->steps));
    if (impl_->state == TrainerState::Running || impl_->state == TrainerState::Idle)
        impl_->setState(TrainerState::Paused);
}

void Trainer::step(int n) {
    std::lock_guard lock(impl_->mutex);
    if (impl_->running || n <= 0) return;
    impl_->stepsRequested += n;
    impl_->cv.notify_all();
}

void Trainer::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->thread.request_stop();
    impl_->cv.notify_all();
    impl_->thread.join();
    impl_->emit();
}

void Trainer::reset(const TrainConfig& config) {
    config.validate();
    std::lock_guard lock(impl_->mutex);
    impl_->running = false;
    impl_->stepsRequested = 0;
    impl_->resetTo = config;
    impl_->cv.notify_all();
}

void Trainer::exportSnapshot(const std::string& parentDir,
                             std::map<std::string, std::vector<std::uint8_t>> files) {
    std::lock_guard lock(impl_->mutex);
    impl_->exportRequests.push_back({parentDir, std::move(files)});
    impl_->cv.notify_all();
}

void Trainer::setParameter(const std::string& name, double value) {
    std::lock_guard lock(impl_->mutex);
    setLiveParameter(impl_->pending, name, value);
}

TrainerState Trainer::state() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->state;
}

std::string Trainer::failure() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->failure;
}

std::string Trainer::device() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->device;
}

double Trainer::trainingSeconds() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->trainingSeconds;
}

double Trainer::evaluationSeconds() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->evaluationSeconds;
}

std::int64_t Trainer::stepsDone() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->steps;
}

TrainConfig Trainer::config() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->pending;
}

std::vector<StepRecord> Trainer::recordsSince(std::int64_t afterStep) const {
    std::lock_guard lock(impl_->mutex);
    const auto& r = impl_->records;
    auto it = std::upper_bound(r.begin(), r.end(), afterStep,
                               [](std::int64_t s, const StepRecord& rec) { return s < rec.step; });
    return {it, r.end()};
}

std::vector<Event> Trainer::eventsSince(std::size_t from) const {
    std::lock_guard lock(impl_->mutex);
    if (from >= impl_->events.size()) return {};
    return {impl_->events.begin() + std::ptrdiff_t(from), impl_->events.end()};
}

std::shared_ptr<const Snapshot> Trainer::latestSnapshot() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->latest;
}

std::shared_ptr<const Metrics> Trainer::finalMetrics() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->final;
}

void Trainer::setNotify(std::function<void()> notify) {
    std::lock_guard lock(impl_->mutex);
    impl_->notify = std::move(notify);
}

TrainerState Trainer::waitUntilSettled() const {
    std::unique_lock lock(impl_->mutex);
    impl_->cv.wait(lock, [&] {
        const auto s = impl_->state;
        if (impl_->inStep || impl_->resetTo.has_value() || !impl_->exportRequests.empty() ||
            s == TrainerState::Starting)
            return false;
        const bool busy = impl_->running || impl_->stepsRequested > 0;
        return s == TrainerState::Failed || s == TrainerState::Finished ||
               s == TrainerState::Stopped ||
               (!busy && (s == TrainerState::Paused || s == TrainerState::Idle));
    });
    return impl_->state;
}

} // namespace core
