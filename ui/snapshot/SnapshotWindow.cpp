#include "ui/snapshot/SnapshotWindow.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <cstdio>

#include "ui/DatasetLoadJob.h"
#include "ui/Docks.h"
#include "ui/charts/LossChart.h"
#include "ui/charts/SimilarityHistogramChart.h"
#include "ui/panels/MetricsPanel.h"
#include "ui/snapshot/RunFacts.h"
#include "ui/view3d/EmbeddingPanel.h"

namespace ui {

namespace {

QString hex64(std::uint64_t v) {
    return QString("%1").arg(v, 16, 16, QChar('0'));
}

} // namespace

std::shared_ptr<const core::Dataset> classesOnlyDataset(const core::SavedRun& run) {
    auto ds = std::make_shared<core::Dataset>();
    ds->classNames = run.info.classNames;
    if (ds->classNames.empty()) { // very old folder: name classes by the labels seen
        std::int64_t top = -1;
        for (auto l : run.snapshot->labels)
            top = std::max(top, l);
        for (std::int64_t c = 0; c <= top; ++c)
            ds->classNames.push_back(std::to_string(c));
    }
    ds->source = run.info.datasetSpec;
    ds->name = run.info.datasetSpec;
    return ds;
}

SnapshotWindow::SnapshotWindow(std::shared_ptr<const core::SavedRun> run,
                               std::shared_ptr<const core::Dataset> appDataset, QWidget* parent)
    : QMainWindow(parent), run_(std::move(run)) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowFlag(Qt::Window); // its own window even with the main window as parent
    const QString folderName = QString::fromStdString(run_->folder.filename().string());
    setWindowTitle(tr("%1 — %2, step %3 (read-only)")
                       .arg(folderName, QString::fromStdString(run_->info.datasetSpec))
                       .arg(run_->info.step));
    loss_ = new LossChart;
    histograms_ = new SimilarityHistogramChart;
    metrics_ = new MetricsPanel;
    embedding_ = new EmbeddingPanel;
    settings_ = new QTableWidget;
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Centre: what the run was, then its 3D cloud.
    auto* centre = new QWidget;
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(summary_);
    layout->addWidget(embedding_, 1);
    setCentralWidget(centre);

    const auto& info = run_->info;
    summary_->setText(
        tr("<b>Saved run</b> %1 · %2 encoder · %3 loss · step %4 · %5 s of training · "
           "device %6 · version %7<br><small>%8</small>")
            .arg(QString::fromStdString(info.datasetSpec),
                 QString::fromStdString(info.config.encoder),
                 QString::fromUtf8(core::lossName(info.config.loss)))
            .arg(info.step)
            .arg(info.wallSeconds, 0, 'f', 1)
            .arg(QString::fromStdString(info.device), QString::fromStdString(info.version),
                 QString::fromStdString(run_->folder.string()).toHtmlEscaped()));

    const auto rows = configRows(info.config);
    settings_->setColumnCount(2);
    settings_->setRowCount(int(rows.size()));
    settings_->setHorizontalHeaderLabels({tr("Setting"), tr("Value")});
    for (int i = 0; i < rows.size(); ++i) {
        settings_->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        settings_->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    settings_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    settings_->verticalHeader()->hide();
    settings_->horizontalHeader()->setStretchLastSection(true);
    settings_->resizeColumnsToContents();

    auto* metricsDock =
        addDock(this, tr("Metrics"), "metricsDock", metrics_, Qt::LeftDockWidgetArea);
    auto* settingsDock =
        addDock(this, tr("Settings"), "settingsDock", settings_, Qt::LeftDockWidgetArea);
    auto* lossDock = addDock(this, tr("Loss"), "lossDock", loss_, Qt::BottomDockWidgetArea);
    auto* histDock = addDock(this, tr("Similarity histograms"), "histogramDock", histograms_,
                             Qt::BottomDockWidgetArea);
    for (auto* d : {metricsDock, settingsDock, lossDock, histDock}) // no View menu to reopen
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    splitDockWidget(metricsDock, settingsDock, Qt::Vertical);
    splitDockWidget(lossDock, histDock, Qt::Horizontal);
    resizeDocks({metricsDock}, {300}, Qt::Horizontal);
    resizeDocks({lossDock}, {340}, Qt::Vertical);

    auto* tools = addToolBar(tr("Snapshot"));
    tools->setObjectName("snapshotToolbar");
    auto* resume = tools->addAction(tr("Resume training from here"));
    resume->setToolTip(tr("Continue this run in the main window with its settings and state"));
    auto* live = tools->addAction(tr("Compare with live run"));
    auto* other = tools->addAction(tr("Compare with snapshot…"));
    connect(resume, &QAction::triggered, this,
            [this] { emit resumeRequested(QString::fromStdString(run_->folder.string())); });
    connect(live, &QAction::triggered, this, [this] { emit compareWithLiveRequested(run_); });
    connect(other, &QAction::triggered, this, [this] { emit compareWithSnapshotRequested(run_); });

    loss_->appendRecords(run_->records);
    loss_->addEvents(run_->events);
    for (const auto& m : run_->metrics)
        metrics_->addMetrics(m);
    histograms_->setClassNames(classesOnlyDataset(*run_)->classNames);
    histograms_->setSnapshot(run_->snapshot);

    // Thumbnails need the samples: the app's dataset when it is the same data, else load it.
    if (appDataset &&
        hex64(appDataset->fingerprint()) == QString::fromStdString(info.datasetFingerprint)) {
        useDataset(std::move(appDataset));
    } else {
        embedding_->setDataset(classesOnlyDataset(*run_));
        embedding_->setSnapshot(run_->snapshot);
        if (!info.datasetSpec.empty()) {
            core::LoadOptions options;
            options.labelledFraction = info.config.labelledFraction;
            options.seed = info.config.seed;
            samplesJob_ =
                std::make_unique<DatasetLoadJob>(QString::fromStdString(info.datasetSpec), options);
            connect(samplesJob_.get(), &DatasetLoadJob::loaded, this,
                    [this](std::shared_ptr<const core::Dataset> ds) {
                        if (hex64(ds->fingerprint()) ==
                            QString::fromStdString(run_->info.datasetFingerprint))
                            useDataset(std::move(ds));
                        else
                            statusBar()->showMessage(
                                tr("%1 has changed since this run: no thumbnails")
                                    .arg(QString::fromStdString(run_->info.datasetSpec)));
                    });
            connect(samplesJob_.get(), &DatasetLoadJob::failed, this, [this](const QString& m) {
                statusBar()->showMessage(tr("No thumbnails: %1").arg(m));
            });
            samplesJob_->start();
        }
    }
    resize(1280, 860);
}

SnapshotWindow::~SnapshotWindow() = default;

void SnapshotWindow::useDataset(std::shared_ptr<const core::Dataset> dataset) {
    const int picked = embedding_->selected();
    embedding_->setDataset(std::move(dataset));
    embedding_->setSnapshot(run_->snapshot);
    if (picked >= 0) embedding_->selectPoint(picked);
    hasSamples_ = true;
    emit samplesLoaded();
}

} // namespace ui
