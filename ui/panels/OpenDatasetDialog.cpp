#include "ui/panels/OpenDatasetDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/util/Error.h"
#include "ui/DatasetLoadJob.h"
#include "ui/DatasetPreview.h"

namespace ui {

OpenDatasetDialog::OpenDatasetDialog(const QString& initialSpec, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Open dataset"));
    path_ = new QLineEdit(this);
    path_->setPlaceholderText(tr("folder, file, or builtin:shapes"));
    auto* folder = new QPushButton(tr("Folder…"), this);
    auto* file = new QPushButton(tr("File…"), this);
    builtin_ = new QComboBox(this);
    builtin_->addItems({tr("Built-in…"), "builtin:shapes", "builtin:blobs"});
    auto* source = new QHBoxLayout;
    source->addWidget(path_, 1);
    source->addWidget(folder);
    source->addWidget(file);
    source->addWidget(builtin_);

    format_ = new QLabel(this);
    labelled_ = new QDoubleSpinBox(this);
    labelled_->setRange(0.001, 1.0);
    labelled_->setDecimals(3);
    labelled_->setSingleStep(0.05);
    labelled_->setValue(1.0);
    testFraction_ = new QDoubleSpinBox(this);
    testFraction_->setRange(0.0, 0.9);
    testFraction_->setSingleStep(0.05);
    testFraction_->setValue(0.2);
    testFraction_->setToolTip(tr("Held out from train when the source has no test split"));
    height_ = new QSpinBox(this);
    width_ = new QSpinBox(this);
    for (auto* s : {height_, width_}) {
        s->setRange(0, 1024);
        s->setSpecialValueText(tr("auto"));
    }
    auto* size = new QHBoxLayout;
    size->addWidget(height_);
    size->addWidget(new QLabel("×", this));
    size->addWidget(width_);
    auto* form = new QFormLayout;
    form->addRow(tr("Source"), source);
    form->addRow(tr("Detected format"), format_);
    form->addRow(tr("Labelled fraction"), labelled_);
    form->addRow(tr("Test split (if none)"), testFraction_);
    form->addRow(tr("Image size (folders)"), size);

    load_ = new QPushButton(tr("Load preview"), this);
    cancel_ = new QPushButton(tr("Cancel loading"), this);
    progress_ = new QProgressBar(this);
    auto* loading = new QHBoxLayout;
    loading->addWidget(load_);
    loading->addWidget(progress_, 1);
    loading->addWidget(cancel_);
    error_ = new QLabel(this);
    error_->setObjectName("datasetError");
    error_->setStyleSheet("color: #b00020;");
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    grid_ = new QLabel;
    grid_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto* gridScroll = new QScrollArea;
    gridScroll->setWidget(grid_);
    gridScroll->setWidgetResizable(true);
    table_ = new QTableWidget;
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    previewStack_ = new QStackedWidget(this);
    previewStack_->addWidget(gridScroll);
    previewStack_->addWidget(table_);
    previewStack_->setMinimumSize(520, 320);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Open)->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(loading);
    layout->addWidget(error_);
    layout->addWidget(summary_);
    layout->addWidget(previewStack_, 1);
    layout->addWidget(buttons_);

    connect(folder, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Dataset folder"), path_->text());
        if (!dir.isEmpty()) setSpec(dir);
    });
    connect(file, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(
            this, tr("Dataset file"), path_->text(),
            tr("Datasets (*.csv *.npy *.gz *ubyte *.bin);;All files (*)"));
        if (!f.isEmpty()) setSpec(f);
    });
    connect(builtin_, &QComboBox::activated, this, [this](int i) {
        if (i > 0) setSpec(builtin_->itemText(i));
    });
    connect(path_, &QLineEdit::textChanged, this, [this] {
        dataset_.reset();
        buttons_->button(QDialogButtonBox::Open)->setEnabled(false);
        detect();
    });
    connect(path_, &QLineEdit::returnPressed, this, &OpenDatasetDialog::loadPreview);
    connect(load_, &QPushButton::clicked, this, &OpenDatasetDialog::loadPreview);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (job_) job_->cancel();
    });
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setBusy(false);
    setSpec(initialSpec);
}

OpenDatasetDialog::~OpenDatasetDialog() = default;

QString OpenDatasetDialog::spec() const {
    return path_->text().trimmed();
}
QString OpenDatasetDialog::errorText() const {
    return error_->text();
}
QString OpenDatasetDialog::detectedFormat() const {
    return format_->text();
}

core::LoadOptions OpenDatasetDialog::loadOptions() const {
    core::LoadOptions o;
    o.labelledFraction = labelled_->value();
    o.testFraction = testFraction_->value();
    o.imageHeight = height_->value();
    o.imageWidth = width_->value();
    return o;
}

