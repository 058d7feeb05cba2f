#include "ui/panels/ClassListPanel.h"

#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/Palette.h"

namespace ui {

ClassListPanel::ClassListPanel(QWidget* parent) : QWidget(parent) {
    tree_ = new QTreeWidget(this);
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Class"), tr("Train"), tr("Test")});
    tree_->setRootIsDecorated(false);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    auto* all = new QPushButton(tr("Show all"), this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(tree_, 1);
    layout->addWidget(all);
    connect(tree_, &QTreeWidget::itemChanged, this, [this] {
        if (!loading_) emit visibilityChanged(hiddenClasses());
    });
    connect(all, &QPushButton::clicked, this, [this] {
        loading_ = true;
        for (int i = 0; i < tree_->topLevelItemCount(); ++i)
            tree_->topLevelItem(i)->setCheckState(0, Qt::Checked);
        loading_ = false;
        emit visibilityChanged(hiddenClasses());
    });
}

void ClassListPanel::setDataset(const core::Dataset& ds) {
    loading_ = true;
    tree_->clear();
    const auto train = ds.classCounts(ds.train), test = ds.classCounts(ds.test);
    for (int c = 0; c < ds.numClasses(); ++c) {
        QPixmap swatch(14, 14);
        swatch.fill(Qt::transparent);
        QPainter p(&swatch);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(classColor(c));
        p.setPen(Qt::NoPen);
        p.drawEllipse(1, 1, 12, 12);
        p.end();
        auto* item = new QTreeWidgetItem(tree_);
        item->setIcon(0, QIcon(swatch));
        item->setText(0, QString::fromStdString(ds.classNames[std::size_t(c)]));
        item->setText(1, QString::number(train[std::size_t(c)]));
        item->setText(2, QString::number(test[std::size_t(c)]));
        item->setTextAlignment(1, Qt::AlignRight);
        item->setTextAlignment(2, Qt::AlignRight);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Checked);
        item->setData(0, Qt::UserRole, c);
    }
    loading_ = false;
    emit visibilityChanged({});
}

QSet<int> ClassListPanel::hiddenClasses() const {
    QSet<int> hidden;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        if (tree_->topLevelItem(i)->checkState(0) != Qt::Checked) hidden.insert(i);
    return hidden;
}

void ClassListPanel::setClassVisible(int cls, bool visible) {
    if (auto* item = tree_->topLevelItem(cls))
        item->setCheckState(0, visible ? Qt::Checked : Qt::Unchecked);
}

int ClassListPanel::rowCount() const {
    return tree_->topLevelItemCount();
}

} // namespace ui
