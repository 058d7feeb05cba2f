#pragma once
/// A dismissible banner across the top of the charts: the non-finite auto-pause message with
/// "Restore & resume", or a run failure.

#include <QFrame>

class QLabel;
class QPushButton;

namespace ui {

class AlertBanner : public QFrame {
    Q_OBJECT
  public:
    explicit AlertBanner(QWidget* parent = nullptr);
    /// Shows `message`; `offerResume` adds the Restore & resume button.
    void showMessage(const QString& message, bool offerResume);
    QString message() const;

  signals:
    void restoreAndResume();

  private:
    QLabel* text_;
    QPushButton* resume_;
};

} // namespace ui
