#pragma once
/// A snapshot folder read back whole, for showing a saved run read-only and for comparing runs:
/// its settings, loss and metric history, events, and the probe set as a core::Snapshot (the
/// same value the live view draws). Plain C++: no torch, no Qt.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/io/SnapshotExport.h"
#include "core/train/Records.h"

namespace core {

struct SavedRun {
    std::filesystem::path folder;
    SnapshotInfo info;                        ///< config, step, version, dataset spec and classes
    std::vector<StepRecord> records;          ///< from metrics.csv (step, wall time, lr, losses)
    std::vector<Metrics> metrics;             ///< the evaluated rows of metrics.csv, oldest first
    std::vector<Event> events;                ///< from events.json
    std::shared_ptr<const Snapshot> snapshot; ///< probe embeddings, histograms, projections
};

/// Reads and validates every file of a snapshot folder (readSnapshot's checks, then
/// metrics.csv, events.json, histograms.json and the projection files). Folders written before
/// the LDA / kNN-agreement / point-loss files existed get their PCA and LDA recomputed.
/// Throws core::Error naming the file (and line) of the first problem.
SavedRun loadSavedRun(const std::filesystem::path& folder);

/// Parses metrics.csv text; `name` is used in errors ("name:LINE: problem").
void parseMetricsCsv(const std::string& text, const std::string& name,
                     std::vector<StepRecord>& records, std::vector<Metrics>& metrics);

} // namespace core
