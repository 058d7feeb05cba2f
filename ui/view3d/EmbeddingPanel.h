#pragma once
/// The centre of the window: the 3D embedding view with its controls (projection, colouring,
/// point size, centroids, 2D, camera) and the picked point's details and nearest neighbours.

#include <QSet>
#include <QWidget>

#include <memory>
#include <vector>

#include "core/data/Dataset.h"
#include "core/train/Records.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QSlider;

namespace ui {

class EmbeddingView;

class EmbeddingPanel : public QWidget {
    Q_OBJECT
  public:
    enum class Projection { PCA, LDA };
    enum class Coloring { Class, KnnAgreement, PointLoss };

    explicit EmbeddingPanel(QWidget* parent = nullptr);

    void setDataset(std::shared_ptr<const core::Dataset> dataset);
    void setSnapshot(std::shared_ptr<const core::Snapshot> snapshot);
    void setHiddenClasses(const QSet<int>& hidden);
    void setProjection(Projection p);
    void setColoring(Coloring c);
    /// Selects probe point `index` (-1 clears): details, thumbnails and the k = 10 nearest
    /// neighbours in the original embedding space (cosine).
    void selectPoint(int index);

    EmbeddingView* view() const { return view_; }
    int selected() const { return selected_; }
    const std::vector<int>& neighbours() const { return neighbours_; }
    QString detailsText() const;

  private:
    void refresh(bool animate);

    EmbeddingView* view_;
    QComboBox *projection_, *coloring_;
    QSlider* pointSize_;
    QCheckBox *centroids_, *topView_, *dark_;
    QLabel *thumbnail_, *details_;
    QListWidget* neighbourList_;
    std::shared_ptr<const core::Dataset> dataset_;
    std::shared_ptr<const core::Snapshot> snapshot_;
    int selected_ = -1;
    std::vector<int> neighbours_;
};

} // namespace ui
