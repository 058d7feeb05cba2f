// The assembled window driving a real trainer: actions, live parameters with chart markers,
// streaming charts, and a corrupt dataset that leaves the current run alone.
#include <QtTest>

#include <QAction>
#include <QImage>

#include <QDoubleSpinBox>
#include <QSettings>
#include <QStandardPaths>
#include <filesystem>

#include "../core/Fixtures.h"
#include "../core/RunConfigs.h"
#include "core/data/DatasetLoader.h"
#include "ui/MainWindow.h"
#include "ui/TrainingSession.h"
#include "ui/charts/LossChart.h"
#include "ui/charts/SimilarityHistogramChart.h"
#include "ui/panels/AlertBanner.h"
#include "ui/panels/HyperparameterPanel.h"
#include "ui/panels/LogSlider.h"
#include "ui/panels/MetricsPanel.h"
#include "ui/panels/OpenDatasetDialog.h"
#include "ui/view3d/EmbeddingPanel.h"
#include "ui/view3d/EmbeddingView.h"

namespace {
/// A quiet run that snapshots like the app does (every few steps and on a timer).
core::TrainConfig smallRun() {
    core::TrainConfig c = fixtures::quietRun();
    c.probe = 200;
    c.snapshotEvery = 5;
    c.snapshotMs = core::TrainConfig{}.snapshotMs;
    c.evalEvery = 10;
    c.referenceLimit = 500;
    return c;
}
std::shared_ptr<const core::Dataset> blobs() {
    return std::make_shared<const core::Dataset>(
        core::loadDataset("builtin:blobs?train=1000&test=200"));
}
} // namespace

class WindowTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void startPauseAndStepDriveTheTrainer() {
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), smallRun());
        auto* session = w.session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Idle, 20000);
        w.stepAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(session->step(), std::int64_t(1), 20000);
        QTRY_COMPARE(session->state(), core::TrainerState::Paused);
        w.startPauseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Running, 20000);
        QCOMPARE(w.startPauseAction()->text(), QString("Pause"));
        QTRY_VERIFY_WITH_TIMEOUT(session->step() > 5, 20000);
        w.startPauseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Paused, 20000);
        QTest::qWait(300); // let an in-flight step land
        const auto paused = session->step();
        QTest::qWait(300);
        QCOMPARE(session->step(), paused);
        w.stepAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(session->step(), paused + 1, 20000);
    }

    void liveTemperatureReachesTrainerWithAChartMarker() {
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), smallRun());
        auto* session = w.session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Idle, 20000);
        w.session()->start();
        QTRY_VERIFY_WITH_TIMEOUT(session->step() >= 3, 20000);
        w.hyperparameters()->temperatureSlider()->spinBox()->setValue(0.3);
        QCOMPARE(session->config().temperature, 0.3);
        QTRY_COMPARE_WITH_TIMEOUT(w.lossChart()->markerCount(), 1, 20000);
        const QString tip = w.lossChart()->markerTooltip(0);
        QVERIFY2(tip.contains("temperature") && tip.contains("0.1") && tip.contains("0.3"),
                 qPrintable(tip));
    }

    void chartsStreamWhileTraining() {
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), smallRun(), true);
        QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->drawnRawPoints() > 20, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.histogramChart()->positiveBinsShown() == 50, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.metrics()->pointCount() >= 1, 30000);
        QVERIFY(w.metrics()->valueText(0) != "–");
        // Drained at ≤ 30 Hz, yet every step arrives exactly once.
        const auto n = w.lossChart()->drawnRawPoints();
        QVERIFY(n <= w.session()->step());
    }

    void corruptDatasetShowsErrorAndLeavesRunAlone() {
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), smallRun(), true);
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->step() >= 2, 20000);
        const auto before = w.session()->dataset();
        fixtures::TempDir dir;
        fixtures::writeIdxFolder(dir.path(), 10, 0);
        auto bytes = fixtures::read(dir / "train-images-idx3-ubyte");
        bytes.resize(100);
        fixtures::write(dir / "train-images-idx3-ubyte", bytes);
        ui::OpenDatasetDialog dialog(QString::fromStdString(dir.path().string()), &w);
        QCOMPARE(dialog.detectedFormat(), QString("idx"));
        QSignalSpy failed(&dialog, &ui::OpenDatasetDialog::previewFailed);
        dialog.loadPreview();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QVERIFY2(dialog.errorText().contains("train-images-idx3-ubyte"),
                 qPrintable(dialog.errorText()));
        QVERIFY(!dialog.dataset());
        QCOMPARE(w.session()->dataset(), before);
        const auto step = w.session()->step();
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->step() > step, 20000); // still training
    }

    void goodDatasetPreviewsAndOpens() {
        ui::OpenDatasetDialog dialog("builtin:shapes?train=200&test=50");
        QCOMPARE(dialog.detectedFormat(), QString("builtin"));
        QSignalSpy ready(&dialog, &ui::OpenDatasetDialog::previewReady);
        dialog.loadPreview();
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QVERIFY(dialog.dataset());
        QCOMPARE(dialog.dataset()->train.size(), std::size_t(200));
        QVERIFY(dialog.errorText().isEmpty());
    }

    void embeddingViewFollowsSnapshotsAndPicks() {
        ui::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openLoadedDataset(blobs(), smallRun(), true);
        auto* view = w.embedding()->view();
        QTRY_COMPARE_WITH_TIMEOUT(view->pointCount(), 200, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(view->framesRendered() > 0, 30000);
        w.embedding()->selectPoint(5);
        QCOMPARE(w.embedding()->selected(), 5);
        QCOMPARE(w.embedding()->neighbours().size(), std::size_t(10));
        QVERIFY2(w.embedding()->detailsText().contains("neighbours share its label"),
                 qPrintable(w.embedding()->detailsText()));
        // Colour modes and LDA switch without losing points.
        w.embedding()->setColoring(ui::EmbeddingPanel::Coloring::KnnAgreement);
        w.embedding()->setProjection(ui::EmbeddingPanel::Projection::LDA);
        QCOMPARE(view->pointCount(), 200);
        // A click on the view picks the point under the cursor.
        w.session()->pause();
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Paused, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->animating(), 5000);
        const QPoint at = view->projectToWidget(17).toPoint();
        const int expected = view->pointAt(at);
        QVERIFY(expected >= 0);
        QTest::mouseClick(view, Qt::LeftButton, {}, at);
        QCOMPARE(w.embedding()->selected(), expected);
    }

    void exportWritesFolderWithRenders() {
        ui::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openLoadedDataset(blobs(), smallRun(), true);
        QTRY_VERIFY_WITH_TIMEOUT(w.embedding()->view()->pointCount() > 0, 30000);
        w.session()->pause();
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Paused, 20000);
        fixtures::TempDir dir;
        w.exportSnapshotTo(QString::fromStdString(dir.path().string()));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::filesystem::exists(
                dir / ("snapshot-" +
                       QString::number(w.session()->step()).rightJustified(6, '0').toStdString())),
            20000);
        const auto folder =
            dir / ("snapshot-" +
                   QString::number(w.session()->step()).rightJustified(6, '0').toStdString());
        for (const char* f :
             {"loss.png", "histograms.png", "embedding3d.png", "model.pt", "embeddings.npy"}) {
            QVERIFY2(std::filesystem::is_regular_file(folder / f), f);
            QImage img;
            if (std::string(f).ends_with(".png")) {
                QVERIFY2(img.load(QString::fromStdString((folder / f).string())), f);
                QVERIFY(img.width() > 50 && img.height() > 50);
            }
        }
    }

    void resumeFromSnapshotContinuesAtItsStep() {
        fixtures::TempDir dir;
        auto c = smallRun();
        c.dataset = "builtin:blobs?train=1000&test=200";
        std::int64_t savedStep = 0;
        {
            ui::MainWindow w;
            w.openLoadedDataset(blobs(), c);
            QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Idle, 20000);
            for (std::int64_t i = 1; i <= 3; ++i) {
                w.stepAction()->trigger();
                QTRY_COMPARE_WITH_TIMEOUT(w.session()->step(), i, 20000);
                QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Paused, 20000);
            }
            w.session()->exportSnapshot(QString::fromStdString(dir.path().string()));
            QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(dir / "snapshot-000003"), 20000);
            savedStep = w.session()->step();
        }
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), smallRun());
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Idle, 20000);
        // A bad folder: one-line error, the current run untouched.
        const auto before = w.session()->dataset();
        w.resumeFromSnapshot(QString::fromStdString((dir / "nope").string()));
        QVERIFY(w.banner()->isVisibleTo(&w));
        QVERIFY(w.banner()->message().contains("not a snapshot folder"));
        QCOMPARE(w.session()->dataset(), before);
        // The real one: the dataset loads, the run continues at the saved step.
        w.resumeFromSnapshot(QString::fromStdString((dir / "snapshot-000003").string()));
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->dataset() != before, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Idle, 20000);
        QCOMPARE(w.session()->step(), savedStep);
        w.stepAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->step(), savedStep + 1, 20000);
    }

    void nonFiniteLossShowsBannerAndResumes() {
        ui::MainWindow w;
        auto c = smallRun();
        c.checkpointEvery = 2;
        w.openLoadedDataset(blobs(), c);
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Idle, 20000);
        w.session()->setParameter("lr", 1e6);
        w.session()->setParameter("weight_decay", 1.0);
        w.session()->start();
        QTRY_VERIFY_WITH_TIMEOUT(w.banner()->isVisibleTo(&w), 30000);
        QVERIFY2(w.banner()->message().contains("step"), qPrintable(w.banner()->message()));
        QCOMPARE(w.session()->state(), core::TrainerState::Paused);
        w.session()->setParameter("lr", 0.05);
        w.session()->setParameter("weight_decay", 1e-6);
        const auto step = w.session()->step();
        emit w.banner()->restoreAndResume();
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->step() > step + 2, 20000);
    }
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(ui::EmbeddingView::defaultFormat());
    QApplication app(argc, argv);
    WindowTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "WindowTest.moc"
