// Image tests of the VTK-in-Qt6 view (the f3d way): a fixed scene at a fixed size and camera,
// the framebuffer grabbed, expected colours in expected places and background elsewhere — a
// blank or garbage frame fails. Needs a real GL context (xvfb-run); label "render".
#include <QtTest>

#include <QApplication>
#include <QSurfaceFormat>

#include <random>

#include "ui/Palette.h"
#include "ui/view3d/EmbeddingView.h"

namespace {

/// Three tight clusters: class 0 left, class 1 right, class 2 top (in the x-y plane).
void threeClusters(std::vector<float>& xyz, std::vector<std::int64_t>& labels,
                   int perCluster = 40) {
    std::mt19937 rng(7);
    std::normal_distribution<float> jitter(0.0f, 0.03f);
    const float centres[3][3] = {{-1.0f, 0.0f, 0.0f}, {1.0f, 0.0f, 0.0f}, {0.0f, 1.2f, 0.0f}};
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < perCluster; ++i) {
            for (int k = 0; k < 3; ++k)
                xyz.push_back(centres[c][k] + jitter(rng));
            labels.push_back(c);
        }
}

bool near(const QColor& a, const QColor& b, int tolerance = 40) {
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
               std::abs(a.blue() - b.blue()) <=
           tolerance;
}

/// Counts pixels within `r` of `centre` close to `colour`.
int countNear(const QImage& img, QPointF centre, int r, const QColor& colour) {
    int n = 0;
    for (int y = int(centre.y()) - r; y <= int(centre.y()) + r; ++y)
        for (int x = int(centre.x()) - r; x <= int(centre.x()) + r; ++x)
            if (x >= 0 && y >= 0 && x < img.width() && y < img.height() &&
                near(img.pixelColor(x, y), colour))
                ++n;
    return n;
}

/// 400×300 view, no legend, 9 px points, top view of the three clusters, shown and exposed.
void showClusters(ui::EmbeddingView& view) {
    view.resize(400, 300);
    view.setShowLegend(false);
    view.setPointSize(9);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    std::vector<float> xyz;
    std::vector<std::int64_t> labels;
    threeClusters(xyz, labels);
    view.setPoints(xyz, labels, 3, false);
    view.setTopView(true);
}

} // namespace

class EmbeddingViewTest : public QObject {
    Q_OBJECT
  private slots:
    void rendersClustersInTheirColoursOnTheBackground() {
        ui::EmbeddingView view;
        showClusters(view);
        view.setShowCentroids(false);
        const QImage img = view.grabFramebuffer();
        img.save(QDir::temp().filePath("embedding-view-clusters.png")); // for a human to look at
        QCOMPARE(img.size(), QSize(400, 300) * view.devicePixelRatioF());
        const QPointF left = view.projectToWidget(0), right = view.projectToWidget(40),
                      top = view.projectToWidget(80);
        // Geometry: left cluster left of right cluster, top cluster above both.
        QVERIFY(left.x() < 150 && right.x() > 250);
        QVERIFY(top.y() < left.y() - 40);
        QVERIFY(countNear(img, left, 6, ui::classColor(0)) > 20);
        QVERIFY(countNear(img, right, 6, ui::classColor(1)) > 20);
        QVERIFY(countNear(img, top, 6, ui::classColor(2)) > 20);
        // No class colour where another class sits, and background in the corners and
        // centre-bottom.
        QCOMPARE(countNear(img, left, 6, ui::classColor(1)), 0);
        for (const QPoint p :
             {QPoint(3, 3), QPoint(396, 3), QPoint(3, 296), QPoint(396, 296), QPoint(200, 280)})
            QVERIFY2(near(img.pixelColor(p), Qt::white, 10), qPrintable(img.pixelColor(p).name()));
        QVERIFY(view.framesRendered() >= 1);
    }

    void darkBackgroundHiddenClassesAndCentroids() {
        ui::EmbeddingView view;
        showClusters(view);
        view.setDarkBackground(true);
        view.setHiddenClasses({1});
        view.setShowCentroids(false);
        const QImage img = view.grabFramebuffer();
        const QColor bg = img.pixelColor(3, 3);
        QVERIFY2(bg.lightness() < 60, qPrintable(bg.name()));
        QVERIFY(countNear(img, view.projectToWidget(0), 6, ui::classColor(0)) > 20);
        QCOMPARE(countNear(img, view.projectToWidget(40), 8, ui::classColor(1)), 0); // hidden
        QCOMPARE(view.pointAt(view.projectToWidget(40).toPoint()), -1);              // not pickable
    }

    void pickingReturnsTheRightIndex() {
        ui::EmbeddingView view;
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const std::vector<float> xyz{-1, 0, 0, 1, 0, 0, 0, 1, 0, 0, -1, 0.5f};
        view.setPoints(xyz, {0, 1, 2, 0}, 3, false);
        view.grabFramebuffer();
        for (int i = 0; i < 4; ++i)
            QCOMPARE(view.pointAt(view.projectToWidget(i).toPoint()), i);
        QCOMPARE(view.pointAt(QPoint(-50, -50)), -1);
        // A click on a point emits pointPicked with its index.
        QSignalSpy picked(&view, &ui::EmbeddingView::pointPicked);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.projectToWidget(2).toPoint());
        QCOMPARE(picked.count(), 1);
        QCOMPARE(picked.at(0).at(0).toInt(), 2);
    }

    void transitionsAnimateToTheNewPositions() {
        ui::EmbeddingView view;
        view.resize(300, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::vector<float> a{0, 0, 0, 1, 0, 0, 0, 1, 0}, b{0, 0, 0, 2, 0, 0, 0, 2, 0};
        view.setPoints(a, {0, 1, 2}, 3, false);
        view.grabFramebuffer();
        const QPointF start = view.projectToWidget(1);
        view.setPoints(b, {0, 1, 2}, 3, true);
        QVERIFY(view.animating());
        QTRY_VERIFY_WITH_TIMEOUT(!view.animating(), 3000);
        const QPointF end = view.projectToWidget(1);
        QVERIFY2(end.x() > start.x() + 5,
                 qPrintable(QString("%1 → %2").arg(start.x()).arg(end.x())));
    }
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(ui::EmbeddingView::defaultFormat());
    QApplication app(argc, argv);
    EmbeddingViewTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "EmbeddingViewTest.moc"
