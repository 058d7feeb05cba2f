#pragma once
/// The synchronous training engine: model, optimiser, samplers, batches and losses, one step
/// at a time on the calling thread. Trainer runs it on its own thread; tests and the CLI's
/// resume logic may drive it directly. Internal to core (it exposes torch types).

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>

#include "core/data/BatchBuilder.h"
#include "core/data/Dataset.h"
#include "core/data/Sampler.h"
#include "core/metrics/Evaluation.h"
#include "core/model/Encoders.h"
#include "core/train/Records.h"
#include "core/train/TrainConfig.h"

#include <Eigen/Core>

namespace core {

class Engine {
  public:
    /// Builds the model and data tensors. Throws core::Error for configs that do not fit the data.
    Engine(std::shared_ptr<const Dataset> dataset, const TrainConfig& config);

    /// Runs one step with `config` (live fields may differ from the last step's). When the loss
    /// or gradients are not finite the step is not applied, the last checkpoint is restored and
    /// the record's `nonFinite` flag is set.
    struct StepResult {
        StepRecord record;
        bool nonFinite = false;
        std::string problem; ///< what was not finite
    };
    StepResult step(const TrainConfig& config);

    std::int64_t stepsDone() const { return step_; }
    const TrainConfig& config() const { return config_; }
    std::string device() const { return device_.str(); }

    /// Embeddings of rows [0, n) of a split through the current model (eval mode), normalised.
    torch::Tensor embed(bool test, std::int64_t n, bool backbone, const StopCheck& stop = {});
    /// Metrics of test against train. `referenceLimit` < train size subsamples references
    /// (evenly strided, deterministic); 0 = all.
    Metrics evaluate(std::int64_t referenceLimit, const StopCheck& stop = {});
    /// Probe embeddings, histograms, anatomy, per-point loss (and metrics when given).
    Snapshot snapshot(std::optional<Metrics> metrics, const StopCheck& stop = {});

    /// In-memory copies of weights + optimiser state, every config.checkpointEvery steps (the
    /// newest few are kept; the initial weights always).
    void checkpoint();
    /// Restores the newest checkpoint whose weights still give a finite loss on a batch (weights
    /// can be finite yet already too large, e.g. just before an overflow); unusable ones are
    /// dropped. The step counter keeps counting: a restore changes the weights, not the timeline.
    void restoreCheckpoint();
    /// Everything a resumed run needs to continue exactly: model.pt (encoder + head, torch::save),
    /// optimizer.pt, rng.pt (augmentation generator) and sampler.txt (sampler positions).
    void saveState(const std::filesystem::path& folder);
    /// Loads what saveState wrote and continues from `step`. Throws core::Error naming the
    /// first missing or unreadable file.
    void loadState(const std::filesystem::path& folder, std::int64_t step);
    /// The step whose weights the last restore brought back.
    std::int64_t restoredStep() const { return restoredStep_; }

  private:
    void buildOptimizer();
    void applyOptimizerParams(double lr);
    torch::Tensor computeLoss(const TrainConfig& c, StepRecord& rec);

    std::shared_ptr<const Dataset> dataset_;
    TrainConfig config_;
    torch::Device device_;
    ContrastiveNet model_{nullptr};
    std::unique_ptr<torch::optim::Optimizer> optimizer_;
    std::unique_ptr<BatchBuilder> batches_;
    std::unique_ptr<StratifiedSampler> labelled_;
    std::unique_ptr<UniformSampler> unlabelled_;
    std::int64_t step_ = 0;
    struct Checkpoint {
        std::int64_t step = 0;
        std::string model, optimizer;
    };
    bool restore(const Checkpoint& c);    ///< loads it; true when a forward pass is finite
    std::vector<Checkpoint> checkpoints_; ///< [0] = the initial weights, then the newest few
    std::int64_t restoredStep_ = 0;
    Eigen::MatrixXf previousPca_, previousLda_; ///< last snapshot's projections, for alignment
};

} // namespace core
