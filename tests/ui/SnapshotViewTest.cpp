// Saved runs in the app: "Open snapshot…" shows a folder read-only (curves with their change
// markers, histograms, metrics, settings, the 3D cloud with thumbnails), a damaged folder is a
// one-line error, and the compare window puts two snapshots — or a snapshot and the live run —
// side by side with linked cameras.
#include <QtTest>

#include <QStandardPaths>
#include <QTableWidget>

#include <filesystem>

#include "../core/Fixtures.h"
#include "../core/RunConfigs.h"
#include "core/data/DatasetLoader.h"
#include "core/io/SavedRun.h"
#include "core/train/Trainer.h"
#include "ui/MainWindow.h"
#include "ui/TrainingSession.h"
#include "ui/charts/LossChart.h"
#include "ui/charts/SimilarityHistogramChart.h"
#include "ui/panels/AlertBanner.h"
#include "ui/panels/MetricsPanel.h"
#include "ui/snapshot/CompareLossChart.h"
#include "ui/snapshot/CompareWindow.h"
#include "ui/snapshot/SnapshotWindow.h"
#include "ui/view3d/EmbeddingPanel.h"
#include "ui/view3d/EmbeddingView.h"

namespace fs = std::filesystem;

namespace {

const char* kSpec = "builtin:blobs?train=400&test=100";

core::TrainConfig evaluatedRun() {
    core::TrainConfig c = fixtures::evaluatedRun();
    c.dataset = kSpec;
    return c;
}

std::shared_ptr<const core::Dataset> blobs() {
    return std::make_shared<const core::Dataset>(core::loadDataset(kSpec));
}

/// One run exported at step 6 and again at step 12 (temperature 0.25 from step 7).
struct TwoSnapshots {
    fixtures::TempDir dir;
    fs::path early, late;
    TwoSnapshots() {
        core::Trainer t(blobs(), evaluatedRun());
        auto exportNow = [&] {
            t.exportSnapshot(dir.path().string());
            t.waitUntilSettled();
            fs::path last;
            for (const auto& e : t.eventsSince(0))
                if (e.name == "export") last = e.message;
            return last;
        };
        t.step(6);
        t.waitUntilSettled();
        early = exportNow();
        t.setParameter("temperature", 0.25);
        t.step(6);
        t.waitUntilSettled();
        late = exportNow();
    }
};

QString rowValue(QTableWidget* table, const QString& key) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == key) return table->item(r, 1)->text();
    return {};
}

bool imageVaries(const QImage& img) {
    if (img.isNull()) return false;
    const QRgb first = img.pixel(0, 0);
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3)
            if (img.pixel(x, y) != first) return true;
    return false;
}

} // namespace

class SnapshotViewTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void openSnapshotShowsTheSavedRunReadOnly() {
        TwoSnapshots s;
        const core::SavedRun saved = core::loadSavedRun(s.late);
        ui::MainWindow w;
        auto* view = w.openSnapshot(QString::fromStdString(s.late.string()));
        QVERIFY(view);
        QVERIFY(view->isWindow());
        QVERIFY(view->windowTitle().contains("snapshot-000012"));
        QCOMPARE(view->lossChart()->drawnRawPoints(), 12);
        QCOMPARE(view->lossChart()->markerCount(), 1);
        QVERIFY(view->lossChart()->markerTooltip(0).contains("temperature"));
        QCOMPARE(view->metrics()->pointCount(), 2);
        QCOMPARE(view->metrics()->valueText(0),
                 QString::number(saved.metrics.back().snnTop1, 'f', 4));
        QCOMPARE(view->histogramChart()->shownOverlap(), saved.snapshot->histograms.back().overlap);
        QCOMPARE(rowValue(view->settings(), "temperature"), QString("0.25"));
        QCOMPARE(rowValue(view->settings(), "dataset"), QString(kSpec));
        auto* embedding = view->embedding();
        QCOMPARE(embedding->view()->pointCount(), 80);
        // The app had no dataset open: the run's own data is loaded for thumbnails.
        QTRY_VERIFY_WITH_TIMEOUT(view->hasSamples(), 20000);
        embedding->selectPoint(3);
        QCOMPARE(embedding->neighbours().size(), std::size_t(10));
        QVERIFY(embedding->detailsText().contains("step 12"));
        QTRY_VERIFY_WITH_TIMEOUT(embedding->view()->framesRendered() > 0, 10000);
        QVERIFY(imageVaries(embedding->view()->grabFramebuffer()));
        // Resume from here hands the folder to the main window's run.
        QSignalSpy opened(&w, &ui::MainWindow::datasetOpened);
        emit view->resumeRequested(QString::fromStdString(s.late.string()));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->step(), std::int64_t(12), 20000);
    }

    void damagedSnapshotIsOneLineAndChangesNothing() {
        TwoSnapshots s;
        fs::resize_file(s.late / "embeddings.npy", 100);
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), evaluatedRun());
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), core::TrainerState::Idle, 20000);
        QVERIFY(!w.openSnapshot(QString::fromStdString(s.late.string())));
        QVERIFY(w.banner()->isVisibleTo(&w));
        const QString message = w.banner()->message();
        QVERIFY2(message.contains("embeddings.npy"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
        QVERIFY(!w.compareSnapshots(QString::fromStdString(s.early.string()),
                                    QString::fromStdString(s.late.string())));
        QCOMPARE(w.session()->state(), core::TrainerState::Idle);
        QVERIFY(w.findChildren<ui::SnapshotWindow*>().isEmpty());
    }

    void twoSnapshotsSideBySideWithLinkedCameras() {
        TwoSnapshots s;
        ui::MainWindow w;
        auto* c = w.compareSnapshots(QString::fromStdString(s.early.string()),
                                     QString::fromStdString(s.late.string()));
        QVERIFY(c);
        QCOMPARE(c->lossChart()->pointCount(0), 6);
        QCOMPARE(c->lossChart()->pointCount(1), 12);
        QCOMPARE(c->cell("Step", 0), QString("6"));
        QCOMPARE(c->cell("Step", 1), QString("12"));
        QCOMPARE(c->cell("Step", 2), QString("+6"));
        QCOMPARE(c->cell("Evaluated at step", 0), QString("5"));
        QCOMPARE(c->cell("Evaluated at step", 1), QString("10"));
        QVERIFY(!c->cell("SNN top-1", 2).isEmpty());
        // Only the settings that differ are listed.
        QCOMPARE(c->cell("temperature", 0), QString("0.1"));
        QCOMPARE(c->cell("temperature", 1), QString("0.25"));
        QVERIFY(c->cell("lr", 0).isEmpty());
        // Same probe points: B's cloud is turned onto A's.
        QVERIFY(c->aligned());
        QCOMPARE(c->view(0)->pointCount(), 80);
        QCOMPARE(c->view(1)->pointCount(), 80);
        c->view(0)->orbit(40);
        QVERIFY(c->view(1)->camera() == c->view(0)->camera());
        c->view(1)->orbit(-15);
        QVERIFY(c->view(0)->camera() == c->view(1)->camera());
        c->setLinkedCameras(false);
        c->view(0)->orbit(25);
        QVERIFY(!(c->view(1)->camera() == c->view(0)->camera()));
        QTRY_VERIFY_WITH_TIMEOUT(c->view(1)->framesRendered() > 0, 10000);
        QVERIFY(imageVaries(c->view(1)->grabFramebuffer()));
    }

    void snapshotAgainstTheLiveRunFollowsTraining() {
        TwoSnapshots s;
        ui::MainWindow w;
        w.openLoadedDataset(blobs(), evaluatedRun());
        auto* session = w.session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Idle, 20000);
        session->stepOnce();
        QTRY_COMPARE_WITH_TIMEOUT(session->step(), std::int64_t(1), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Paused, 20000);
        QTest::qWait(100); // the drain delivers step 1
        auto* c = w.compareSnapshots(QString::fromStdString(s.late.string()));
        QVERIFY(c);
        QCOMPARE(c->lossChart()->pointCount(1), 1); // what was delivered so far, once
        QCOMPARE(c->cell("temperature", 1), QString("0.1"));
        session->start();
        QTRY_VERIFY_WITH_TIMEOUT(c->cell("Step", 1).toInt() >= 20, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(c->view(1)->pointCount() == 80, 30000);
        session->pause();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), core::TrainerState::Paused, 20000);
        QTest::qWait(200);
        QCOMPARE(std::int64_t(c->lossChart()->pointCount(1)), session->step());
        // A live change shows up among the differing settings.
        session->setParameter("lr", 0.05);
        session->stepOnce();
        QTRY_COMPARE_WITH_TIMEOUT(c->cell("lr", 1), QString("0.05"), 20000);
    }
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(ui::EmbeddingView::defaultFormat());
    QApplication app(argc, argv);
    SnapshotViewTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "SnapshotViewTest.moc"
