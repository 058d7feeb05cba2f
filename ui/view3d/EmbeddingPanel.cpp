#include "ui/view3d/EmbeddingPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPalette>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

#include "ui/DatasetPreview.h"
#include "ui/Palette.h"
#include "ui/view3d/EmbeddingView.h"

namespace ui {

namespace {
constexpr int kNeighbours = 10;

QPixmap thumbnailOf(const core::Dataset& ds, std::int64_t testIndex, int size) {
    const QImage img = sampleImage(ds, ds.test.size() ? ds.test : ds.train, std::size_t(testIndex));
    if (img.isNull()) return {};
    return QPixmap::fromImage(img.scaled(size, size, Qt::KeepAspectRatio, Qt::FastTransformation));
}
} // namespace

EmbeddingPanel::EmbeddingPanel(QWidget* parent) : QWidget(parent) {
    view_ = new EmbeddingView(this);
    projection_ = new QComboBox(this);
    projection_->addItems({tr("PCA"), tr("LDA")});
    projection_->setToolTip(
        tr("PCA: directions of most variance. LDA: directions that separate the classes."));
    coloring_ = new QComboBox(this);
    coloring_->addItems(
        {tr("Colour by class"), tr("Colour by kNN agreement"), tr("Colour by point loss")});
    coloring_->setToolTip(
        tr("kNN agreement: share of a point's 10 nearest neighbours in 3D that are also among its "
           "10 nearest in the embedding space — how honest the projection is there."));
    pointSize_ = new QSlider(Qt::Horizontal, this);
    pointSize_->setRange(1, 20);
    pointSize_->setValue(4);
    pointSize_->setMaximumWidth(120);
    centroids_ = new QCheckBox(tr("Centroids"), this);
    centroids_->setChecked(true);
    topView_ = new QCheckBox(tr("2D"), this);
    dark_ = new QCheckBox(tr("Dark"), this);
    dark_->setChecked(palette().color(QPalette::Window).lightness() < 128); // follow the app theme
    auto* reset = new QPushButton(tr("Reset camera"), this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(projection_);
    controls->addWidget(coloring_);
    controls->addWidget(new QLabel(tr("Size"), this));
    controls->addWidget(pointSize_);
    controls->addWidget(centroids_);
    controls->addWidget(topView_);
    controls->addWidget(dark_);
    controls->addStretch(1);
    controls->addWidget(reset);

    auto* info = new QWidget(this);
    thumbnail_ = new QLabel(info);
    thumbnail_->setAlignment(Qt::AlignCenter);
    thumbnail_->setMinimumHeight(96);
    details_ = new QLabel(tr("Click a point to see it and its nearest neighbours."), info);
    details_->setWordWrap(true);
    neighbourList_ = new QListWidget(info);
    neighbourList_->setIconSize(QSize(40, 40));
    auto* infoLayout = new QVBoxLayout(info);
    infoLayout->setContentsMargins(4, 0, 0, 0);
    infoLayout->addWidget(thumbnail_);
    infoLayout->addWidget(details_);
    infoLayout->addWidget(new QLabel(tr("10 nearest in embedding space:"), info));
    infoLayout->addWidget(neighbourList_, 1);
    auto* split = new QSplitter(this);
    split->addWidget(view_);
    split->addWidget(info);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(split, 1);

    connect(projection_, &QComboBox::currentIndexChanged, this, [this] { refresh(true); });
    connect(coloring_, &QComboBox::currentIndexChanged, this, [this] { refresh(false); });
    connect(pointSize_, &QSlider::valueChanged, view_, [this](int v) { view_->setPointSize(v); });
    connect(centroids_, &QCheckBox::toggled, view_, &EmbeddingView::setShowCentroids);
    connect(topView_, &QCheckBox::toggled, view_, &EmbeddingView::setTopView);
    connect(dark_, &QCheckBox::toggled, view_, &EmbeddingView::setDarkBackground);
    connect(reset, &QPushButton::clicked, view_, &EmbeddingView::resetCamera);
    connect(view_, &EmbeddingView::pointPicked, this, &EmbeddingPanel::selectPoint);
    connect(neighbourList_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { selectPoint(item->data(Qt::UserRole).toInt()); });
    view_->setPointSize(pointSize_->value());
    view_->setDarkBackground(dark_->isChecked());
}

void EmbeddingPanel::setDataset(std::shared_ptr<const core::Dataset> dataset) {
    dataset_ = std::move(dataset);
    snapshot_.reset();
    QStringList names;
    for (const auto& n : dataset_->classNames)
        names << QString::fromStdString(n);
    view_->setClassNames(names);
    view_->setPoints({}, {}, dataset_->numClasses(), false);
    selectPoint(-1);
}

void EmbeddingPanel::setSnapshot(std::shared_ptr<const core::Snapshot> snapshot) {
    if (!snapshot || snapshot->pca.points.empty()) return;
    snapshot_ = std::move(snapshot);
    refresh(true);
    if (selected_ >= 0) selectPoint(selected_); // neighbours move with the model
}

void EmbeddingPanel::setHiddenClasses(const QSet<int>& hidden) {
    view_->setHiddenClasses(hidden);
}

void EmbeddingPanel::setProjection(Projection p) {
    projection_->setCurrentIndex(int(p));
}

void EmbeddingPanel::setColoring(Coloring c) {
    coloring_->setCurrentIndex(int(c));
}

void EmbeddingPanel::refresh(bool animate) {
    if (!snapshot_ || !dataset_) return;
    const bool lda = projection_->currentIndex() == 1;
    const auto& p = lda ? snapshot_->lda : snapshot_->pca;
    view_->setPoints(p.points, snapshot_->labels, dataset_->numClasses(), animate);
    const QString prefix = lda ? "LD" : "PC";
    QStringList titles;
    for (int k = 0; k < 3; ++k)
        titles << QString("%1%2 %3%")
                      .arg(prefix)
                      .arg(k + 1)
                      .arg(p.explained[std::size_t(k)] * 100, 0, 'f', 1);
    view_->setAxisTitles(titles);
    switch (coloring_->currentIndex()) {
    case 1:
        view_->setScalarColors(p.knnAgreement);
        break;
    case 2: {
        // Losses scaled by their 95th percentile so a few outliers do not wash out the rest.
        std::vector<float> v = snapshot_->perPointLoss;
        std::vector<float> sorted = v;
        std::sort(sorted.begin(), sorted.end());
        const float top =
            sorted.empty() ? 1.0f
                           : std::max(1e-6f, sorted[std::size_t(0.95 * double(sorted.size() - 1))]);
        for (auto& x : v)
            x = std::min(1.0f, x / top);
        view_->setScalarColors(std::move(v));
        break;
    }
    default:
        view_->setScalarColors({});
    }
}

void EmbeddingPanel::selectPoint(int index) {
    neighbours_.clear();
    if (!snapshot_ || !dataset_ || index < 0 || std::size_t(index) >= snapshot_->labels.size()) {
        selected_ = -1;
        view_->setHighlight(-1, {}, {});
        thumbnail_->clear();
        details_->setText(tr("Click a point to see it and its nearest neighbours."));
        neighbourList_->clear();
        return;
    }
    selected_ = index;
    const auto& s = *snapshot_;
    const int d = s.dim;
    const float* q = s.embeddings.data() + std::size_t(index) * std::size_t(d);
    std::vector<std::pair<float, int>> sims;
    sims.reserve(s.labels.size());
    for (std::size_t j = 0; j < s.labels.size(); ++j) {
        if (int(j) == index) continue;
        const float* r = s.embeddings.data() + j * std::size_t(d);
        sims.emplace_back(std::inner_product(q, q + d, r, 0.0f), int(j));
    }
    const std::size_t k = std::min<std::size_t>(kNeighbours, sims.size());
    std::partial_sort(sims.begin(), sims.begin() + std::ptrdiff_t(k), sims.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<bool> mismatched;
    neighbourList_->clear();
    const auto label = s.labels[std::size_t(index)];
    for (std::size_t i = 0; i < k; ++i) {
        const int j = sims[i].second;
        neighbours_.push_back(j);
        const bool wrong = s.labels[std::size_t(j)] != label;
        mismatched.push_back(wrong);
        auto* item = new QListWidgetItem(neighbourList_);
        item->setIcon(QIcon(thumbnailOf(*dataset_, s.indices[std::size_t(j)], 40)));
        item->setText(QString("%1%2  cos %3  #%4")
                          .arg(wrong ? QStringLiteral("✗ ") : QString())
                          .arg(QString::fromStdString(
                              dataset_->classNames[std::size_t(s.labels[std::size_t(j)])]))
                          .arg(sims[i].first, 0, 'f', 3)
                          .arg(s.indices[std::size_t(j)]));
        if (wrong) item->setForeground(QColor(200, 30, 30));
        item->setData(Qt::UserRole, j);
    }
    view_->setHighlight(index, neighbours_, mismatched);
    thumbnail_->setPixmap(thumbnailOf(*dataset_, s.indices[std::size_t(index)], 96));
    const int wrongCount = int(std::count(mismatched.begin(), mismatched.end(), true));
    QString text = tr("<b>%1</b> · test #%2 · step %3<br>%4 of %5 neighbours share its label")
                       .arg(QString::fromStdString(dataset_->classNames[std::size_t(label)]))
                       .arg(s.indices[std::size_t(index)])
                       .arg(s.step)
                       .arg(int(k) - wrongCount)
                       .arg(k);
    if (!dataset_->isImage()) {
        QStringList row;
        const auto& split = dataset_->test.size() ? dataset_->test : dataset_->train;
        const auto r = std::size_t(s.indices[std::size_t(index)]);
        for (int c = 0; c < std::min(dataset_->featureDim, 8); ++c)
            row << QString::number(
                split.features[r * std::size_t(dataset_->featureDim) + std::size_t(c)], 'g', 3);
        text += "<br>" + row.join(", ") + (dataset_->featureDim > 8 ? ", …" : "");
    }
    details_->setText(text);
}

QString EmbeddingPanel::detailsText() const {
    return details_->text();
}

} // namespace ui
