#include "ui/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include "core/data/DatasetLoader.h"
#include "core/io/SnapshotExport.h"
#include "ui/DatasetLoadJob.h"
#include "ui/Docks.h"
#include "ui/TrainingSession.h"
#include "ui/charts/LossChart.h"
#include "ui/charts/SimilarityHistogramChart.h"
#include "ui/panels/AlertBanner.h"
#include "ui/panels/ClassListPanel.h"
#include "ui/panels/HyperparameterPanel.h"
#include "ui/panels/MetricsPanel.h"
#include "ui/panels/OpenDatasetDialog.h"
#include "ui/snapshot/CompareWindow.h"
#include "ui/snapshot/SnapshotWindow.h"
#include "ui/view3d/EmbeddingPanel.h"
#include "ui/view3d/EmbeddingView.h"

namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("ContrastScope"));
    session_ = new TrainingSession(this);
    hyper_ = new HyperparameterPanel;
    classes_ = new ClassListPanel;
    metrics_ = new MetricsPanel;
    loss_ = new LossChart;
    histograms_ = new SimilarityHistogramChart;
    banner_ = new AlertBanner;

    // Centre: the 3D embedding view, with the alert banner above it.
    embedding_ = new EmbeddingPanel;
    auto* centre = new QWidget;
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(2, 2, 2, 2);
    centreLayout->addWidget(banner_);
    centreLayout->addWidget(embedding_, 1);
    setCentralWidget(centre);

    buildActions();
    buildDocks();
    wireSession();

    deviceLabel_ = new QLabel;
    stepLabel_ = new QLabel;
    speedLabel_ = new QLabel;
    stateLabel_ = new QLabel;
    datasetLabel_ = new QLabel;
    loadProgress_ = new QProgressBar;
    loadProgress_->setMaximumWidth(160);
    loadProgress_->hide();
    for (auto* l : {datasetLabel_, deviceLabel_, stateLabel_, stepLabel_, speedLabel_})
        statusBar()->addPermanentWidget(l);
    statusBar()->addWidget(loadProgress_);
    resize(1440, 900);
    defaultState_ = saveState();
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions() {
    open_ = new QAction(tr("&Open dataset…"), this);
    open_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    startPause_ = new QAction(tr("Start"), this);
    startPause_->setShortcut(QKeySequence(Qt::Key_Space));
    step_ = new QAction(tr("Step"), this);
    step_->setShortcut(QKeySequence(Qt::Key_S));
    step_->setToolTip(tr("One training step while paused (S)"));
    reset_ = new QAction(tr("Reset"), this);
    reset_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    resume_ = new QAction(tr("Resume from snapshot…"), this);
    resume_->setToolTip(
        tr("Continue a run saved in a snapshot folder, with its settings and state"));
    openSnapshot_ = new QAction(tr("Open snapshot…"), this);
    openSnapshot_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openSnapshot_->setToolTip(tr("Show a saved run read-only: curves, histograms, 3D cloud"));
    compare_ = new QAction(tr("Compare snapshots…"), this);
    compare_->setToolTip(
        tr("Two snapshot folders side by side: loss curves, metrics, linked 3D views"));
    export_ = new QAction(tr("Export snapshot…"), this);
    export_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    export_->setToolTip(
        tr("Write the current state as a snapshot folder (NumPy, TensorBoard projector, weights)"));
    resetLayout_ = new QAction(tr("Reset layout"), this);
    auto* quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);

    auto* toolbar = addToolBar(tr("Training"));
    toolbar->setObjectName("trainingToolbar");
    for (auto* a : {open_, startPause_, step_, reset_, export_})
        toolbar->addAction(a);
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(open_);
    file->addAction(openSnapshot_);
    file->addAction(compare_);
    auto* compareLive = file->addAction(tr("Compare snapshot with live run…"));
    connect(compareLive, &QAction::triggered, this, [this] {
        const QString a = askSnapshotFolder(tr("Snapshot folder to compare with the live run"));
        if (!a.isEmpty()) compareSnapshots(a);
    });
    file->addAction(resume_);
    file->addAction(export_);
    file->addSeparator();
    file->addAction(quit);
    auto* run = menuBar()->addMenu(tr("&Run"));
    for (auto* a : {startPause_, step_, reset_})
        run->addAction(a);
    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(resetLayout_);

    connect(open_, &QAction::triggered, this, &MainWindow::showOpenDialog);
    connect(startPause_, &QAction::triggered, session_, &TrainingSession::togglePause);
    connect(step_, &QAction::triggered, session_, &TrainingSession::stepOnce);
    connect(reset_, &QAction::triggered, this, [this] { session_->reset(hyper_->config()); });
    connect(resetLayout_, &QAction::triggered, this, &MainWindow::resetLayout);
    connect(resume_, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Snapshot folder to resume"), QSettings().value("run/exportDir").toString());
        if (!dir.isEmpty()) resumeFromSnapshot(dir);
    });
    connect(openSnapshot_, &QAction::triggered, this, [this] {
        const QString dir = askSnapshotFolder(tr("Snapshot folder to open"));
        if (!dir.isEmpty()) openSnapshot(dir);
    });
    connect(compare_, &QAction::triggered, this, [this] {
        const QString a = askSnapshotFolder(tr("First snapshot folder (A)"));
        if (a.isEmpty()) return;
        const QString b = askSnapshotFolder(tr("Second snapshot folder (B)"));
        if (!b.isEmpty()) compareSnapshots(a, b);
    });
    connect(export_, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Export snapshot into"), QSettings().value("run/exportDir").toString());
        if (dir.isEmpty()) return;
        QSettings().setValue("run/exportDir", dir);
        exportSnapshotTo(dir);
    });
    connect(quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::buildDocks() {
    auto* classesDock =
        addDock(this, tr("Classes"), "classesDock", classes_, Qt::LeftDockWidgetArea);
    auto* metricsDock =
        addDock(this, tr("Metrics"), "metricsDock", metrics_, Qt::LeftDockWidgetArea);
    auto* hyperDock =
        addDock(this, tr("Hyperparameters"), "hyperDock", hyper_, Qt::RightDockWidgetArea);
    auto* lossDock = addDock(this, tr("Loss"), "lossDock", loss_, Qt::BottomDockWidgetArea);
    auto* histDock = addDock(this, tr("Similarity histograms"), "histogramDock", histograms_,
                             Qt::BottomDockWidgetArea);
    splitDockWidget(classesDock, metricsDock, Qt::Vertical);
    splitDockWidget(lossDock, histDock, Qt::Horizontal);
    resizeDocks({classesDock, hyperDock}, {270, 340}, Qt::Horizontal);
    resizeDocks({classesDock, metricsDock}, {300, 420}, Qt::Vertical);
    resizeDocks({lossDock}, {360}, Qt::Vertical);
    auto* view = menuBar()->actions().last()->menu();
    view->addSeparator();
    for (auto* d : {classesDock, metricsDock, hyperDock, lossDock, histDock})
        view->addAction(d->toggleViewAction());
}

void MainWindow::wireSession() {
    connect(hyper_, &HyperparameterPanel::liveParameterChanged, session_,
            &TrainingSession::setParameter);
    connect(hyper_, &HyperparameterPanel::resetRequested, session_, &TrainingSession::reset);
    connect(session_, &TrainingSession::parameterRejected, this,
            [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(session_, &TrainingSession::recordsArrived, this,
            [this](const std::vector<core::StepRecord>& r) {
                loss_->appendRecords(r);
                samplesPerSecond_ = r.back().samplesPerSecond;
                metrics_->setThroughput(samplesPerSecond_);
                updateStatus();
            });
    connect(session_, &TrainingSession::eventsArrived, this,
            [this](const std::vector<core::Event>& events) {
                loss_->addEvents(events);
                hyper_->showApplied(events);
                for (const auto& e : events) {
                    const QString message = QString::fromStdString(e.message);
                    if (e.name == "nonfinite") banner_->showMessage(message, true);
                    if (e.name == "export_failed") banner_->showMessage(message, false);
                    if (e.name == "export")
                        statusBar()->showMessage(tr("Snapshot written to %1").arg(message), 8000);
                }
            });
    connect(session_, &TrainingSession::snapshotArrived, this,
            [this](std::shared_ptr<const core::Snapshot> s) {
                histograms_->setSnapshot(s);
                metrics_->addSnapshot(s);
                embedding_->setSnapshot(s);
            });
    connect(session_, &TrainingSession::stateChanged, this,
            [this](core::TrainerState s, const QString& failure) {
                hyper_->setRunning(s == core::TrainerState::Running);
                if (s == core::TrainerState::Failed)
                    banner_->showMessage(tr("Training failed: %1").arg(failure), false);
                updateStatus();
            });
    connect(session_, &TrainingSession::runReset, this, [this] {
        loss_->clear();
        metrics_->clear();
        banner_->hide();
        hyper_->setConfig(session_->config());
        updateStatus();
    });
    connect(banner_, &AlertBanner::restoreAndResume, session_, &TrainingSession::restoreAndResume);
    connect(classes_, &ClassListPanel::visibilityChanged, embedding_,
            &EmbeddingPanel::setHiddenClasses);
}

void MainWindow::openDataset(const QString& spec, const core::TrainConfig& config, bool autostart) {
    core::LoadOptions options;
    options.labelledFraction = config.labelledFraction;
    options.seed = config.seed;
    startupJob_ = std::make_unique<DatasetLoadJob>(spec, options);
    loadProgress_->setRange(0, 0);
    loadProgress_->show();
    statusBar()->showMessage(tr("Loading %1…").arg(spec));
    connect(startupJob_.get(), &DatasetLoadJob::progress, this, [this](qint64 done, qint64 total) {
        if (total > 0) {
            loadProgress_->setRange(0, 1000);
            loadProgress_->setValue(int(1000 * done / total));
        }
    });
    connect(startupJob_.get(), &DatasetLoadJob::loaded, this,
            [this, config, autostart](std::shared_ptr<const core::Dataset> ds) {
                loadProgress_->hide();
                statusBar()->clearMessage();
                openLoadedDataset(std::move(ds), config, autostart);
            });
    connect(startupJob_.get(), &DatasetLoadJob::failed, this, [this](const QString& msg) {
        loadProgress_->hide();
        statusBar()->showMessage(msg);
        banner_->showMessage(msg, false);
        emit datasetFailed(msg);
    });
    startupJob_->start();
}

void MainWindow::openLoadedDataset(std::shared_ptr<const core::Dataset> dataset,
                                   const core::TrainConfig& config, bool autostart,
                                   const QString& resumeFrom) {
    core::TrainConfig c = config;
    c.dataset = dataset->source;
    c.labelledFraction = dataset->labelledFraction();
    if (!dataset->isImage() && c.encoder != "mlp") c.encoder = "mlp";
    embedding_->setDataset(dataset);
    classes_->setDataset(*dataset);
    histograms_->setClassNames(dataset->classNames);
    hyper_->setClassCount(dataset->numClasses());
    session_->open(dataset, c, resumeFrom);
    QSettings settings;
    settings.setValue("run/dataset", QString::fromStdString(dataset->source));
    if (autostart) session_->start();
    updateStatus();
    emit datasetOpened();
}

void MainWindow::showOpenDialog() {
    const auto ds = session_->dataset();
    OpenDatasetDialog dialog(ds ? QString::fromStdString(ds->source) : savedDatasetSpec(), this);
    if (dialog.exec() != QDialog::Accepted || !dialog.dataset()) return;
    openLoadedDataset(dialog.dataset(), hyper_->config());
}

void MainWindow::resumeFromSnapshot(const QString& folder) {
    core::SnapshotInfo info;
    try {
        info = core::readSnapshot(folder.toStdString());
    } catch (const std::exception& e) {
        banner_->showMessage(QString::fromStdString(e.what()), false);
        emit datasetFailed(QString::fromStdString(e.what()));
        return;
    }
    core::LoadOptions options;
    options.labelledFraction = info.config.labelledFraction;
    options.seed = info.config.seed;
    startupJob_ =
        std::make_unique<DatasetLoadJob>(QString::fromStdString(info.config.dataset), options);
    statusBar()->showMessage(
        tr("Loading %1 to resume %2…").arg(QString::fromStdString(info.config.dataset), folder));
    const core::TrainConfig config = info.config;
    connect(startupJob_.get(), &DatasetLoadJob::loaded, this,
            [this, config, folder](std::shared_ptr<const core::Dataset> ds) {
                statusBar()->clearMessage();
                openLoadedDataset(std::move(ds), config, false, folder);
            });
    connect(startupJob_.get(), &DatasetLoadJob::failed, this, [this](const QString& msg) {
        banner_->showMessage(msg, false);
        emit datasetFailed(msg);
    });
    startupJob_->start();
}

QString MainWindow::askSnapshotFolder(const QString& title) {
    const QString dir = QFileDialog::getExistingDirectory(
        this, title,
        QSettings().value("run/snapshotDir", QSettings().value("run/exportDir")).toString());
    if (!dir.isEmpty()) QSettings().setValue("run/snapshotDir", QFileInfo(dir).absolutePath());
    return dir;
}

std::shared_ptr<const core::SavedRun> MainWindow::loadRun(const QString& folder) {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    std::shared_ptr<const core::SavedRun> run;
    try {
        run = std::make_shared<const core::SavedRun>(core::loadSavedRun(folder.toStdString()));
    } catch (const std::exception& e) {
        banner_->showMessage(QString::fromStdString(e.what()), false);
    }
    QApplication::restoreOverrideCursor();
    return run;
}

SnapshotWindow* MainWindow::openSnapshot(const QString& folder) {
    auto run = loadRun(folder);
    if (!run) return nullptr;
    auto* w = new SnapshotWindow(run, session_->dataset(), this);
    connect(w, &SnapshotWindow::resumeRequested, this, [this](const QString& f) {
        resumeFromSnapshot(f);
        raise();
        activateWindow();
    });
    connect(w, &SnapshotWindow::compareWithLiveRequested, this,
            [this](std::shared_ptr<const core::SavedRun> a) {
                showCompare(new CompareWindow(std::move(a), session_, this));
            });
    connect(w, &SnapshotWindow::compareWithSnapshotRequested, this,
            [this](std::shared_ptr<const core::SavedRun> a) {
                const QString other = askSnapshotFolder(tr("Snapshot folder to compare with"));
                if (other.isEmpty()) return;
                if (auto b = loadRun(other)) showCompare(new CompareWindow(std::move(a), b, this));
            });
    w->show();
    return w;
}

CompareWindow* MainWindow::compareSnapshots(const QString& a, const QString& b) {
    auto runA = loadRun(a);
    if (!runA) return nullptr;
    if (b.isEmpty()) return showCompare(new CompareWindow(runA, session_, this));
    auto runB = loadRun(b);
    return runB ? showCompare(new CompareWindow(runA, runB, this)) : nullptr;
}

CompareWindow* MainWindow::showCompare(CompareWindow* window) {
    window->show();
    return window;
}

void MainWindow::exportSnapshotTo(const QString& dir) {
    auto png = [](const QImage& image) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return bytes;
    };
    QMap<QString, QByteArray> renders;
    renders["loss.png"] = png(loss_->grab().toImage());
    renders["histograms.png"] = png(histograms_->grab().toImage());
    renders["embedding3d.png"] = png(embedding_->view()->grabFramebuffer());
    session_->exportSnapshot(dir, renders);
}

void MainWindow::resetLayout() {
    restoreState(defaultState_);
    for (auto* d : findChildren<QDockWidget*>())
        d->show();
}

void MainWindow::updateStatus() {
    const auto ds = session_->dataset();
    datasetLabel_->setText(ds ? QString::fromStdString(ds->name) : tr("no dataset"));
    deviceLabel_->setText(session_->device().isEmpty() ? QString()
                                                       : tr("device %1").arg(session_->device()));
    stepLabel_->setText(tr("step %1").arg(session_->step()));
    speedLabel_->setText(tr("%1 samples/s").arg(samplesPerSecond_, 0, 'f', 0));
    const auto s = session_->state();
    stateLabel_->setText(core::stateName(s));
    const bool running = s == core::TrainerState::Running;
    startPause_->setText(running ? tr("Pause") : tr("Start"));
    step_->setEnabled(!running && session_->hasRun());
}

QString MainWindow::savedDatasetSpec() {
    return QSettings()
        .value("run/dataset", QString::fromStdString(core::defaultDatasetSpec()))
        .toString();
}

core::TrainConfig MainWindow::savedConfig() {
    core::TrainConfig defaults;
    defaults.steps = 0;       // interactive: until stopped
    defaults.evalEvery = 100; // keep the metrics panel moving
    const QString json = QSettings().value("run/config").toString();
    if (json.isEmpty()) return defaults;
    try {
        return core::TrainConfig::fromJson(json.toStdString(), "saved settings", defaults);
    } catch (const std::exception&) {
        return defaults; // settings from an older version: start fresh
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("run/config", QString::fromStdString(hyper_->config().toJson()));
    QMainWindow::closeEvent(event);
}

} // namespace ui
