#pragma once
/// Loads a dataset off the UI thread with progress and cancellation; results arrive as queued
/// signals. Destroying the job cancels it and joins its thread.

#include <QObject>
#include <QString>

#include <memory>
#include <thread>

#include "core/data/Dataset.h"
#include "core/data/DatasetLoader.h"
#include "core/util/Progress.h"

namespace ui {

class DatasetLoadJob : public QObject {
    Q_OBJECT
  public:
    DatasetLoadJob(const QString& spec, const core::LoadOptions& options,
                   QObject* parent = nullptr);
    ~DatasetLoadJob() override;
    void start();
    void cancel();
    QString spec() const { return spec_; }

  signals:
    void progress(qint64 done, qint64 total);
    void loaded(std::shared_ptr<const core::Dataset> dataset);
    void failed(const QString& message);
    void cancelled();

  private:
    QString spec_;
    core::LoadOptions options_;
    std::shared_ptr<core::CancelToken> token_ = std::make_shared<core::CancelToken>();
    std::thread thread_;
};

} // namespace ui

Q_DECLARE_METATYPE(std::shared_ptr<const core::Dataset>)
