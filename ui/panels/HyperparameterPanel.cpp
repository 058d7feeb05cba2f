#include "ui/panels/HyperparameterPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/panels/LogSlider.h"

namespace ui {

namespace {

QDoubleSpinBox* doubleSpin(double lo, double hi, int decimals, double step, QWidget* parent) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setKeyboardTracking(false); // apply on Enter / focus-out, not on every keystroke
    return s;
}

QSpinBox* intSpin(int lo, int hi, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setKeyboardTracking(false);
    return s;
}

QComboBox* combo(const QStringList& items, QWidget* parent) {
    auto* c = new QComboBox(parent);
    c->addItems(items);
    return c;
}

} // namespace

HyperparameterPanel::HyperparameterPanel(QWidget* parent) : QWidget(parent) {
    auto* inner = new QWidget;
    auto* layout = new QVBoxLayout(inner);
    layout->addWidget(buildLoss());
    layout->addWidget(buildOptimizer());
    layout->addWidget(buildBatch());
    layout->addWidget(buildModel());
    layout->addWidget(buildSnapshots());
    applied_ = new QLabel(inner);
    applied_->setWordWrap(true);
    applied_->setObjectName("appliedLabel");
    layout->addWidget(applied_);
    applyReset_ = new QPushButton(tr("Apply && reset"), inner);
    applyReset_->setToolTip(tr(
        "Structural settings (model, batch layout, optimiser type, run length) start a new run"));
    applyReset_->setEnabled(false);
    layout->addWidget(applyReset_);
    layout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    connect(applyReset_, &QPushButton::clicked, this, [this] {
        applyReset_->setEnabled(false);
        emit resetRequested(config());
    });
    setConfig(core::TrainConfig{});
}

QGroupBox* HyperparameterPanel::buildLoss() {
    auto* g = new QGroupBox(tr("Loss"), this);
    auto* f = new QFormLayout(g);
    loss_ = combo(
        {tr("SuNCEt"), tr("SupCon L_out"), tr("SupCon L_in"), tr("NT-Xent"), tr("SimCLR + SuNCEt")},
        g);
    temperature_ = new LogSlider(0.01, 1.0, 3, g);
    baseTemperature_ = doubleSpin(0.01, 1.0, 3, 0.01, g);
    labelSmoothing_ = doubleSpin(0.0, 0.5, 3, 0.01, g);
    suncetWeight_ = doubleSpin(0.0, 10.0, 2, 0.1, g);
    suncetSteps_ = intSpin(0, 10000000, g);
    suncetSteps_->setSpecialValueText(tr("never off"));
    f->addRow(tr("Loss"), loss_);
    f->addRow(tr("Temperature τ"), temperature_);
    f->addRow(tr("Base temperature"), baseTemperature_);
    f->addRow(tr("Label smoothing ε"), labelSmoothing_);
    f->addRow(tr("SuNCEt weight"), suncetWeight_);
    f->addRow(tr("SuNCEt off after"), suncetSteps_);
    connect(loss_, &QComboBox::currentIndexChanged, this, [this](int i) { live("loss", i); });
    connect(temperature_, &LogSlider::valueChanged, this,
            [this](double v) { live("temperature", v); });
    connect(baseTemperature_, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { live("base_temperature", v); });
    connect(labelSmoothing_, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { live("label_smoothing", v); });
    connect(suncetWeight_, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { live("suncet_weight", v); });
    connect(suncetSteps_, &QSpinBox::valueChanged, this, &HyperparameterPanel::structuralEdited);
    structural_ << suncetSteps_;
    return g;
}

