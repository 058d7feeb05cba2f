#pragma once
/// Adds `content` to `window` as a dock named `objectName` (so saveState/restoreState find it).

#include <QDockWidget>
#include <QMainWindow>

namespace ui {

inline QDockWidget* addDock(QMainWindow* window, const QString& title, const QString& objectName,
                            QWidget* content, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(objectName);
    d->setWidget(content);
    window->addDockWidget(area, d);
    return d;
}

} // namespace ui
