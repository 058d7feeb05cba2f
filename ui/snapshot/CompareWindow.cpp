#include "ui/snapshot/CompareWindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

#include "core/project/Projection.h"
#include "ui/TrainingSession.h"
#include "ui/snapshot/CompareLossChart.h"
#include "ui/view3d/EmbeddingView.h"

namespace ui {

namespace {

QStringList toQt(const std::vector<std::string>& names) {
    QStringList out;
    for (const auto& n : names)
        out << QString::fromStdString(n);
    return out;
}

QString runName(const core::SavedRun& run) {
    return QString::fromStdString(run.folder.filename().string());
}

} // namespace

CompareWindow::CompareWindow(std::shared_ptr<const core::SavedRun> a,
                             std::shared_ptr<const core::SavedRun> b, QWidget* parent)
    : QWidget(parent, Qt::Window) {
    build();
    setSide(0, *a);
    setSide(1, *b);
    if (side_[0].name == side_[1].name) { // same folder name in two places
        side_[0].name = QString::fromStdString(a->folder.string());
        side_[1].name = QString::fromStdString(b->folder.string());
    }
    loss_->setName(0, "A: " + side_[0].name);
    loss_->setName(1, "B: " + side_[1].name);
    setWindowTitle(tr("Compare %1 (A) with %2 (B)").arg(side_[0].name, side_[1].name));
    loss_->append(0, a->records);
    loss_->append(1, b->records);
    showCloud(0);
    showCloud(1);
    refreshTable();
}

CompareWindow::CompareWindow(std::shared_ptr<const core::SavedRun> a, TrainingSession* live,
                             QWidget* parent)
    : QWidget(parent, Qt::Window) {
    build();
    setSide(0, *a);
    loss_->setName(0, "A: " + side_[0].name);
    loss_->append(0, a->records);
    auto& b = side_[1];
    b.name = tr("live run");
    loss_->setName(1, "B: " + b.name);
    setWindowTitle(tr("Compare %1 (A) with the live run (B)").arg(side_[0].name));
    auto takeLive = [this, live] {
        auto& s = side_[1];
        s.facts = RunFacts{};
        s.config = live->config();
        s.snapshot = live->latestSnapshot();
        s.classNames = live->dataset() ? toQt(live->dataset()->classNames) : QStringList();
        const auto records = live->deliveredRecords();
        s.facts.add(records);
        if (s.snapshot) s.facts.add(*s.snapshot);
        loss_->clear(1);
        loss_->append(1, records);
    };
    takeLive();
    connect(live, &TrainingSession::recordsArrived, this,
            [this](const std::vector<core::StepRecord>& r) {
                side_[1].facts.add(r);
                loss_->append(1, r);
                refreshTable();
            });
    connect(live, &TrainingSession::snapshotArrived, this,
            [this](std::shared_ptr<const core::Snapshot> s) {
                side_[1].snapshot = s;
                side_[1].facts.add(*s);
                showCloud(1);
                refreshTable();
            });
    connect(live, &TrainingSession::eventsArrived, this, [this, live] {
        side_[1].config = live->config(); // live hyperparameter changes
        refreshTable();
    });
    connect(live, &TrainingSession::runReset, this, [this, takeLive] {
        takeLive();
        showCloud(1);
        refreshTable();
    });
    connect(live, &QObject::destroyed, this, &QWidget::close);
    showCloud(0);
    showCloud(1);
    refreshTable();
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::build() {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Compare runs"));
    loss_ = new CompareLossChart;
    table_ = new QTableWidget(0, 3);
    table_->setHorizontalHeaderLabels({"A", "B", "B − A"});
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setMinimumWidth(360);

    projection_ = new QComboBox;
    projection_->addItems({tr("PCA"), tr("LDA")});
    link_ = new QCheckBox(tr("Link cameras"));
    link_->setChecked(true);
    auto* reset = new QPushButton(tr("Reset cameras"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(projection_);
    controls->addWidget(link_);
    controls->addStretch(1);
    controls->addWidget(reset);

    auto* clouds = new QSplitter(Qt::Horizontal);
    for (int k = 0; k < 2; ++k) {
        views_[k] = new EmbeddingView;
        views_[k]->setMinimumSize(320, 280);
        clouds->addWidget(views_[k]);
    }
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(loss_);
    top->addWidget(table_);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    top->setSizes({760, 500});
    auto* bottom = new QWidget;
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addLayout(controls);
    bottomLayout->addWidget(clouds, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(1, 3);
    split->setSizes({340, 540});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(projection_, &QComboBox::currentIndexChanged, this, [this] {
        showCloud(0);
        showCloud(1);
    });
    connect(reset, &QPushButton::clicked, this, [this] {
        views_[0]->resetCamera();
        views_[1]->resetCamera();
    });
    connect(link_, &QCheckBox::toggled, this, &CompareWindow::setLinkedCameras);
    for (int k = 0; k < 2; ++k)
        connect(views_[k], &EmbeddingView::cameraChanged, this, [this, k] {
            if (!link_->isChecked() || syncing_) return;
            syncing_ = true;
            views_[1 - k]->setCamera(views_[k]->camera());
            syncing_ = false;
        });
    resize(1280, 900);
}

void CompareWindow::setLinkedCameras(bool on) {
    if (link_->isChecked() != on) link_->setChecked(on);
    if (on) views_[1]->setCamera(views_[0]->camera());
}

void CompareWindow::setSide(int run, const core::SavedRun& saved) {
    auto& s = side_[run];
    s.name = runName(saved);
    s.config = saved.info.config;
    s.snapshot = saved.snapshot;
    s.classNames = toQt(saved.info.classNames);
    s.facts.add(saved.records);
    s.facts.add(*saved.snapshot);
}

void CompareWindow::showCloud(int run) {
    const auto& s = side_[run];
    if (!s.snapshot) {
        views_[run]->setPoints({}, {}, int(s.classNames.size()), false);
        return;
    }
    const bool lda = projection_->currentIndex() == 1;
    auto pick = [lda](const core::Snapshot& snap) -> const std::vector<float>& {
        return lda ? snap.lda.points : snap.pca.points;
    };
    std::vector<float> points = pick(*s.snapshot);
    const auto& other = side_[1 - run].snapshot;
    // Rotate B onto A when both show the same probe points.
    if (run == 1) {
        aligned_ = other && other->indices == s.snapshot->indices &&
                   core::alignPointsTo(points, pick(*other));
    }
    views_[run]->setClassNames(s.classNames);
    views_[run]->setPoints(std::move(points), s.snapshot->labels, int(s.classNames.size()), true);
    const auto& explained = lda ? s.snapshot->lda.explained : s.snapshot->pca.explained;
    QStringList titles;
    for (int k = 0; k < 3; ++k)
        titles << QString("%1%2 %3%")
                      .arg(lda ? "LD" : "PC")
                      .arg(k + 1)
                      .arg(explained[std::size_t(k)] * 100, 0, 'f', 1);
    views_[run]->setAxisTitles(titles);
}

void CompareWindow::refreshTable() {
    const auto a = factRows(side_[0].facts), b = factRows(side_[1].facts);
    QList<QStringList> rows; // label, A, B, B − A
    QList<int> better;       // +1 B better, -1 worse, 0 neither
    for (int i = 0; i < a.size(); ++i) {
        auto text = [&](const std::optional<double>& v) {
            return v ? QString::number(*v, 'f', a[i].decimals) : QStringLiteral("–");
        };
        QString delta;
        int sign = 0;
        if (a[i].value && b[i].value) {
            const double d = *b[i].value - *a[i].value;
            delta = (d > 0 ? "+" : "") + QString::number(d, 'f', a[i].decimals);
            if (std::abs(d) > 0.5 * std::pow(10.0, -a[i].decimals) && a[i].judged)
                sign = (d > 0) == a[i].higherIsBetter ? 1 : -1;
        }
        rows.append({a[i].name, text(a[i].value), text(b[i].value), delta});
        better.append(sign);
    }
    // Settings that differ (the step's own settings: live changes included).
    const auto ca = configRows(side_[0].config), cb = configRows(side_[1].config);
    for (int i = 0; i < ca.size() && i < cb.size(); ++i)
        if (ca[i].first == cb[i].first && ca[i].second != cb[i].second) {
            rows.append({ca[i].first, ca[i].second, cb[i].second, QString()});
            better.append(0);
        }
    table_->setRowCount(int(rows.size()));
    QStringList labels;
    for (int r = 0; r < rows.size(); ++r) {
        labels << rows[r][0];
        for (int c = 0; c < 3; ++c) {
            auto* item = table_->item(r, c);
            if (!item) table_->setItem(r, c, item = new QTableWidgetItem);
            item->setText(rows[r][c + 1]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setForeground(c == 2 && better[r]
                                    ? (better[r] > 0 ? QColor(30, 140, 50) : QColor(200, 40, 40))
                                    : palette().color(QPalette::Text));
        }
    }
    table_->setVerticalHeaderLabels(labels);
}

QString CompareWindow::cell(const QString& row, int column) const {
    for (int r = 0; r < table_->rowCount(); ++r)
        if (auto* h = table_->verticalHeaderItem(r); h && h->text() == row)
            return table_->item(r, column) ? table_->item(r, column)->text() : QString();
    return {};
}

} // namespace ui
