#pragma once
/// The application window. It only assembles panels and wires their signals.

#include <QMainWindow>

namespace ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace ui
