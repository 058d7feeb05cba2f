// Panels alone: ranges make bad values impossible, live vs structural behaviour, class list.
#include <QtTest>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>

#include "core/data/DatasetLoader.h"
#include "ui/panels/ClassListPanel.h"
#include "ui/panels/HyperparameterPanel.h"
#include "ui/panels/LogSlider.h"

class PanelsTest : public QObject {
    Q_OBJECT
  private slots:
    void temperatureEditsEmitLiveChanges() {
        ui::HyperparameterPanel panel;
        QSignalSpy spy(&panel, &ui::HyperparameterPanel::liveParameterChanged);
        panel.temperatureSlider()->spinBox()->setValue(0.25);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QString("temperature"));
        QCOMPARE(spy.at(0).at(1).toDouble(), 0.25);
        QCOMPARE(panel.config().temperature, 0.25);
        // The log slider follows: 0.25 sits at log10 position (−0.602+2)/2 of the track.
        QVERIFY(qAbs(panel.temperatureSlider()->slider()->value() - 699) <= 1);
        // Dragging the slider updates the value on the log scale.
        panel.temperatureSlider()->slider()->setValue(500);
        QVERIFY(qAbs(panel.config().temperature - 0.1) < 1e-3);
    }

    void badValuesCannotBeEntered() {
        ui::HyperparameterPanel panel;
        panel.temperatureSlider()->spinBox()->setValue(50.0); // clamps to the range
        QCOMPARE(panel.config().temperature, 1.0);
        panel.temperatureSlider()->spinBox()->setValue(0.0);
        QCOMPARE(panel.config().temperature, 0.01);
        panel.lrSpin()->setValue(-3.0);
        QVERIFY(panel.config().lr > 0);
        QVERIFY_THROWS_NO_EXCEPTION(panel.config().validate());
    }

    void setConfigIsSilentAndRunningLocksStructure() {
        ui::HyperparameterPanel panel;
        QSignalSpy spy(&panel, &ui::HyperparameterPanel::liveParameterChanged);
        core::TrainConfig c;
        c.temperature = 0.05;
        c.encoder = "cnn-small";
        c.loss = core::LossKind::SupConIn;
        panel.setConfig(c);
        QCOMPARE(spy.count(), 0);
        QCOMPARE(panel.config().encoder, std::string("cnn-small"));
        QCOMPARE(panel.config().loss, core::LossKind::SupConIn);
        panel.setRunning(true);
        int disabled = 0;
        for (auto* w : panel.findChildren<QComboBox*>())
            disabled += !w->isEnabled();
        QVERIFY(disabled >= 4); // optimizer, schedule, views, augmentation, encoder, device
        QVERIFY(panel.temperatureSlider()->isEnabled()); // live stays editable
    }

    void classListTogglesVisibility() {
        const auto ds = core::loadDataset("builtin:blobs?train=100&test=20&classes=4");
        ui::ClassListPanel panel;
        QSignalSpy spy(&panel, &ui::ClassListPanel::visibilityChanged);
        panel.setDataset(ds);
        QCOMPARE(panel.rowCount(), 4);
        panel.setClassVisible(2, false);
        QVERIFY(spy.count() >= 2);
        QCOMPARE(panel.hiddenClasses(), QSet<int>{2});
    }
};

QTEST_MAIN(PanelsTest)
#include "PanelsTest.moc"
