#pragma once
/// Writes what a run shows into a snapshot folder — config, events, metrics history, probe
/// embeddings / labels / indices / 3D projection as .npy, similarity histograms, and a
/// TensorBoard-projector folder (tensors.tsv, metadata.tsv, projector_config.pbtxt, sprite.png).
/// The folder is built under a temporary sibling name and renamed into place, so a failure
/// leaves nothing half-written. Plain C++: the trainer adds its weights through a callback.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/io/Npy.h"
#include "core/train/Records.h"
#include "core/train/TrainConfig.h"

namespace core {

struct SnapshotContents {
    const TrainConfig* config = nullptr;
    const Dataset* dataset = nullptr;
    const Snapshot* snapshot = nullptr;
    std::vector<StepRecord> records;
    std::vector<Event> events;
    std::vector<Metrics> metrics; ///< evaluations so far, oldest first
    std::string device;
    double wallSeconds = 0;
    /// Writes extra files (model.pt, optimizer.pt) into the folder being built; may throw.
    std::function<void(const std::filesystem::path& folder)> writeExtra;
};

/// "snapshot-000300" for step 300.
std::string snapshotFolderName(std::int64_t step);

/// Creates `parent`/snapshot-NNNNNN (replacing an older one of the same step) and returns its
/// path. Throws core::Error with one line naming the folder and the problem.
std::filesystem::path exportSnapshot(const std::filesystem::path& parent,
                                     const SnapshotContents& contents);

/// Side length in pixels of one sprite cell and cells per row for `n` images of `h`×`w`,
/// keeping the square sheet within 8192 px (TensorBoard's limit).
struct SpriteGeometry {
    int cellsPerRow = 0, cell = 0;
};
SpriteGeometry spriteGeometry(std::size_t n, int h, int w);

} // namespace core

namespace core {

/// What a snapshot folder says about its run.
struct SnapshotInfo {
    TrainConfig config; ///< the run's settings at that step
    std::int64_t step = 0;
    std::string version, device, datasetFingerprint;
    std::string datasetSpec;             ///< where the data came from
    std::vector<std::string> classNames; ///< the dataset's classes
    double wallSeconds = 0;              ///< training time when it was written
    std::size_t probePoints = 0, dim = 0;
};

/// The probe arrays of a snapshot folder as readSnapshot read and checked them.
struct SnapshotArrays {
    NpyArray embeddings, labels, indices;
    std::optional<NpyArray> projection; ///< projection.npy, when the folder has it
};

/// Reads and validates a snapshot folder: every file present, config keys known, version
/// readable, .npy shapes agreeing. Throws core::Error naming the file and the first problem.
/// `arrays`, when given, receives the .npy arrays it read (so callers need not read them again).
SnapshotInfo readSnapshot(const std::filesystem::path& folder, SnapshotArrays* arrays = nullptr);

} // namespace core
