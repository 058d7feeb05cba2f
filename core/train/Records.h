#pragma once
/// What the trainer publishes, as plain immutable values (no tensors cross threads).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace core {

/// One training step.
struct StepRecord {
    std::int64_t step = 0;  ///< 1-based: the step that just finished
    double wallSeconds = 0; ///< since the run started (paused time excluded)
    double lr = 0;
    double loss = 0;                          ///< total
    std::map<std::string, double> components; ///< e.g. {"ntxent": .., "suncet": ..}
    double samplesPerSecond = 0;
    double stepSeconds = 0; ///< time of this step alone (training loop, no evaluation)
    std::int64_t anchorsWithoutPositives = 0;
};

/// A hyperparameter change or a run event, with the step at which it took effect.
struct Event {
    std::int64_t step = 0;
    std::string name; ///< parameter name, or "pause", "resume", "nonfinite", "reset", ...
    double oldValue = 0, newValue = 0;
    std::string message; ///< human-readable one line
};

/// Evaluation metrics as LOSSES.md defines them (test queried against train).
struct Metrics {
    std::int64_t step = 0;
    double snnTop1 = 0, knnTop1 = 0, precisionAt1 = 0, mapAtR = 0;
    std::int64_t queries = 0,
                 references = 0; ///< sizes actually used (references may be subsampled)
    double seconds = 0;
};

/// Cosine-similarity histograms for one class inside the probe set.
struct ClassHistogram {
    std::vector<double> positive, negative; ///< counts per bin over [-1, 1]
    double overlap = 0;                     ///< Σ_b min(pos_b/Σpos, neg_b/Σneg)
};

/// A published view of the model at one step. Immutable once published.
struct Snapshot {
    std::int64_t step = 0;
    int dim = 0;                       ///< D of `embeddings`
    std::vector<float> embeddings;     ///< [N, D] probe embeddings (L2-normalised)
    std::vector<std::int64_t> labels;  ///< [N]
    std::vector<std::int64_t> indices; ///< [N] rows of the test split
    std::vector<float> perPointLoss;   ///< [N] the current loss per probe point (SuNCEt form)
    int bins = 0;
    std::vector<ClassHistogram> histograms; ///< per class; index numClasses = all classes
    /// Loss anatomy per probe point: cosine of the hardest negative, easiest and hardest positive.
    std::vector<float> hardestNegative, easiestPositive, hardestPositive;
    std::optional<Metrics> metrics; ///< present when this snapshot was evaluated
    /// A 3D projection of `embeddings`, aligned to the previous snapshot's (same probe points).
    struct Projection {
        std::vector<float> points; ///< [N, 3]
        std::array<double, 3>
            explained{}; ///< per axis: variance share (PCA) / separation share (LDA)
        std::vector<float> knnAgreement; ///< [N] |10-NN in 3D ∩ 10-NN in the original space| / 10
    };
    Projection pca, lda;
};

} // namespace core
