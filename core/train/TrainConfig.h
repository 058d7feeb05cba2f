#pragma once
/// Everything that defines a training run, as plain values. Live fields may change mid-run
/// (they take effect at the next step); structural fields need a reset.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core {

enum class LossKind { SuNCEt, SupConOut, SupConIn, NTXent, SimCLRSuNCEt };

/// "suncet", "supcon", "supcon-in", "ntxent", "simclr+suncet"
const char* lossName(LossKind kind);
/// Throws core::Error for unknown names.
LossKind parseLoss(const std::string& name);
/// The usual temperature of each loss (SuNCEt 0.1, SupCon 0.07, NT-Xent 0.5, SimCLR+SuNCEt 0.1).
double defaultTemperature(LossKind kind);

struct TrainConfig {
    // Data (structural)
    std::string dataset = "builtin:shapes";
    double labelledFraction = 1.0;

    // Model (structural)
    std::string encoder = "mlp"; ///< mlp | cnn-small | resnet-tiny
    int embedDim = 128;
    std::string device = "auto";
    std::uint64_t seed = 0;
    int threads = 0;                ///< 0 = LibTorch's default
    std::string visualize = "head"; ///< head | backbone: which output the snapshots show

    // Loss (live)
    LossKind loss = LossKind::SuNCEt;
    double temperature = 0.1;
    double baseTemperature = 0.07;
    double labelSmoothing = 0.0;
    double suncetWeight = 1.0; ///< SimCLR+SuNCEt: weight of the supervised term
    std::int64_t suncetSteps =
        0; ///< SimCLR+SuNCEt: supervised term off after this many steps (0 = never)

    // Optimizer (type structural, rest live)
    std::string optimizer = "sgd"; ///< sgd | adamw
    double lr = 0.1;
    double momentum = 0.9;
    bool nesterov = false;
    double weightDecay = 1e-6;
    std::int64_t warmup = 0;
    double startLr = 0.0;            ///< warm-up starts here
    double finalLr = 0.0;            ///< cosine ends here
    std::string schedule = "cosine"; ///< cosine | constant

    // Batch (C and P live)
    int classesPerBatch = 10;
    int perClass = 25;
    int views = 1;
    int unlabelledBatch = 256;       ///< SimCLR+SuNCEt / NT-Xent: unlabelled samples per step
    std::string augment = "default"; ///< default | none

    // Run
    std::int64_t steps = 300;   ///< 0 = until stopped (the schedule then holds lr after warm-up)
    std::int64_t evalEvery = 0; ///< 0 = only the final evaluation
    int probe = 5000;           ///< test points embedded in snapshots
    std::int64_t snapshotEvery = 50; ///< steps between snapshots (0 = time only)
    int snapshotMs = 1000;           ///< or at most this long between snapshots while running
    int histogramBins = 50;
    int referenceLimit = 10000; ///< periodic evaluations use at most this many train references
    std::int64_t checkpointEvery = 25; ///< steps between in-memory "last finite" checkpoints
    std::string exportDir;             ///< where snapshot folders go (empty = no automatic export)
    std::int64_t exportEvery =
        0; ///< export a snapshot folder every K steps (0 = only on request / at the end)

    /// Throws core::Error (one line) naming the first invalid field.
    void validate() const;
    /// JSON text with every key; `fromJson` accepts any subset and rejects unknown keys.
    std::string toJson() const;
    static TrainConfig fromJson(const std::string& text, const std::string& sourceName,
                                const TrainConfig& base);
    static TrainConfig fromJson(const std::string& text, const std::string& sourceName);
};

/// Names of the parameters that may change while running.
const std::vector<std::string>& liveParameterNames();
/// Reads / writes a live parameter by name (loss is its LossKind index); throws core::Error
/// for unknown names or out-of-range values.
double getLiveParameter(const TrainConfig& config, const std::string& name);
void setLiveParameter(TrainConfig& config, const std::string& name, double value);

} // namespace core
