#pragma once
/// Two runs side by side: a saved snapshot (A) against another snapshot or the live run (B).
/// Loss curves overlaid, a table of the headline metrics with B − A and the settings that
/// differ, and both 3D clouds with linked cameras (B's cloud is rotated onto A's when both
/// hold the same probe points, so the same direction means the same thing).

#include <QWidget>

#include <memory>

#include "core/io/SavedRun.h"
#include "ui/snapshot/RunFacts.h"

class QCheckBox;
class QComboBox;
class QTableWidget;

namespace ui {

class CompareLossChart;
class EmbeddingView;
class TrainingSession;

class CompareWindow : public QWidget {
    Q_OBJECT
  public:
    CompareWindow(std::shared_ptr<const core::SavedRun> a, std::shared_ptr<const core::SavedRun> b,
                  QWidget* parent = nullptr);
    /// B follows the live run as it trains (and is cleared when it is reset).
    CompareWindow(std::shared_ptr<const core::SavedRun> a, TrainingSession* live,
                  QWidget* parent = nullptr);
    ~CompareWindow() override;

    CompareLossChart* lossChart() const { return loss_; }
    QTableWidget* table() const { return table_; }
    EmbeddingView* view(int run) const { return views_[run]; }
    /// Table text by row label and column (0 = A, 1 = B, 2 = B − A); empty when absent.
    QString cell(const QString& row, int column) const;
    void setLinkedCameras(bool on);
    /// True when B's cloud was rotated onto A's (same probe points).
    bool aligned() const { return aligned_; }

  private:
    struct Side {
        QString name;
        RunFacts facts;
        core::TrainConfig config;
        std::shared_ptr<const core::Snapshot> snapshot;
        QStringList classNames;
    };
    void build();
    void setSide(int run, const core::SavedRun& saved);
    /// Draws run's cloud; B's is rotated onto A's, so show A first (A never changes).
    void showCloud(int run);
    void refreshTable();

    Side side_[2];
    CompareLossChart* loss_;
    QTableWidget* table_;
    EmbeddingView* views_[2];
    QComboBox* projection_;
    QCheckBox* link_;
    bool syncing_ = false, aligned_ = false;
};

} // namespace ui
