// contrastscope — the desktop app.
#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QSurfaceFormat>

#include <iostream>

#include "ProcessDefaults.h"
#include "core/util/Error.h"
#include "ui/MainWindow.h"
#include "ui/view3d/EmbeddingView.h"

int main(int argc, char** argv) {
    app::applyThreadingDefaults(argv);
    QSurfaceFormat::setDefaultFormat(ui::EmbeddingView::defaultFormat()); // before QApplication
    QApplication application(argc, argv);
    QApplication::setApplicationName("ContrastScope");
    QApplication::setOrganizationName("ContrastScope");
    QApplication::setApplicationVersion(CONTRASTSCOPE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Train contrastive encoders and watch the representation form.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption dataset(
        "dataset",
        "Dataset path or builtin:NAME (default: the last one, else Fashion-MNIST "
        "if installed, else builtin:shapes).",
        "SPEC");
    QCommandLineOption config("config", "run.json with training settings (the CLI's keys).",
                              "FILE");
    QCommandLineOption autostart("autostart", "Start training as soon as the dataset is loaded.");
    QCommandLineOption snapshot("snapshot",
                                "Also show a saved snapshot folder read-only (repeat twice to "
                                "compare two snapshots side by side).",
                                "DIR");
    QCommandLineOption compareLive("compare-live",
                                   "Compare the --snapshot folder with the live run.");
    parser.addOptions({dataset, config, autostart, snapshot, compareLive});
    parser.process(application);

    core::TrainConfig run = ui::MainWindow::savedConfig();
    if (parser.isSet(config)) {
        QFile file(parser.value(config));
        if (!file.open(QIODevice::ReadOnly)) {
            std::cerr << "error: " << parser.value(config).toStdString() << ": cannot open"
                      << std::endl;
            return 2;
        }
        try {
            run = core::TrainConfig::fromJson(file.readAll().toStdString(),
                                              parser.value(config).toStdString(), run);
        } catch (const core::Error& e) {
            std::cerr << "error: " << e.what() << std::endl;
            return 2;
        }
    }
    QString spec = ui::MainWindow::savedDatasetSpec();
    if (parser.isSet(config) && !run.dataset.empty()) spec = QString::fromStdString(run.dataset);
    if (parser.isSet(dataset)) spec = parser.value(dataset);

    ui::MainWindow window;
    window.show();
    window.openDataset(spec, run, parser.isSet(autostart));
    const QStringList snapshots = parser.values(snapshot);
    if (snapshots.size() >= 2)
        window.compareSnapshots(snapshots[0], snapshots[1]);
    else if (snapshots.size() == 1 && parser.isSet(compareLive))
        window.compareSnapshots(snapshots[0]);
    else if (snapshots.size() == 1)
        window.openSnapshot(snapshots[0]);
    return QApplication::exec();
}
