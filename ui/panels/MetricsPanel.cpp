#include "ui/panels/MetricsPanel.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

namespace ui {

MetricsPanel::MetricsPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout;
    const QStringList names{tr("SNN top-1"), tr("kNN top-1"), tr("P@1"), tr("MAP@R")};
    for (int i = 0; i < names.size(); ++i) {
        auto* title = new QLabel(names[i], this);
        auto* value = new QLabel(QStringLiteral("–"), this);
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.8);
        big.setBold(true);
        value->setFont(big);
        auto* chart = new QChart;
        chart->legend()->hide();
        chart->setMargins(QMargins(0, 0, 0, 0));
        chart->setBackgroundRoundness(0);
        auto* series = new QLineSeries;
        series->setPointsVisible(true);
        chart->addSeries(series);
        auto* x = new QValueAxis;
        x->setLabelFormat("%d");
        x->setTickCount(3);
        auto* y = new QValueAxis;
        y->setRange(0, 1);
        y->setTickCount(3);
        y->setLabelFormat("%.1f");
        y->setLabelsVisible(false); // 0 … 1 is implied; the tiny charts have no room
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
        auto* view = new QChartView(chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(80);
        view->setMaximumHeight(120);
        grid->addWidget(title, 2 * (i / 2), i % 2);
        auto* box = new QVBoxLayout;
        box->addWidget(value);
        box->addWidget(view, 1);
        grid->addLayout(box, 2 * (i / 2) + 1, i % 2);
        metrics_.push_back({value, series, x, chart});
    }
    throughput_ = new QLabel(tr("samples/s: –"), this);
    detail_ = new QLabel(this);
    detail_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid, 1);
    layout->addWidget(throughput_);
    layout->addWidget(detail_);
}

void MetricsPanel::addSnapshot(const std::shared_ptr<const core::Snapshot>& snapshot) {
    if (snapshot && snapshot->metrics) addMetrics(*snapshot->metrics);
}

void MetricsPanel::addMetrics(const core::Metrics& m) {
    if (m.step == lastStep_) return;
    lastStep_ = m.step;
    const double values[] = {m.snnTop1, m.knnTop1, m.precisionAt1, m.mapAtR};
    for (std::size_t i = 0; i < metrics_.size(); ++i) {
        metrics_[i].value->setText(QString::number(values[i], 'f', 4));
        metrics_[i].series->append(double(m.step), values[i]);
        const auto pts = metrics_[i].series->points();
        metrics_[i].x->setRange(pts.front().x(), std::max(pts.back().x(), pts.front().x() + 1));
    }
    if (m.queries == 0) { // from a saved metrics.csv: sizes and time were not kept
        detail_->setText(tr("step %1").arg(m.step));
        return;
    }
    detail_->setText(tr("step %1 · %2 test queries against %3 train references · %4 s")
                         .arg(m.step)
                         .arg(m.queries)
                         .arg(m.references)
                         .arg(m.seconds, 0, 'f', 2));
}

void MetricsPanel::setThroughput(double samplesPerSecond) {
    throughput_->setText(tr("samples/s: %1").arg(samplesPerSecond, 0, 'f', 0));
}

void MetricsPanel::clear() {
    for (auto& m : metrics_) {
        m.series->clear();
        m.value->setText(QStringLiteral("–"));
    }
    detail_->clear();
    lastStep_ = -1;
}

int MetricsPanel::pointCount() const {
    return metrics_.empty() ? 0 : int(metrics_[0].series->count());
}

QString MetricsPanel::valueText(int metric) const {
    return metric >= 0 && metric < int(metrics_.size())
               ? metrics_[std::size_t(metric)].value->text()
               : QString();
}

} // namespace ui
