#include "ui/DatasetLoadJob.h"

#include <QMetaObject>
#include <QPointer>

#include "core/util/Error.h"

namespace ui {

DatasetLoadJob::DatasetLoadJob(const QString& spec, const core::LoadOptions& options,
                               QObject* parent)
    : QObject(parent), spec_(spec), options_(options) {
    qRegisterMetaType<std::shared_ptr<const core::Dataset>>();
}

DatasetLoadJob::~DatasetLoadJob() {
    token_->cancel();
    if (thread_.joinable()) thread_.join();
}

void DatasetLoadJob::cancel() {
    token_->cancel();
}

void DatasetLoadJob::start() {
    QPointer<DatasetLoadJob> self(this);
    const std::string spec = spec_.toStdString();
    const auto options = options_;
    auto token = token_;
    thread_ = std::thread([self, spec, options, token] {
        // Signals are emitted through queued calls: the receiver side runs on the UI thread and
        // Qt drops them if the job was destroyed meanwhile.
        auto post = [self](auto fn) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, fn] {
                    if (self) fn(*self);
                },
                Qt::QueuedConnection);
        };
        core::LoadControl control;
        control.cancel = token.get();
        auto lastReport = std::make_shared<std::uint64_t>(0);
        control.progress = [post, lastReport](std::uint64_t done, std::uint64_t total) {
            // At most ~100 progress events per load.
            if (total > 0 && done != total && (done - *lastReport) * 100 < total) return;
            *lastReport = done;
            post([done, total](DatasetLoadJob& job) {
                emit job.progress(qint64(done), qint64(total));
            });
        };
        try {
            auto ds =
                std::make_shared<const core::Dataset>(core::loadDataset(spec, options, control));
            post([ds](DatasetLoadJob& job) { emit job.loaded(ds); });
        } catch (const core::Cancelled&) {
            post([](DatasetLoadJob& job) { emit job.cancelled(); });
        } catch (const std::exception& e) {
            const QString msg = QString::fromStdString(e.what());
            post([msg](DatasetLoadJob& job) { emit job.failed(msg); });
        }
    });
}

} // namespace ui
