#include "ui/snapshot/CompareLossChart.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace ui {

namespace {
const QColor kRunColor[2] = {QColor(31, 119, 180), QColor(255, 127, 14)};
}

CompareLossChart::CompareLossChart(QWidget* parent) : QWidget(parent) {
    chart_ = new QChart;
    chart_->setTitle(tr("Loss"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    x_ = new QValueAxis;
    x_->setTitleText(tr("step"));
    x_->setLabelFormat("%d");
    yLinear_ = new QValueAxis;
    yLog_ = new QLogValueAxis;
    yLog_->setBase(10);
    yLog_->setLabelFormat("%g");
    chart_->addAxis(x_, Qt::AlignBottom);
    chart_->addAxis(yLinear_, Qt::AlignLeft);
    for (int k = 0; k < 2; ++k) {
        auto& s = side_[std::size_t(k)];
        s.raw = new QLineSeries;
        QColor faint = kRunColor[k];
        faint.setAlpha(55);
        s.raw->setPen(QPen(faint, 1.0));
        s.smooth = new QLineSeries;
        QPen bold(kRunColor[k]);
        bold.setWidthF(2.2);
        if (k == 1) bold.setStyle(Qt::DashLine); // both stay visible where the curves coincide
        s.smooth->setPen(bold);
        for (auto* series : {s.raw, s.smooth}) {
            chart_->addSeries(series);
            series->attachAxis(x_);
            series->attachAxis(yLinear_);
        }
        chart_->legend()->markers(s.raw).first()->setVisible(false);
    }
    setName(0, "A");
    setName(1, "B");
    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setMinimumHeight(220);
    logY_ = new QCheckBox(tr("log y"), this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_, 1);
    layout->addWidget(logY_);
    connect(logY_, &QCheckBox::toggled, this, &CompareLossChart::setLogY);
    redraw();
}

void CompareLossChart::setName(int run, const QString& name) {
    side_[std::size_t(run)].smooth->setName(name);
}

void CompareLossChart::append(int run, const std::vector<core::StepRecord>& records) {
    auto& s = side_[std::size_t(run)];
    for (const auto& r : records) {
        s.rawData.append(double(r.step), r.loss);
        s.lastSmoothed = s.ema.add(r.loss);
        s.smoothData.append(double(r.step), s.lastSmoothed);
    }
    if (!records.empty()) redraw();
}

void CompareLossChart::clear(int run) {
    auto& s = side_[std::size_t(run)];
    s.rawData.clear();
    s.smoothData.clear();
    s.ema.reset();
    s.lastSmoothed = 0;
    redraw();
}

void CompareLossChart::setLogY(bool on) {
    if (logY_->isChecked() != on) logY_->setChecked(on);
    QAbstractAxis* use = on ? static_cast<QAbstractAxis*>(yLog_) : yLinear_;
    QAbstractAxis* drop = on ? static_cast<QAbstractAxis*>(yLinear_) : yLog_;
    if (chart_->axes(Qt::Vertical).contains(drop)) {
        for (auto& s : side_) {
            s.raw->detachAxis(drop);
            s.smooth->detachAxis(drop);
        }
        chart_->removeAxis(drop);
    }
    if (!chart_->axes(Qt::Vertical).contains(use)) chart_->addAxis(use, Qt::AlignLeft);
    for (auto& s : side_) {
        s.raw->attachAxis(use);
        s.smooth->attachAxis(use);
    }
    redraw();
}

int CompareLossChart::pointCount(int run) const {
    return int(side_[std::size_t(run)].rawData.totalAppended());
}

void CompareLossChart::redraw() {
    double x0 = 0, x1 = 1, lo = 0, hi = 1;
    bool any = false;
    for (auto& s : side_) {
        s.raw->replace(s.rawData.points());
        s.smooth->replace(s.smoothData.points());
        if (s.rawData.totalAppended() == 0) continue;
        const auto pts = s.rawData.points();
        lo = any ? std::min(lo, s.rawData.minY()) : s.rawData.minY();
        hi = any ? std::max(hi, s.rawData.maxY()) : s.rawData.maxY();
        x0 = any ? std::min(x0, pts.front().x()) : pts.front().x();
        x1 = any ? std::max(x1, pts.back().x()) : pts.back().x();
        any = true;
    }
    x_->setRange(x0, std::max(x1, x0 + 1));
    const double pad = std::max(1e-6, (hi - lo) * 0.05);
    yLinear_->setRange(lo - pad, hi + pad);
    yLog_->setRange(std::max(lo * 0.9, 1e-6), std::max(hi * 1.1, 1e-5));
}

} // namespace ui
