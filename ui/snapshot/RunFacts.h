#pragma once
/// The headline numbers of a run (saved or live) and its settings as text rows, shared by the
/// snapshot viewer and the compare window.

#include <QList>
#include <QPair>
#include <QString>

#include <optional>
#include <vector>

#include "core/train/Records.h"
#include "core/train/TrainConfig.h"
#include "ui/charts/Smoothing.h"

namespace ui {

struct RunFacts {
    std::int64_t step = 0;
    std::optional<double> smoothedLoss;   ///< debiased EMA (weight 0.9) of the loss at `step`
    std::optional<core::Metrics> metrics; ///< newest evaluation
    std::optional<double> overlap;        ///< all-classes positive/negative histogram overlap
    double trainingSeconds = 0;

    /// Folds newer records (oldest first) in.
    void add(const std::vector<core::StepRecord>& records);
    /// Takes the metrics (when evaluated) and the overlap of a newer snapshot.
    void add(const core::Snapshot& snapshot);

  private:
    DebiasedEma ema_{0.9};
};

/// Every setting as (key, value text), sorted by key.
QList<QPair<QString, QString>> configRows(const core::TrainConfig& config);

/// One metric of the facts for the tables: name, value (nullopt = not known).
struct FactRow {
    QString name;
    std::optional<double> value;
    bool higherIsBetter = true;
    int decimals = 4;
    bool judged = true; ///< whether a difference is better or worse (not for steps, time)
};
QList<FactRow> factRows(const RunFacts& facts);

} // namespace ui
