#pragma once
/// A logarithmic slider bound to a spin box: the pair edits one positive value on a log scale.

#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace ui {

class LogSlider : public QWidget {
    Q_OBJECT
  public:
    LogSlider(double minimum, double maximum, int decimals, QWidget* parent = nullptr);
    double value() const;
    void setValue(double v);
    QDoubleSpinBox* spinBox() const { return spin_; }
    QSlider* slider() const { return slider_; }

  signals:
    void valueChanged(double value);

  private:
    int toTicks(double v) const;
    double fromTicks(int t) const;

    double logMin_, logMax_;
    QSlider* slider_;
    QDoubleSpinBox* spin_;
    bool syncing_ = false;
};

} // namespace ui
