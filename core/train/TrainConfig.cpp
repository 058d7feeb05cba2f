#include "core/train/TrainConfig.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/util/Error.h"

namespace core {

const char* lossName(LossKind kind) {
    switch (kind) {
    case LossKind::SuNCEt:
        return "suncet";
    case LossKind::SupConOut:
        return "supcon";
    case LossKind::SupConIn:
        return "supcon-in";
    case LossKind::NTXent:
        return "ntxent";
    case LossKind::SimCLRSuNCEt:
        return "simclr+suncet";
    }
    return "?";
}

LossKind parseLoss(const std::string& name) {
    for (auto k : {LossKind::SuNCEt, LossKind::SupConOut, LossKind::SupConIn, LossKind::NTXent,
                   LossKind::SimCLRSuNCEt})
        if (name == lossName(k)) return k;
    if (name == "supcon-out") return LossKind::SupConOut;
    throw Error("unknown loss '" + name + "' (suncet, supcon, supcon-in, ntxent, simclr+suncet)");
}

double defaultTemperature(LossKind kind) {
    switch (kind) {
    case LossKind::SupConOut:
    case LossKind::SupConIn:
        return 0.07;
    case LossKind::NTXent:
        return 0.5;
    default:
        return 0.1;
    }
}

namespace {
void require(bool ok, const std::string& what) {
    if (!ok) throw Error("config: " + what);
}
} // namespace

void TrainConfig::validate() const {
    require(labelledFraction > 0 && labelledFraction <= 1, "labelled_fraction must be in (0, 1]");
    require(encoder == "mlp" || encoder == "cnn-small" || encoder == "resnet-tiny",
            "encoder must be mlp, cnn-small or resnet-tiny");
    require(embedDim >= 2 && embedDim <= 4096, "embed_dim must be in 2..4096");
    require(threads >= 0 && threads <= 1024, "threads must be in 0..1024");
    require(visualize == "head" || visualize == "backbone", "visualize must be head or backbone");
    require(temperature >= 0.001 && temperature <= 10, "temperature must be in [0.001, 10]");
    require(baseTemperature >= 0.001 && baseTemperature <= 10,
            "base_temperature must be in [0.001, 10]");
    require(labelSmoothing >= 0 && labelSmoothing < 1, "label_smoothing must be in [0, 1)");
    require(suncetWeight >= 0 && suncetWeight <= 100, "suncet_weight must be in [0, 100]");
    require(suncetSteps >= 0, "suncet_steps must be >= 0");
    require(optimizer == "sgd" || optimizer == "adamw", "optimizer must be sgd or adamw");
    require(lr > 0 && lr <= 1e7 && std::isfinite(lr), "lr must be > 0");
    require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)");
    require(weightDecay >= 0 && weightDecay <= 1, "weight_decay must be in [0, 1]");
    require(warmup >= 0, "warmup must be >= 0");
    require(startLr >= 0 && finalLr >= 0, "start_lr and final_lr must be >= 0");
    require(schedule == "cosine" || schedule == "constant", "schedule must be cosine or constant");
    require(classesPerBatch >= 1 && classesPerBatch <= 1000,
            "classes_per_batch must be in 1..1000");
    require(perClass >= 1 && perClass <= 10000, "per_class must be in 1..10000");
    require(views == 1 || views == 2, "views must be 1 or 2");
    require(unlabelledBatch >= 2 && unlabelledBatch <= 100000,
            "unlabelled_batch must be in 2..100000");
    require(augment == "default" || augment == "none", "augment must be default or none");
    require(steps >= 0, "steps must be >= 0");
    require(evalEvery >= 0, "eval_every must be >= 0");
    require(probe >= 10 && probe <= 1000000, "probe must be in 10..1000000");
    require(snapshotEvery >= 0 && snapshotMs >= 0, "snapshot_every and snapshot_ms must be >= 0");
    require(histogramBins >= 4 && histogramBins <= 1000, "histogram_bins must be in 4..1000");
    require(referenceLimit >= 10, "reference_limit must be >= 10");
    require(checkpointEvery >= 1, "checkpoint_every must be >= 1");
    require(exportEvery >= 0, "export_every must be >= 0");
}

