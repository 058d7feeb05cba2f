#include "ui/charts/LossChart.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSlider>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace ui {

namespace {
QString formatValue(const core::Event& e, double v) {
    if (e.name == "loss") {
        static const char* names[] = {"SuNCEt", "SupCon L_out", "SupCon L_in", "NT-Xent",
                                      "SimCLR+SuNCEt"};
        const int i = int(v);
        return (i >= 0 && i < 5) ? names[i] : QString::number(v);
    }
    return QString::number(v, 'g', 4);
}
} // namespace

LossChart::LossChart(QWidget* parent) : QWidget(parent), ema_(0.6) {
    chart_ = new QChart;
    chart_->setTitle(tr("Loss"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    raw_ = new QLineSeries;
    raw_->setName(tr("raw"));
    raw_->setColor(QColor(31, 119, 180, 60));
    raw_->setPen(QPen(QColor(31, 119, 180, 60), 1.0));
    smooth_ = new QLineSeries;
    smooth_->setName(tr("smoothed"));
    QPen bold(QColor(31, 119, 180));
    bold.setWidthF(2.2);
    smooth_->setPen(bold);
    lr_ = new QLineSeries;
    lr_->setName(tr("learning rate"));
    lr_->setColor(QColor(120, 120, 120));
    markers_ = new QScatterSeries;
    markers_->setName(tr("changes"));
    markers_->setMarkerSize(11);
    markers_->setColor(QColor(214, 39, 40));
    markers_->setBorderColor(Qt::white);
    for (auto* s : {static_cast<QAbstractSeries*>(raw_), static_cast<QAbstractSeries*>(smooth_),
                    static_cast<QAbstractSeries*>(markers_), static_cast<QAbstractSeries*>(lr_)})
        chart_->addSeries(s);
    x_ = new QValueAxis;
    x_->setTitleText(tr("step"));
    x_->setLabelFormat("%d");
    yLinear_ = new QValueAxis;
    yLog_ = new QLogValueAxis;
    yLog_->setBase(10);
    yLog_->setLabelFormat("%g");
    yLr_ = new QValueAxis;
    yLr_->setTitleText(tr("lr"));
    yLr_->setLabelFormat("%.3g");
    chart_->addAxis(x_, Qt::AlignBottom);
    chart_->addAxis(yLinear_, Qt::AlignLeft);
    chart_->addAxis(yLr_, Qt::AlignRight);
    for (auto* s : {static_cast<QAbstractSeries*>(raw_), static_cast<QAbstractSeries*>(smooth_),
                    static_cast<QAbstractSeries*>(markers_)}) {
        s->attachAxis(x_);
        s->attachAxis(yLinear_);
    }
    lr_->attachAxis(x_);
    lr_->attachAxis(yLr_);

    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setMinimumHeight(260);
    smoothing_ = new QSlider(Qt::Horizontal, this);
    smoothing_->setRange(0, 99);
    smoothing_->setValue(60);
    smoothing_->setToolTip(tr("Smoothing weight (TensorBoard's debiased EMA)"));
    logY_ = new QCheckBox(tr("log y"), this);
    showLr_ = new QCheckBox(tr("learning rate"), this);
    showLr_->setChecked(true);
    hoverLabel_ = new QLabel(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Smoothing"), this));
    controls->addWidget(smoothing_, 1);
    controls->addWidget(logY_);
    controls->addWidget(showLr_);
    controls->addWidget(hoverLabel_, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_, 1);
    layout->addLayout(controls);

    connect(smoothing_, &QSlider::valueChanged, this,
            [this](int v) { setSmoothingWeight(v / 100.0); });
    connect(logY_, &QCheckBox::toggled, this, &LossChart::setLogY);
    connect(showLr_, &QCheckBox::toggled, this, &LossChart::setShowLearningRate);
    connect(markers_, &QScatterSeries::hovered, this, [this](const QPointF& p, bool state) {
        if (!state) {
            hoverLabel_->clear();
            return;
        }
        for (const auto& m : markerData_)
            if (std::abs(m.step - p.x()) < 0.5) {
                hoverLabel_->setText(m.text);
                QToolTip::showText(QCursor::pos(), m.text, view_);
                return;
            }
    });
}

void LossChart::appendRecords(const std::vector<core::StepRecord>& records) {
    if (records.empty()) return;
    for (const auto& r : records) {
        rawData_.append(double(r.step), r.loss);
        lastSmoothed_ = ema_.add(r.loss);
        smoothData_.append(double(r.step), lastSmoothed_);
        lrData_.append(double(r.step), r.lr);
        if (r.components.size() > 1)
            for (const auto& [name, value] : r.components)
                components_[name].append(double(r.step), value);
    }
    redraw();
}

void LossChart::addEvents(const std::vector<core::Event>& events) {
    for (const auto& e : events) {
        // Markers are for changes to the run; pauses and exports leave the curve as it is.
        if (e.name == "pause" || e.name == "resume" || e.name == "finish" || e.name == "reset" ||
            e.name == "export" || e.name == "export_failed")
            continue;
        const QString text = e.name == "nonfinite" || e.name == "resume_snapshot"
                                 ? QString::fromStdString(e.message)
                                 : tr("step %1: %2 %3 → %4")
                                       .arg(e.step)
                                       .arg(QString::fromStdString(e.name))
                                       .arg(formatValue(e, e.oldValue))
                                       .arg(formatValue(e, e.newValue));
        markerData_.push_back({double(e.step), lastSmoothed_, text});
        markers_->append(double(e.step), lastSmoothed_);
    }
}

void LossChart::clear() {
    rawData_.clear();
    smoothData_.clear();
    lrData_.clear();
    components_.clear();
    for (auto& [name, s] : componentSeries_) {
        chart_->removeSeries(s);
        delete s;
    }
    componentSeries_.clear();
    markerData_.clear();
    markers_->clear();
    ema_.reset();
    lastSmoothed_ = 0;
    redraw();
}

void LossChart::rebuildSmoothed() {
    smoothData_.clear();
    ema_.reset();
    for (const auto& p : rawData_.points()) {
        lastSmoothed_ = ema_.add(p.y());
        smoothData_.append(p.x(), lastSmoothed_);
    }
}

void LossChart::setSmoothingWeight(double w) {
    ema_.setWeight(std::clamp(w, 0.0, 0.999));
    if (smoothing_->value() != int(std::lround(w * 100)))
        smoothing_->setValue(int(std::lround(w * 100)));
    rebuildSmoothed();
    redraw();
}

void LossChart::attachYAxis() {
    QAbstractAxis* use = logY_->isChecked() ? static_cast<QAbstractAxis*>(yLog_)
                                            : static_cast<QAbstractAxis*>(yLinear_);
    QAbstractAxis* drop =
        use == yLog_ ? static_cast<QAbstractAxis*>(yLinear_) : static_cast<QAbstractAxis*>(yLog_);
    QList<QAbstractSeries*> series{raw_, smooth_, markers_};
    for (auto& [name, s] : componentSeries_)
        series << s;
    if (chart_->axes(Qt::Vertical).contains(drop)) {
        for (auto* s : series)
            s->detachAxis(drop);
        chart_->removeAxis(drop);
    }
    if (!chart_->axes(Qt::Vertical).contains(use)) {
        chart_->addAxis(use, Qt::AlignLeft);
    }
    for (auto* s : series)
        if (!s->attachedAxes().contains(use)) s->attachAxis(use);
}

void LossChart::setLogY(bool on) {
    if (logY_->isChecked() != on) logY_->setChecked(on);
    attachYAxis();
    redraw();
}

void LossChart::setShowLearningRate(bool on) {
    if (showLr_->isChecked() != on) showLr_->setChecked(on);
    lr_->setVisible(on);
    yLr_->setVisible(on);
}

void LossChart::redraw() {
    raw_->replace(rawData_.points());
    smooth_->replace(smoothData_.points());
    lr_->replace(lrData_.points());
    static const QColor palette[] = {QColor(255, 127, 14), QColor(44, 160, 44),
                                     QColor(148, 103, 189)};
    std::size_t k = 0;
    for (auto& [name, data] : components_) {
        auto it = componentSeries_.find(name);
        if (it == componentSeries_.end()) {
            auto* s = new QLineSeries;
            s->setName(QString::fromStdString(name));
            s->setColor(palette[k % 3]);
            chart_->addSeries(s);
            s->attachAxis(x_);
            s->attachAxis(logY_->isChecked() ? static_cast<QAbstractAxis*>(yLog_)
                                             : static_cast<QAbstractAxis*>(yLinear_));
            it = componentSeries_.emplace(name, s).first;
        }
        it->second->replace(data.points());
        ++k;
    }
    if (rawData_.totalAppended() == 0) {
        x_->setRange(0, 1);
        yLinear_->setRange(0, 1);
        return;
    }
    const auto pts = rawData_.points();
    const double x0 = pts.front().x(), x1 = std::max(pts.back().x(), x0 + 1);
    x_->setRange(x0, x1);
    double lo = rawData_.minY(), hi = rawData_.maxY();
    for (const auto& [name, data] : components_) {
        lo = std::min(lo, data.minY());
        hi = std::max(hi, data.maxY());
    }
    const double pad = std::max(1e-6, (hi - lo) * 0.05);
    yLinear_->setRange(lo - pad, hi + pad);
    yLog_->setRange(std::max(lo * 0.9, 1e-6), std::max(hi * 1.1, 1e-5));
    yLr_->setRange(0, std::max(lrData_.maxY() * 1.05, 1e-8));
}

int LossChart::drawnRawPoints() const {
    return int(raw_->count());
}

int LossChart::storedPoints() const {
    int n = rawData_.storedPoints() + smoothData_.storedPoints() + lrData_.storedPoints();
    for (const auto& [name, d] : components_)
        n += d.storedPoints();
    return n;
}

int LossChart::markerCount() const {
    return int(markerData_.size());
}

std::vector<double> LossChart::smoothedTail(int n) const {
    const auto pts = smoothData_.points();
    std::vector<double> out;
    for (int i = std::max(0, int(pts.size()) - n); i < int(pts.size()); ++i)
        out.push_back(pts[i].y());
    return out;
}

QString LossChart::markerTooltip(int index) const {
    return index >= 0 && index < int(markerData_.size()) ? markerData_[std::size_t(index)].text
                                                         : QString();
}

} // namespace ui
