// contrastscope — the desktop app.
#include <QApplication>

#include "ui/MainWindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("ContrastScope");
    QApplication::setOrganizationName("ContrastScope");
    ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
