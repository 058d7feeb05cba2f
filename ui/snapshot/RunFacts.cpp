#include "ui/snapshot/RunFacts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ui {

void RunFacts::add(const std::vector<core::StepRecord>& records) {
    for (const auto& r : records) {
        smoothedLoss = ema_.add(r.loss);
        step = std::max(step, r.step);
        trainingSeconds = r.wallSeconds;
    }
}

void RunFacts::add(const core::Snapshot& snapshot) {
    step = std::max(step, snapshot.step);
    if (snapshot.metrics) metrics = snapshot.metrics;
    if (!snapshot.histograms.empty()) overlap = snapshot.histograms.back().overlap;
}

QList<QPair<QString, QString>> configRows(const core::TrainConfig& config) {
    const QJsonObject o =
        QJsonDocument::fromJson(QByteArray::fromStdString(config.toJson())).object();
    QList<QPair<QString, QString>> rows;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        QString text;
        if (v.isDouble())
            text = QString::number(v.toDouble(), 'g', 6);
        else if (v.isBool())
            text = v.toBool() ? "true" : "false";
        else if (v.isString())
            text = v.toString();
        else
            text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
        rows.append({it.key(), text});
    }
    return rows;
}

QList<FactRow> factRows(const RunFacts& f) {
    auto metric = [&](double core::Metrics::*m) -> std::optional<double> {
        if (!f.metrics) return std::nullopt;
        return (*f.metrics).*m;
    };
    return {
        {QObject::tr("Step"), double(f.step), true, 0, false},
        {QObject::tr("Loss (smoothed)"), f.smoothedLoss, false, 4},
        {QObject::tr("Evaluated at step"),
         f.metrics ? std::optional<double>(double(f.metrics->step)) : std::nullopt, true, 0, false},
        {QObject::tr("SNN top-1"), metric(&core::Metrics::snnTop1), true, 4},
        {QObject::tr("kNN top-1"), metric(&core::Metrics::knnTop1), true, 4},
        {QObject::tr("P@1"), metric(&core::Metrics::precisionAt1), true, 4},
        {QObject::tr("MAP@R"), metric(&core::Metrics::mapAtR), true, 4},
        {QObject::tr("Histogram overlap"), f.overlap, false, 4},
        {QObject::tr("Training time (s)"), f.trainingSeconds, false, 1, false},
    };
}

} // namespace ui
