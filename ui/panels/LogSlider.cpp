#include "ui/panels/LogSlider.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSlider>

#include <cmath>

namespace ui {

namespace {
constexpr int kTicks = 1000;
}

LogSlider::LogSlider(double minimum, double maximum, int decimals, QWidget* parent)
    : QWidget(parent), logMin_(std::log10(minimum)), logMax_(std::log10(maximum)) {
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setRange(0, kTicks);
    spin_ = new QDoubleSpinBox(this);
    spin_->setRange(minimum, maximum);
    spin_->setDecimals(decimals);
    spin_->setSingleStep(std::pow(10.0, -decimals));
    spin_->setKeyboardTracking(false);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(slider_, 1);
    layout->addWidget(spin_);
    connect(slider_, &QSlider::valueChanged, this, [this](int t) {
        if (syncing_) return;
        syncing_ = true;
        spin_->setValue(fromTicks(t));
        syncing_ = false;
        emit valueChanged(spin_->value());
    });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (syncing_) return;
        syncing_ = true;
        slider_->setValue(toTicks(v));
        syncing_ = false;
        emit valueChanged(v);
    });
}

double LogSlider::value() const {
    return spin_->value();
}

void LogSlider::setValue(double v) {
    syncing_ = true;
    spin_->setValue(v);
    slider_->setValue(toTicks(spin_->value()));
    syncing_ = false;
}

int LogSlider::toTicks(double v) const {
    const double t = (std::log10(std::max(v, 1e-300)) - logMin_) / (logMax_ - logMin_);
    return int(std::lround(std::clamp(t, 0.0, 1.0) * kTicks));
}

double LogSlider::fromTicks(int t) const {
    return std::pow(10.0, logMin_ + (logMax_ - logMin_) * double(t) / kTicks);
}

} // namespace ui
