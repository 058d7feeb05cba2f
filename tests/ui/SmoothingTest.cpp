// TensorBoard-style EMA and bounded decimation behind the loss chart.
#include <QtTest>

#include "ui/charts/Smoothing.h"

class SmoothingTest : public QObject {
    Q_OBJECT
  private slots:
    void emaMatchesHandComputedValues() {
        ui::DebiasedEma ema(0.6);
        // last1 = 0.4·1 = 0.4 → /(1−0.6) = 1.0
        QCOMPARE(ema.add(1.0), 1.0);
        // last2 = 0.4·0.6 + 0.4·3 = 1.44 → /(1−0.36) = 2.25
        QVERIFY(qAbs(ema.add(3.0) - 2.25) < 1e-12);
        // last3 = 1.44·0.6 + 0.4·2 = 1.664 → /(1−0.216) = 2.122448979...
        QVERIFY(qAbs(ema.add(2.0) - 1.664 / 0.784) < 1e-12);
        ui::DebiasedEma none(0.0);
        QCOMPARE(none.add(5.0), 5.0);
        QCOMPARE(none.add(7.0), 7.0);
    }

    void decimationKeepsMemoryAndPointsBounded() {
        ui::DecimatedSeries s(2000, 1000);
        int maxStored = 0;
        for (int i = 1; i <= 1000000; ++i) {
            s.append(i, std::sin(i * 0.001) + (i == 123456 ? 50.0 : 0.0));
            if (i % 50000 == 0) maxStored = std::max(maxStored, s.storedPoints());
        }
        QCOMPARE(s.totalAppended(), qint64(1000000));
        QVERIFY2(maxStored <= 2 * 2000 + 2 * 1000 + 2, qPrintable(QString::number(maxStored)));
        const auto pts = s.points();
        QVERIFY(pts.size() <= 2 * 2000 + 2 * 1000 + 2);
        // The spike survives decimation, and the recent tail is exact.
        double top = -1e9;
        for (const auto& p : pts)
            top = std::max(top, p.y());
        QVERIFY(top > 49.0);
        QCOMPARE(pts.back().x(), 1000000.0);
        QCOMPARE(pts.back().y(), std::sin(1000000 * 0.001));
        // x stays ordered.
        for (int i = 1; i < pts.size(); ++i)
            QVERIFY(pts[i].x() >= pts[i - 1].x());
    }

    void nonFiniteValuesAreSkipped() {
        ui::DecimatedSeries s;
        s.append(1, 1.0);
        s.append(2, std::numeric_limits<double>::quiet_NaN());
        s.append(3, 2.0);
        QCOMPARE(s.points().size(), 2);
    }
};

QTEST_APPLESS_MAIN(SmoothingTest)
#include "SmoothingTest.moc"