// clang-format off
#define CS_FIELDS(X)                                                                               \
    X(dataset, "dataset")                                                                          \
    X(labelledFraction, "labelled_fraction")                                                       \
    X(encoder, "encoder")                                                                          \
    X(embedDim, "embed_dim")                                                                       \
    X(device, "device") X(seed, "seed") X(threads, "threads") X(visualize, "visualize")            \
        X(temperature, "temperature") X(baseTemperature, "base_temperature")                       \
            X(labelSmoothing, "label_smoothing") X(suncetWeight, "suncet_weight")                  \
                X(suncetSteps, "suncet_steps") X(optimizer, "optimizer") X(lr, "lr")               \
                    X(momentum, "momentum") X(nesterov, "nesterov") X(weightDecay, "weight_decay") \
                        X(warmup, "warmup") X(startLr, "start_lr") X(finalLr, "final_lr")          \
                            X(schedule, "schedule") X(classesPerBatch, "classes_per_batch")        \
                                X(perClass, "per_class") X(views, "views")                         \
                                    X(unlabelledBatch, "unlabelled_batch") X(augment, "augment")   \
                                        X(steps, "steps") X(evalEvery, "eval_every")               \
                                            X(probe, "probe") X(snapshotEvery, "snapshot_every")   \
                                                X(snapshotMs, "snapshot_ms")                       \
                                                    X(histogramBins, "histogram_bins")             \
                                                        X(referenceLimit, "reference_limit")       \
                                                            X(checkpointEvery, "checkpoint_every")                                                         \
    X(exportDir, "export_dir")                                                                     \
    X(exportEvery, "export_every")
// clang-format on

std::string TrainConfig::toJson() const {
    nlohmann::json j;
#define CS_WRITE(field, key) j[key] = field;
    CS_FIELDS(CS_WRITE)
#undef CS_WRITE
    j["loss"] = lossName(loss);
    return j.dump(2);
}

TrainConfig TrainConfig::fromJson(const std::string& text, const std::string& sourceName,
                                  const TrainConfig& base) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throwAtByte(sourceName, e.byte, "invalid JSON");
    }
    if (!j.is_object()) throwInFile(sourceName, "expected a JSON object");
    TrainConfig c = base;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        try {
            bool known = false;
            if (key == "loss") {
                c.loss = parseLoss(it->get<std::string>());
                known = true;
            }
#define CS_READ(field, name)                                                                       \
    if (key == name) {                                                                             \
        c.field = it->get<decltype(c.field)>();                                                    \
        known = true;                                                                              \
    }
            CS_FIELDS(CS_READ)
#undef CS_READ
            if (!known) throwInFile(sourceName, "unknown key '" + key + "'");
        } catch (const nlohmann::json::exception&) {
            throwInFile(sourceName, "key '" + key + "' has the wrong type");
        } catch (const Error& e) {
            const std::string msg = e.what();
            if (msg.rfind(sourceName, 0) == 0) throw;
            throwInFile(sourceName, msg);
        }
    }
    try {
        c.validate();
    } catch (const Error& e) {
        throwInFile(sourceName, e.what());
    }
    return c;
}

TrainConfig TrainConfig::fromJson(const std::string& text, const std::string& sourceName) {
    return fromJson(text, sourceName, TrainConfig{});
}

const std::vector<std::string>& liveParameterNames() {
    static const std::vector<std::string> names = {
        "loss",          "temperature", "base_temperature",  "label_smoothing",
        "suncet_weight", "lr",          "momentum",          "weight_decay",
        "warmup",        "final_lr",    "classes_per_batch", "per_class"};
    return names;
}

double getLiveParameter(const TrainConfig& c, const std::string& name) {
    if (name == "loss") return double(int(c.loss));
    if (name == "temperature") return c.temperature;
    if (name == "base_temperature") return c.baseTemperature;
    if (name == "label_smoothing") return c.labelSmoothing;
    if (name == "suncet_weight") return c.suncetWeight;
    if (name == "lr") return c.lr;
    if (name == "momentum") return c.momentum;
    if (name == "weight_decay") return c.weightDecay;
    if (name == "warmup") return double(c.warmup);
    if (name == "final_lr") return c.finalLr;
    if (name == "classes_per_batch") return c.classesPerBatch;
    if (name == "per_class") return c.perClass;
    throw Error("'" + name + "' is not a live parameter (it needs a reset)");
}

void setLiveParameter(TrainConfig& c, const std::string& name, double v) {
    TrainConfig next = c;
    if (name == "loss") {
        if (v < 0 || v > 4 || v != std::floor(v)) throw Error("loss index must be 0..4");
        next.loss = LossKind(int(v));
    } else if (name == "temperature")
        next.temperature = v;
    else if (name == "base_temperature")
        next.baseTemperature = v;
    else if (name == "label_smoothing")
        next.labelSmoothing = v;
    else if (name == "suncet_weight")
        next.suncetWeight = v;
    else if (name == "lr")
        next.lr = v;
    else if (name == "momentum")
        next.momentum = v;
    else if (name == "weight_decay")
        next.weightDecay = v;
    else if (name == "warmup")
        next.warmup = std::int64_t(v);
    else if (name == "final_lr")
        next.finalLr = v;
    else if (name == "classes_per_batch")
        next.classesPerBatch = int(v);
    else if (name == "per_class")
        next.perClass = int(v);
    else
        throw Error("'" + name + "' is not a live parameter (it needs a reset)");
    next.validate();
    c = next;
}

} // namespace core