QGroupBox* HyperparameterPanel::buildOptimizer() {
    auto* g = new QGroupBox(tr("Optimizer"), this);
    auto* f = new QFormLayout(g);
    optimizer_ = combo({"SGD", "AdamW"}, g);
    lr_ = doubleSpin(1e-5, 10.0, 5, 0.01, g);
    momentum_ = doubleSpin(0.0, 0.999, 3, 0.01, g);
    weightDecay_ = doubleSpin(0.0, 0.1, 7, 1e-6, g);
    warmup_ = intSpin(0, 1000000, g);
    finalLr_ = doubleSpin(0.0, 10.0, 5, 0.001, g);
    schedule_ = combo({tr("cosine"), tr("constant")}, g);
    f->addRow(tr("Optimizer"), optimizer_);
    f->addRow(tr("Learning rate"), lr_);
    f->addRow(tr("Momentum"), momentum_);
    f->addRow(tr("Weight decay"), weightDecay_);
    f->addRow(tr("Warm-up steps"), warmup_);
    f->addRow(tr("Final lr"), finalLr_);
    f->addRow(tr("Schedule"), schedule_);
    connect(lr_, &QDoubleSpinBox::valueChanged, this, [this](double v) { live("lr", v); });
    connect(momentum_, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { live("momentum", v); });
    connect(weightDecay_, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { live("weight_decay", v); });
    connect(warmup_, &QSpinBox::valueChanged, this, [this](int v) { live("warmup", v); });
    connect(finalLr_, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { live("final_lr", v); });
    for (auto* c : {optimizer_, schedule_}) {
        connect(c, &QComboBox::currentIndexChanged, this, &HyperparameterPanel::structuralEdited);
        structural_ << c;
    }
    return g;
}

QGroupBox* HyperparameterPanel::buildBatch() {
    auto* g = new QGroupBox(tr("Batch"), this);
    auto* f = new QFormLayout(g);
    classesPerBatch_ = intSpin(1, 1000, g);
    perClass_ = intSpin(2, 1000, g);
    views_ = combo({"1", "2"}, g);
    augment_ = combo({tr("default"), tr("none")}, g);
    unlabelledBatch_ = intSpin(2, 100000, g);
    f->addRow(tr("Classes per batch"), classesPerBatch_);
    f->addRow(tr("Images per class"), perClass_);
    f->addRow(tr("Views"), views_);
    f->addRow(tr("Augmentation"), augment_);
    f->addRow(tr("Unlabelled batch"), unlabelledBatch_);
    connect(classesPerBatch_, &QSpinBox::valueChanged, this,
            [this](int v) { live("classes_per_batch", v); });
    connect(perClass_, &QSpinBox::valueChanged, this, [this](int v) { live("per_class", v); });
    for (auto* c : {views_, augment_}) {
        connect(c, &QComboBox::currentIndexChanged, this, &HyperparameterPanel::structuralEdited);
        structural_ << c;
    }
    connect(unlabelledBatch_, &QSpinBox::valueChanged, this,
            &HyperparameterPanel::structuralEdited);
    structural_ << unlabelledBatch_;
    return g;
}

QGroupBox* HyperparameterPanel::buildModel() {
    auto* g = new QGroupBox(tr("Model"), this);
    auto* f = new QFormLayout(g);
    encoder_ = combo({"mlp", "cnn-small", "resnet-tiny"}, g);
    embedDim_ = intSpin(2, 4096, g);
    device_ = combo({"auto", "cpu", "cuda"}, g);
    seed_ = intSpin(0, 1000000000, g);
    steps_ = intSpin(0, 100000000, g);
    steps_->setSpecialValueText(tr("until stopped"));
    f->addRow(tr("Encoder"), encoder_);
    f->addRow(tr("Embedding dim"), embedDim_);
    f->addRow(tr("Device"), device_);
    f->addRow(tr("Seed"), seed_);
    f->addRow(tr("Steps"), steps_);
    for (auto* c : {encoder_, device_}) {
        connect(c, &QComboBox::currentIndexChanged, this, &HyperparameterPanel::structuralEdited);
        structural_ << c;
    }
    for (auto* s : {embedDim_, seed_, steps_}) {
        connect(s, &QSpinBox::valueChanged, this, &HyperparameterPanel::structuralEdited);
        structural_ << s;
    }
    return g;
}

QGroupBox* HyperparameterPanel::buildSnapshots() {
    auto* g = new QGroupBox(tr("Snapshots"), this);
    auto* f = new QFormLayout(g);
    probe_ = intSpin(10, 1000000, g);
    snapshotEvery_ = intSpin(0, 1000000, g);
    snapshotEvery_->setSpecialValueText(tr("time only"));
    evalEvery_ = intSpin(0, 1000000, g);
    evalEvery_->setSpecialValueText(tr("at the end"));
    f->addRow(tr("Probe points"), probe_);
    f->addRow(tr("Snapshot every (steps)"), snapshotEvery_);
    f->addRow(tr("Evaluate every (steps)"), evalEvery_);
    for (auto* s : {probe_, snapshotEvery_, evalEvery_}) {
        connect(s, &QSpinBox::valueChanged, this, &HyperparameterPanel::structuralEdited);
        structural_ << s;
    }
    return g;
}

