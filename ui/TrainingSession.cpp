#include "ui/TrainingSession.h"

#include <QMetaObject>
#include <QPointer>

#include "core/util/Error.h"

namespace ui {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const core::Snapshot>>();
    qRegisterMetaType<std::vector<core::StepRecord>>();
    qRegisterMetaType<std::vector<core::Event>>();
    qRegisterMetaType<core::TrainerState>();
    drainTimer_.setSingleShot(true);
    drainTimer_.setInterval(33);
    connect(&drainTimer_, &QTimer::timeout, this, &TrainingSession::drain);
}

TrainingSession::~TrainingSession() {
    if (trainer_) {
        trainer_->setNotify({});
        trainer_->stop();
    }
}

void TrainingSession::open(std::shared_ptr<const core::Dataset> dataset,
                           const core::TrainConfig& config, const QString& resumeFrom) {
    if (trainer_) {
        trainer_->setNotify({});
        trainer_->stop();
    }
    dataset_ = std::move(dataset);
    lastStep_ = 0;
    eventCount_ = 0;
    snapshot_.reset();
    state_ = core::TrainerState::Starting;
    wakePending_->store(false);
    trainer_ = std::make_unique<core::Trainer>(dataset_, config, resumeFrom.toStdString());
    // The callback holds the flag by value and the session by QPointer semantics: it posts a
    // queued call, which Qt drops if the session is gone.
    QPointer<TrainingSession> self(this);
    auto pending = wakePending_;
    trainer_->setNotify([self, pending] {
        if (pending->exchange(true)) return;
        QMetaObject::invokeMethod(
            self.data(),
            [self] {
                if (self) self->notifyFromTrainer();
            },
            Qt::QueuedConnection);
    });
    emit runReset();
    drain();
}

void TrainingSession::notifyFromTrainer() {
    wakePending_->store(false);
    if (!drainTimer_.isActive()) drainTimer_.start();
}

void TrainingSession::drain() {
    if (!trainer_) return;
    auto records = trainer_->recordsSince(lastStep_);
    if (!records.empty()) {
        lastStep_ = records.back().step;
        emit recordsArrived(records);
    }
    auto events = trainer_->eventsSince(eventCount_);
    if (!events.empty()) {
        eventCount_ += events.size();
        emit eventsArrived(events);
    }
    auto snap = trainer_->latestSnapshot();
    if (snap && snap != snapshot_) {
        snapshot_ = snap;
        emit snapshotArrived(snap);
    }
    const auto s = trainer_->state();
    if (s != state_) {
        state_ = s;
        emit stateChanged(s, QString::fromStdString(trainer_->failure()));
    }
}

core::TrainConfig TrainingSession::config() const {
    return trainer_ ? trainer_->config() : core::TrainConfig{};
}

core::TrainerState TrainingSession::state() const {
    return state_;
}

QString TrainingSession::device() const {
    return trainer_ ? QString::fromStdString(trainer_->device()) : QString();
}

std::vector<core::StepRecord> TrainingSession::deliveredRecords() const {
    if (!trainer_) return {};
    auto records = trainer_->recordsSince(0);
    while (!records.empty() && records.back().step > lastStep_)
        records.pop_back();
    return records;
}

void TrainingSession::start() {
    if (trainer_) trainer_->start();
}

void TrainingSession::pause() {
    if (trainer_) trainer_->pause();
}

void TrainingSession::togglePause() {
    if (!trainer_) return;
    if (state_ == core::TrainerState::Running)
        trainer_->pause();
    else
        trainer_->start();
}

void TrainingSession::stepOnce() {
    if (trainer_ && state_ != core::TrainerState::Running) trainer_->step(1);
}

void TrainingSession::reset(const core::TrainConfig& config) {
    if (!dataset_) return;
    try {
        config.validate();
    } catch (const core::Error& e) {
        emit parameterRejected(QString::fromStdString(e.what()));
        return;
    }
    open(dataset_, config);
}

void TrainingSession::restoreAndResume() {
    if (trainer_) trainer_->restoreAndResume();
}

void TrainingSession::exportSnapshot(const QString& parentDir,
                                     const QMap<QString, QByteArray>& files) {
    if (!trainer_) return;
    std::map<std::string, std::vector<std::uint8_t>> bytes;
    for (auto it = files.begin(); it != files.end(); ++it)
        bytes[it.key().toStdString()].assign(it.value().begin(), it.value().end());
    trainer_->exportSnapshot(parentDir.toStdString(), std::move(bytes));
}

void TrainingSession::setParameter(const QString& name, double value) {
    if (!trainer_) return;
    try {
        trainer_->setParameter(name.toStdString(), value);
    } catch (const core::Error& e) {
        emit parameterRejected(QString::fromStdString(e.what()));
    }
}

} // namespace ui
