#include "ui/MainWindow.h"

#include <QLabel>
#include <QStatusBar>

#include "core/data/DatasetLoader.h"

namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("ContrastScope"));
    auto* centre = new QLabel(tr("ContrastScope — training view arrives with the desktop-app issue"), this);
    centre->setAlignment(Qt::AlignCenter);
    setCentralWidget(centre);
    statusBar()->showMessage(tr("Default dataset: %1").arg(QString::fromStdString(core::defaultDatasetSpec())));
    resize(1280, 800);
}

} // namespace ui