void HyperparameterPanel::live(const QString& name, double value) {
    if (loading_) return;
    emit liveParameterChanged(name, value);
}

void HyperparameterPanel::structuralEdited() {
    if (loading_) return;
    applyReset_->setEnabled(true);
}

void HyperparameterPanel::setConfig(const core::TrainConfig& c) {
    loading_ = true;
    base_ = c;
    loss_->setCurrentIndex(int(c.loss));
    temperature_->setValue(c.temperature);
    baseTemperature_->setValue(c.baseTemperature);
    labelSmoothing_->setValue(c.labelSmoothing);
    suncetWeight_->setValue(c.suncetWeight);
    suncetSteps_->setValue(int(c.suncetSteps));
    optimizer_->setCurrentIndex(c.optimizer == "adamw" ? 1 : 0);
    lr_->setValue(c.lr);
    momentum_->setValue(c.momentum);
    weightDecay_->setValue(c.weightDecay);
    warmup_->setValue(int(c.warmup));
    finalLr_->setValue(c.finalLr);
    schedule_->setCurrentIndex(c.schedule == "constant" ? 1 : 0);
    classesPerBatch_->setValue(c.classesPerBatch);
    perClass_->setValue(c.perClass);
    views_->setCurrentIndex(c.views - 1);
    augment_->setCurrentIndex(c.augment == "none" ? 1 : 0);
    unlabelledBatch_->setValue(c.unlabelledBatch);
    encoder_->setCurrentText(QString::fromStdString(c.encoder));
    embedDim_->setValue(c.embedDim);
    device_->setCurrentText(
        QString::fromStdString(c.device.rfind("cuda", 0) == 0 ? "cuda" : c.device));
    seed_->setValue(int(c.seed));
    steps_->setValue(int(c.steps));
    probe_->setValue(c.probe);
    snapshotEvery_->setValue(int(c.snapshotEvery));
    evalEvery_->setValue(int(c.evalEvery));
    applyReset_->setEnabled(false);
    loading_ = false;
}

core::TrainConfig HyperparameterPanel::config() const {
    core::TrainConfig c = base_;
    c.loss = core::LossKind(loss_->currentIndex());
    c.temperature = temperature_->value();
    c.baseTemperature = baseTemperature_->value();
    c.labelSmoothing = labelSmoothing_->value();
    c.suncetWeight = suncetWeight_->value();
    c.suncetSteps = suncetSteps_->value();
    c.optimizer = optimizer_->currentIndex() == 1 ? "adamw" : "sgd";
    c.lr = lr_->value();
    c.momentum = momentum_->value();
    c.weightDecay = weightDecay_->value();
    c.warmup = warmup_->value();
    c.finalLr = finalLr_->value();
    c.schedule = schedule_->currentIndex() == 1 ? "constant" : "cosine";
    c.classesPerBatch = classesPerBatch_->value();
    c.perClass = perClass_->value();
    c.views = views_->currentIndex() + 1;
    c.augment = augment_->currentIndex() == 1 ? "none" : "default";
    c.unlabelledBatch = unlabelledBatch_->value();
    c.encoder = encoder_->currentText().toStdString();
    c.embedDim = embedDim_->value();
    c.device = device_->currentText().toStdString();
    c.seed = std::uint64_t(seed_->value());
    c.steps = steps_->value();
    c.probe = probe_->value();
    c.snapshotEvery = snapshotEvery_->value();
    c.evalEvery = evalEvery_->value();
    return c;
}

void HyperparameterPanel::setRunning(bool running) {
    for (auto* w : structural_)
        w->setEnabled(!running);
    applyReset_->setVisible(!running);
}

void HyperparameterPanel::setClassCount(int classes) {
    classesPerBatch_->setMaximum(std::max(1, classes));
}

void HyperparameterPanel::showApplied(const std::vector<core::Event>& events) {
    QStringList lines;
    for (const auto& e : events)
        if (e.name != "pause" && e.name != "resume" && e.name != "finish" && e.name != "reset" &&
            e.name != "nonfinite")
            lines << QString::fromStdString("✓ " + e.message);
    if (lines.isEmpty()) return;
    applied_->setText(lines.mid(std::max<qsizetype>(0, lines.size() - 3)).join('\n'));
}

} // namespace ui
