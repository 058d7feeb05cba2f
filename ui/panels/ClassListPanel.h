#pragma once
/// The classes of the current dataset: colour swatch, name, train/test counts, and a check box
/// that hides or shows the class in the charts and the 3D view.

#include <QSet>
#include <QWidget>

#include "core/data/Dataset.h"

class QTreeWidget;

namespace ui {

class ClassListPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ClassListPanel(QWidget* parent = nullptr);
    void setDataset(const core::Dataset& dataset);
    QSet<int> hiddenClasses() const;
    void setClassVisible(int cls, bool visible);
    int rowCount() const;

  signals:
    void visibilityChanged(const QSet<int>& hidden);

  private:
    QTreeWidget* tree_;
    bool loading_ = false;
};

} // namespace ui