void OpenDatasetDialog::setSpec(const QString& spec) {
    path_->setText(spec);
    detect();
}

void OpenDatasetDialog::detect() {
    error_->clear();
    if (spec().isEmpty()) {
        format_->setText(tr("–"));
        return;
    }
    try {
        format_->setText(QString::fromStdString(core::detectFormat(spec().toStdString())));
    } catch (const core::Error& e) {
        format_->setText(tr("not recognised"));
        error_->setText(QString::fromStdString(e.what()));
    }
}

void OpenDatasetDialog::setBusy(bool busy) {
    load_->setEnabled(!busy);
    cancel_->setVisible(busy);
    progress_->setVisible(busy);
    path_->setEnabled(!busy);
}

void OpenDatasetDialog::loadPreview() {
    if (spec().isEmpty()) return;
    error_->clear();
    summary_->clear();
    dataset_.reset();
    buttons_->button(QDialogButtonBox::Open)->setEnabled(false);
    job_ = std::make_unique<DatasetLoadJob>(spec(), loadOptions());
    progress_->setRange(0, 0);
    setBusy(true);
    connect(job_.get(), &DatasetLoadJob::progress, this, [this](qint64 done, qint64 total) {
        if (total > 0) {
            progress_->setRange(0, 1000);
            progress_->setValue(int(1000 * done / total));
        }
    });
    connect(job_.get(), &DatasetLoadJob::loaded, this,
            [this](std::shared_ptr<const core::Dataset> ds) {
                setBusy(false);
                dataset_ = std::move(ds);
                showPreview();
                buttons_->button(QDialogButtonBox::Open)->setEnabled(true);
                emit previewReady();
            });
    connect(job_.get(), &DatasetLoadJob::failed, this, [this](const QString& msg) {
        setBusy(false);
        error_->setText(msg);
        emit previewFailed(msg);
    });
    connect(job_.get(), &DatasetLoadJob::cancelled, this, [this] {
        setBusy(false);
        error_->setText(tr("Loading cancelled."));
    });
    job_->start();
}

void OpenDatasetDialog::showPreview() {
    const auto& ds = *dataset_;
    const auto train = ds.classCounts(ds.train), test = ds.classCounts(ds.test);
    QStringList counts;
    for (int c = 0; c < ds.numClasses() && c < 30; ++c)
        counts << QString("%1 %2/%3")
                      .arg(QString::fromStdString(ds.classNames[std::size_t(c)]))
                      .arg(train[std::size_t(c)])
                      .arg(test[std::size_t(c)]);
    if (ds.numClasses() > 30) counts << tr("… %1 more").arg(ds.numClasses() - 30);
    const QString shape = ds.isImage()
                              ? QString("%1×%2×%3").arg(ds.channels).arg(ds.height).arg(ds.width)
                              : tr("%1 features").arg(ds.featureDim);
    summary_->setText(
        tr("<b>%1</b> · %2 · %3 train / %4 test · %5 classes · %6 · labelled %7 %<br>%8")
            .arg(QString::fromStdString(ds.name), QString::fromStdString(ds.format))
            .arg(ds.train.size())
            .arg(ds.test.size())
            .arg(ds.numClasses())
            .arg(shape)
            .arg(ds.labelledFraction() * 100, 0, 'f', 1)
            .arg(counts.join(" · ")));
    if (ds.isImage()) {
        grid_->setPixmap(
            QPixmap::fromImage(sampleGrid(ds, 10, std::max(28, std::min(48, ds.height * 2)))));
        previewStack_->setCurrentIndex(0);
    } else {
        const int rows = int(std::min<std::size_t>(50, ds.train.size())),
                  cols = std::min(ds.featureDim, 12);
        table_->clear();
        table_->setRowCount(rows);
        table_->setColumnCount(cols + 1);
        QStringList headers{tr("class")};
        for (int c = 0; c < cols; ++c)
            headers << QString("x%1").arg(c);
        table_->setHorizontalHeaderLabels(headers);
        for (int r = 0; r < rows; ++r) {
            table_->setItem(r, 0,
                            new QTableWidgetItem(QString::fromStdString(
                                ds.classNames[std::size_t(ds.train.labels[std::size_t(r)])])));
            for (int c = 0; c < cols; ++c)
                table_->setItem(
                    r, c + 1,
                    new QTableWidgetItem(QString::number(
                        ds.train.features[std::size_t(r) * ds.featureDim + c], 'g', 4)));
        }
        previewStack_->setCurrentIndex(1);
    }
}

} // namespace ui
