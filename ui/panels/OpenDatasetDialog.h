#pragma once
/// "Open dataset…": pick a folder, a file or a built-in; the detected format is shown; loading
/// runs in the background with progress and Cancel; a preview shows samples per class (or a
/// feature table) and class counts. A bad dataset shows the loader's one-line error here and
/// leaves the current run alone.

#include <QDialog>

#include <memory>

#include "core/data/Dataset.h"
#include "core/data/DatasetLoader.h"

class QLineEdit;
class QLabel;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QStackedWidget;
class QDialogButtonBox;

namespace ui {

class DatasetLoadJob;

class OpenDatasetDialog : public QDialog {
    Q_OBJECT
  public:
    explicit OpenDatasetDialog(const QString& initialSpec, QWidget* parent = nullptr);
    ~OpenDatasetDialog() override;

    std::shared_ptr<const core::Dataset> dataset() const { return dataset_; }
    core::LoadOptions loadOptions() const;
    QString spec() const;
    QString errorText() const;
    QString detectedFormat() const;

  public slots:
    void setSpec(const QString& spec);
    void loadPreview();

  signals:
    void previewReady();
    void previewFailed(const QString& message);

  private:
    void detect();
    void showPreview();
    void setBusy(bool busy);

    QLineEdit* path_;
    QComboBox* builtin_;
    QLabel *format_, *error_, *summary_, *grid_;
    QDoubleSpinBox *labelled_, *testFraction_;
    QSpinBox *height_, *width_;
    QProgressBar* progress_;
    QPushButton *load_, *cancel_;
    QTableWidget* table_;
    QStackedWidget* previewStack_;
    QDialogButtonBox* buttons_;
    std::unique_ptr<DatasetLoadJob> job_;
    std::shared_ptr<const core::Dataset> dataset_;
};

} // namespace ui
