#include "ui/panels/AlertBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace ui {

AlertBanner::AlertBanner(QWidget* parent) : QFrame(parent) {
    setObjectName("alertBanner");
    setStyleSheet(
        "#alertBanner { background: #fdecea; border: 1px solid #e0a39c; border-radius: 4px; }"
        "#alertBanner QLabel { color: #611a15; }");
    text_ = new QLabel(this);
    text_->setWordWrap(true);
    resume_ = new QPushButton(tr("Restore && resume"), this);
    auto* close = new QPushButton(tr("Dismiss"), this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(text_, 1);
    layout->addWidget(resume_);
    layout->addWidget(close);
    connect(resume_, &QPushButton::clicked, this, [this] {
        hide();
        emit restoreAndResume();
    });
    connect(close, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void AlertBanner::showMessage(const QString& message, bool offerResume) {
    text_->setText(message);
    resume_->setVisible(offerResume);
    show();
}

QString AlertBanner::message() const {
    return text_->text();
}

} // namespace ui
