// contrastscope — the desktop app.
#include <QApplication>

#include "ProcessDefaults.h"
#include "ui/MainWindow.h"

int main(int argc, char** argv) {
    app::applyThreadingDefaults(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("ContrastScope");
    QApplication::setOrganizationName("ContrastScope");
    ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
