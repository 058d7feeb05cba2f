#include "ui/charts/SimilarityHistogramChart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace ui {

namespace {
const QColor kPositive(44, 160, 44);
const QColor kNegative(214, 39, 40);
constexpr int kMaxMultiples = 30;
} // namespace

SimilarityHistogramChart::SimilarityHistogramChart(QWidget* parent) : QWidget(parent) {
    classBox_ = new QComboBox(this);
    classBox_->addItem(tr("All classes"), -1);
    multiples_ = new QCheckBox(tr("All classes side by side"), this);
    overlapLabel_ = new QLabel(this);
    overlapLabel_->setObjectName("overlapLabel");
    auto* top = new QHBoxLayout;
    top->addWidget(classBox_);
    top->addWidget(overlapLabel_, 1);
    top->addWidget(multiples_);
    main_ = makePlot(tr("Cosine similarity: positives vs negatives"), false);
    grid_ = new QWidget;
    gridLayout_ = new QGridLayout(grid_);
    gridLayout_->setSpacing(2);
    auto* scroll = new QScrollArea;
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);
    stack_ = new QStackedWidget(this);
    stack_->addWidget(main_.view);
    stack_->addWidget(scroll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(stack_, 1);
    connect(classBox_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(multiples_, &QCheckBox::toggled, this, &SimilarityHistogramChart::setSmallMultiples);
}

SimilarityHistogramChart::Plot SimilarityHistogramChart::makePlot(const QString& title,
                                                                  bool compact) {
    Plot p;
    p.chart = new QChart;
    p.chart->setTitle(title);
    p.chart->setMargins(compact ? QMargins(0, 0, 0, 0) : QMargins(4, 4, 4, 4));
    p.chart->legend()->setVisible(!compact);
    p.chart->legend()->setAlignment(Qt::AlignBottom);
    p.pos = new QLineSeries;
    p.neg = new QLineSeries;
    p.posArea = new QAreaSeries(p.pos);
    p.negArea = new QAreaSeries(p.neg);
    p.posArea->setName(tr("positive pairs"));
    p.negArea->setName(tr("negative pairs"));
    QColor pf = kPositive, nf = kNegative;
    pf.setAlpha(110);
    nf.setAlpha(110);
    p.posArea->setBrush(pf);
    p.posArea->setPen(QPen(kPositive, 1.5));
    p.negArea->setBrush(nf);
    p.negArea->setPen(QPen(kNegative, 1.5));
    p.chart->addSeries(p.negArea);
    p.chart->addSeries(p.posArea);
    p.x = new QValueAxis;
    p.x->setRange(-1, 1);
    p.x->setTickCount(compact ? 3 : 9);
    p.x->setLabelFormat("%.1f");
    if (!compact) p.x->setTitleText(tr("cosine similarity"));
    p.y = new QValueAxis;
    p.y->setLabelFormat("%.1f");
    p.y->setLabelsVisible(!compact);
    if (!compact) p.y->setTitleText(tr("density"));
    p.chart->addAxis(p.x, Qt::AlignBottom);
    p.chart->addAxis(p.y, Qt::AlignLeft);
    for (auto* s : {p.posArea, p.negArea}) {
        s->attachAxis(p.x);
        s->attachAxis(p.y);
    }
    p.view = new QChartView(p.chart);
    p.view->setRenderHint(QPainter::Antialiasing);
    p.view->setMinimumSize(compact ? QSize(180, 130) : QSize(300, 260));
    return p;
}

void SimilarityHistogramChart::fill(Plot& plot, const core::ClassHistogram& h, int bins) {
    // Densities over [-1, 1] so both distributions are comparable whatever their pair counts.
    auto density = [bins](const std::vector<double>& counts) {
        QVector<QPointF> pts;
        double total = 0;
        for (double c : counts)
            total += c;
        const double width = 2.0 / bins;
        for (int b = 0; b < bins && b < int(counts.size()); ++b) {
            const double d = total > 0 ? counts[std::size_t(b)] / (total * width) : 0.0;
            pts.append(QPointF(-1.0 + b * width, d));
            pts.append(QPointF(-1.0 + (b + 1) * width, d));
        }
        return pts;
    };
    const auto p = density(h.positive), n = density(h.negative);
    plot.pos->replace(p);
    plot.neg->replace(n);
    double top = 0.1;
    for (const auto& q : p)
        top = std::max(top, q.y());
    for (const auto& q : n)
        top = std::max(top, q.y());
    plot.y->setRange(0, top * 1.05);
}

void SimilarityHistogramChart::setClassNames(const std::vector<std::string>& names) {
    names_ = names;
    classBox_->blockSignals(true);
    classBox_->clear();
    classBox_->addItem(tr("All classes"), -1);
    for (std::size_t c = 0; c < names.size(); ++c)
        classBox_->addItem(QString::fromStdString(names[c]), int(c));
    classBox_->blockSignals(false);
    snapshot_.reset();
    rebuildMultiples();
    refresh();
}

void SimilarityHistogramChart::setSnapshot(std::shared_ptr<const core::Snapshot> snapshot) {
    snapshot_ = std::move(snapshot);
    refresh();
}

void SimilarityHistogramChart::selectClass(int cls) {
    const int i = classBox_->findData(cls);
    if (i >= 0) classBox_->setCurrentIndex(i);
}

void SimilarityHistogramChart::setSmallMultiples(bool on) {
    if (multiples_->isChecked() != on) multiples_->setChecked(on);
    stack_->setCurrentIndex(on ? 1 : 0);
    classBox_->setEnabled(!on);
    refresh();
}

void SimilarityHistogramChart::rebuildMultiples() {
    for (auto& p : small_) {
        gridLayout_->removeWidget(p.view);
        delete p.view;
    }
    small_.clear();
    const int n = std::min<int>(int(names_.size()), kMaxMultiples);
    const int cols = std::max(1, int(std::ceil(std::sqrt(double(n)))));
    for (int c = 0; c < n; ++c) {
        small_.push_back(makePlot(QString::fromStdString(names_[std::size_t(c)]), true));
        gridLayout_->addWidget(small_.back().view, c / cols, c % cols);
    }
}

void SimilarityHistogramChart::refresh() {
    if (!snapshot_ || snapshot_->histograms.empty()) {
        overlapLabel_->setText(tr("waiting for a snapshot…"));
        return;
    }
    const auto& hs = snapshot_->histograms;
    const int cls = classBox_->currentData().toInt();
    const std::size_t index =
        cls < 0 || std::size_t(cls) + 1 >= hs.size() ? hs.size() - 1 : std::size_t(cls);
    overlap_ = hs[index].overlap;
    overlapLabel_->setText(
        tr("overlap %1 at step %2").arg(overlap_, 0, 'f', 3).arg(snapshot_->step));
    if (multiples_->isChecked()) {
        for (std::size_t c = 0; c < small_.size() && c + 1 < hs.size(); ++c) {
            fill(small_[c], hs[c], snapshot_->bins);
            small_[c].chart->setTitle(QString("%1 · %2")
                                          .arg(QString::fromStdString(names_[c]))
                                          .arg(hs[c].overlap, 0, 'f', 2));
        }
    } else {
        fill(main_, hs[index], snapshot_->bins);
    }
}

int SimilarityHistogramChart::positiveBinsShown() const {
    return int(main_.pos->count()) / 2;
}

} // namespace ui
