#include "core/train/Engine.h"

#include <ATen/Parallel.h>

#include <chrono>
#include <fstream>
#include <limits>
#include <mutex>

#include "core/loss/Losses.h"
#include "core/metrics/ProbeStats.h"
#include "core/project/Projection.h"
#include "core/train/Schedule.h"
#include "core/util/Error.h"
#include "core/util/TorchInfo.h"

namespace core {

namespace {

/// Evenly strided, deterministic subset of [0, n) with at most `limit` rows (all when limit = 0).
torch::Tensor strided(std::int64_t n, std::int64_t limit) {
    if (limit <= 0 || limit >= n) return torch::arange(n, torch::kLong);
    return (torch::arange(limit, torch::kDouble) * (double(n) / double(limit)))
        .floor()
        .to(torch::kLong);
}

/// True when every element of every tensor is finite (one reduction, one sync).
bool allFinite(const std::vector<torch::Tensor>& tensors) {
    torch::Tensor acc;
    for (const auto& t : tensors) {
        if (!t.defined()) continue;
        const torch::Tensor s = t.sum().to(torch::kDouble);
        acc = acc.defined() ? acc + s : s;
    }
    return !acc.defined() || std::isfinite(acc.item<double>());
}

std::vector<float> toFloats(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

std::vector<std::int64_t> toLongs(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU).to(torch::kLong).contiguous();
    return std::vector<std::int64_t>(c.data_ptr<std::int64_t>(),
                                     c.data_ptr<std::int64_t>() + c.numel());
}

/// Per point: the fraction of its k nearest neighbours in 3D (Euclidean) that are also among
/// its k nearest in the embedding space (`neighbours`, [N × k] from similarityDiagnostics).
std::vector<float> knnAgreement(const std::vector<std::int64_t>& neighbours, int k,
                                const std::vector<float>& xyz) {
    const std::int64_t n = std::int64_t(xyz.size() / 3);
    if (k <= 0 || neighbours.size() != std::size_t(n) * std::size_t(k))
        return std::vector<float>(std::size_t(n), 1.0f);
    std::vector<std::int64_t> near(neighbours.size(), -1);
    at::parallel_for(0, n, 256, [&](std::int64_t r0, std::int64_t r1) {
        nearestIn3d(xyz.data(), n, k, r0, r1, near.data());
    });
    std::vector<float> out(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto* a = neighbours.data() + i * k;
        const auto* b = near.data() + i * k;
        int common = 0;
        for (int u = 0; u < k; ++u)
            common += std::find(b, b + k, a[u]) != b + k ? 1 : 0;
        out[std::size_t(i)] = float(common) / float(k);
    }
    return out;
}

} // namespace

Engine::Engine(std::shared_ptr<const Dataset> dataset, const TrainConfig& config)
    : dataset_(std::move(dataset)), config_(config), device_(torch::kCPU) {
    config_.validate();
    device_ = torch::Device(resolveDevice(config_.device));
    setTorchThreads(config_.threads);
    const Dataset& ds = *dataset_;
    auto options = ContrastiveNetOptions()
                       .encoder(config_.encoder)
                       .channels(ds.isImage() ? ds.channels : 0)
                       .height(ds.height)
                       .width(ds.width)
                       .featureDim(ds.featureDim)
                       .embedDim(config_.embedDim);
    checkEncoderFits(options);
    {
        // Parameter initialisation draws from torch's global generator: seed it and build the
        // model without another engine interleaving.
        static std::mutex initMutex;
        std::lock_guard lock(initMutex);
        torch::manual_seed(config_.seed);
        model_ = ContrastiveNet(options);
    }
    model_->to(device_);
    batches_ = std::make_unique<BatchBuilder>(
        ds, device_, defaultAugment(ds, config_.encoder, config_.augment == "default"),
        config_.seed * 2654435761ull + 17);
    labelled_ = std::make_unique<StratifiedSampler>(ds.train.labels, ds.numClasses(),
                                                    config_.seed + 1, ds.train.labelled);
    unlabelled_ = std::make_unique<UniformSampler>(ds.train.size(), config_.seed + 2);
    buildOptimizer();
    checkpoint();
}

void Engine::buildOptimizer() {
    if (config_.optimizer == "adamw")
        optimizer_ = std::make_unique<torch::optim::AdamW>(
            model_->parameters(),
            torch::optim::AdamWOptions(config_.lr).weight_decay(config_.weightDecay));
    else
        optimizer_ = std::make_unique<torch::optim::SGD>(
            model_->parameters(), torch::optim::SGDOptions(config_.lr)
                                      .momentum(config_.momentum)
                                      .nesterov(config_.nesterov && config_.momentum > 0)
                                      .weight_decay(config_.weightDecay));
}

void Engine::applyOptimizerParams(double lr) {
    for (auto& group : optimizer_->param_groups()) {
        if (config_.optimizer == "adamw") {
            auto& o = static_cast<torch::optim::AdamWOptions&>(group.options());
            o.lr(lr);
            o.weight_decay(config_.weightDecay);
        } else {
            auto& o = static_cast<torch::optim::SGDOptions&>(group.options());
            o.lr(lr);
            o.momentum(config_.momentum);
            o.nesterov(config_.nesterov && config_.momentum > 0);
            o.weight_decay(config_.weightDecay);
        }
    }
}

torch::Tensor Engine::computeLoss(const TrainConfig& c, StepRecord& rec) {
    const int views = c.views;
    std::int64_t samples = 0;
    torch::Tensor total;
    auto supervised = [&](const torch::Tensor& z, const torch::Tensor& y, int v) {
        LossOutput out;
        if (c.loss == LossKind::SupConOut || c.loss == LossKind::SupConIn)
            out = supcon(z, y,
                         {c.temperature, c.baseTemperature,
                          c.loss == LossKind::SupConIn ? SupConVariant::In : SupConVariant::Out,
                          ContrastMode::All, v});
        else
            out = suncet(z, y, {c.temperature, c.labelSmoothing});
        rec.anchorsWithoutPositives += out.anchorsWithoutPositives;
        return out.loss;
    };
    switch (c.loss) {
    case LossKind::SuNCEt:
    case LossKind::SupConOut:
    case LossKind::SupConIn: {
        const auto idx = labelled_->next(c.classesPerBatch, c.perClass);
        const torch::Tensor z = model_->forward(batches_->trainBatch(idx, views));
        total = supervised(z, batches_->trainLabels(idx, views), views);
        rec.components[lossName(c.loss)] = total.item<double>();
        samples = std::int64_t(idx.size()) * views;
        break;
    }
    case LossKind::NTXent: {
        const auto idx = unlabelled_->next(c.classesPerBatch * c.perClass);
        const torch::Tensor z = model_->forward(batches_->trainBatch(idx, 2));
        total = ntxent(z, {c.temperature}).loss;
        rec.components["ntxent"] = total.item<double>();
        samples = std::int64_t(idx.size()) * 2;
        break;
    }
    case LossKind::SimCLRSuNCEt: {
        const auto uidx = unlabelled_->next(c.unlabelledBatch);
        const torch::Tensor xu = batches_->trainBatch(uidx, 2);
        const bool supervisedOn = c.suncetSteps == 0 || step_ < c.suncetSteps;
        samples = std::int64_t(uidx.size()) * 2;
        if (supervisedOn && c.suncetWeight > 0) {
            const auto lidx = labelled_->next(c.classesPerBatch, c.perClass);
            const torch::Tensor xl = batches_->trainBatch(lidx, views);
            const torch::Tensor z = model_->forward(torch::cat({xu, xl}, 0));
            const torch::Tensor lu = ntxent(z.narrow(0, 0, xu.size(0)), {c.temperature}).loss;
            const torch::Tensor ls =
                suncet(z.narrow(0, xu.size(0), xl.size(0)), batches_->trainLabels(lidx, views),
                       {c.temperature, c.labelSmoothing})
                    .loss;
            rec.components["ntxent"] = lu.item<double>();
            rec.components["suncet"] = ls.item<double>();
            total = lu + c.suncetWeight * ls;
            samples += std::int64_t(lidx.size()) * views;
        } else {
            total = ntxent(model_->forward(xu), {c.temperature}).loss;
            rec.components["ntxent"] = total.item<double>();
        }
        break;
    }
    }
    rec.samplesPerSecond = double(samples); // divided by the step time by the caller
    return total;
}

Engine::StepResult Engine::step(const TrainConfig& config) {
    StepResult result;
    config_ = config;
    StepRecord& rec = result.record;
    const auto t0 = std::chrono::steady_clock::now();
    const double lr = learningRate(config_, step_);
    applyOptimizerParams(lr);
    model_->train();
    optimizer_->zero_grad();
    const torch::Tensor loss = computeLoss(config_, rec);
    const double value = loss.item<double>();
    // Only the loss is checked every step: gradients or weights that turn non-finite make the
    // next step's loss non-finite, and checkpoints are only taken of finite weights (a scan of
    // every gradient and weight each step costs two synchronising passes over the model).
    const bool finite = std::isfinite(value);
    if (finite) {
        loss.backward();
        optimizer_->step();
    } else {
        result.problem = "loss is " + std::string(std::isnan(value) ? "NaN" : "infinite");
    }
    if (!finite) {
        restoreCheckpoint();
        result.nonFinite = true;
        rec.step = step_;
        rec.loss = value;
        rec.lr = lr;
        return result;
    }
    ++step_;
    if (step_ % config_.checkpointEvery == 0) checkpoint();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rec.step = step_;
    rec.lr = lr;
    rec.loss = value;
    rec.samplesPerSecond = seconds > 0 ? rec.samplesPerSecond / seconds : 0.0;
    rec.stepSeconds = seconds;
    return result;
}

torch::Tensor Engine::embed(bool test, std::int64_t n, bool backbone, const StopCheck& stop) {
    const std::int64_t size = batches_->size(test);
    const torch::Tensor rows = strided(size, n);
    torch::NoGradGuard noGrad;
    model_->eval();
    std::vector<torch::Tensor> parts;
    constexpr std::int64_t chunk = 1024;
    for (std::int64_t s = 0; s < rows.size(0); s += chunk) {
        if (stop && stop()) {
            model_->train();
            throw Cancelled();
        }
        const torch::Tensor x =
            batches_->evalRows(test, rows.narrow(0, s, std::min(chunk, rows.size(0) - s)));
        parts.push_back(backbone ? model_->features(x) : model_->forward(x));
    }
    model_->train();
    if (parts.empty())
        return torch::zeros({0, config_.embedDim}, torch::TensorOptions().device(device_));
    const torch::Tensor z = torch::cat(parts, 0);
    return z / z.norm(2, 1, true).clamp_min(1e-12);
}

Metrics Engine::evaluate(std::int64_t referenceLimit, const StopCheck& stop) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::int64_t nTest = batches_->size(true), nTrain = batches_->size(false);
    const torch::Tensor q = embed(true, nTest, false, stop);
    const torch::Tensor r = embed(false, referenceLimit, false, stop);
    const torch::Tensor yr =
        batches_->labels(false).index_select(0, strided(nTrain, referenceLimit).to(device_));
    Metrics m = retrievalMetrics(q, batches_->labels(true), r, yr, dataset_->numClasses(), stop);
    m.step = step_;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return m;
}

Snapshot Engine::snapshot(std::optional<Metrics> metrics, const StopCheck& stop) {
    Snapshot snap;
    snap.step = step_;
    const std::int64_t nTest = batches_->size(true);
    const bool useTest = nTest > 0;
    const std::int64_t n = std::min<std::int64_t>(config_.probe, batches_->size(useTest));
    const torch::Tensor rows = strided(batches_->size(useTest), n);
    const torch::Tensor head = embed(useTest, n, false, stop);
    const torch::Tensor shown =
        config_.visualize == "backbone" ? embed(useTest, n, true, stop) : head;
    const torch::Tensor labels = batches_->labels(useTest).index_select(0, rows.to(device_));
    snap.dim = int(shown.size(1));
    snap.embeddings = toFloats(shown);
    snap.labels = toLongs(labels);
    snap.indices = toLongs(rows);
    constexpr int kAgreement = 10;
    const std::vector<std::int64_t> neighbours = similarityDiagnostics(
        shown, labels, dataset_->numClasses(), config_.histogramBins, snap, kAgreement);
    const int k = int(std::min<std::int64_t>(kAgreement, std::max<std::int64_t>(n - 1, 0)));
    {
        torch::NoGradGuard noGrad;
        const auto out = suncet(head, labels, {config_.temperature, 0.0});
        snap.perPointLoss = toFloats(out.perAnchor);
    }
    snap.metrics = metrics;
    // Projections for the 3D view, aligned to the previous snapshot so the cloud moves smoothly.
    const core::ConstRowMatrix x(snap.embeddings.data(), shown.size(0), shown.size(1));

    auto finish = [&](Projection3D p, Eigen::MatrixXf& previous, Snapshot::Projection& out) {
        alignTo(p, previous);
        previous = p.points;
        out.explained = p.explained;
        out.points.resize(std::size_t(p.points.rows()) * 3);
        for (Eigen::Index i = 0; i < p.points.rows(); ++i)
            for (int k = 0; k < 3; ++k)
                out.points[std::size_t(i) * 3 + std::size_t(k)] = p.points(i, k);
        out.knnAgreement = knnAgreement(neighbours, k, out.points);
    };
    finish(pca3(x), previousPca_, snap.pca);
    finish(lda3(x, snap.labels, dataset_->numClasses()), previousLda_, snap.lda);
    return snap;
}

void Engine::saveState(const std::filesystem::path& folder) {
    torch::save(model_, (folder / "model.pt").string());
    torch::save(*optimizer_, (folder / "optimizer.pt").string());
    torch::save(batches_->generatorState(), (folder / "rng.pt").string());
    std::ofstream sampler(folder / "sampler.txt", std::ios::trunc);
    sampler << labelled_->saveState() << '\n' << unlabelled_->saveState() << '\n';
    if (!sampler) throw Error((folder / "sampler.txt").string() + ": write failed");
}

void Engine::loadState(const std::filesystem::path& folder, std::int64_t step) {
    auto require = [&](const char* name) {
        const auto p = folder / name;
        if (!std::filesystem::is_regular_file(p))
            throw Error(p.string() + ": missing (cannot resume without it)");
        return p.string();
    };
    const std::string modelFile = require("model.pt"), optimizerFile = require("optimizer.pt"),
                      rngFile = require("rng.pt"), samplerFile = require("sampler.txt");
    try {
        torch::load(model_, modelFile, device_);
    } catch (const std::exception&) {
        throw Error(modelFile + ": not weights of a " + config_.encoder + " with embed dim " +
                    std::to_string(config_.embedDim) + " for this dataset");
    }
    try {
        torch::load(*optimizer_, optimizerFile);
        torch::Tensor gen;
        torch::load(gen, rngFile);
        batches_->setGeneratorState(gen);
    } catch (const std::exception& e) {
        throw Error(folder.string() + ": optimizer.pt or rng.pt unreadable");
    }
    std::ifstream in(samplerFile);
    std::string labelled, unlabelled;
    if (!std::getline(in, labelled) || !std::getline(in, unlabelled))
        throw Error(samplerFile + ": truncated");
    try {
        labelled_->loadState(labelled);
        unlabelled_->loadState(unlabelled);
    } catch (const Error& e) {
        throw Error(samplerFile + ": " + e.what());
    }
    step_ = step;
    checkpoints_.clear();
    checkpoint();
}

void Engine::checkpoint() {
    if (!allFinite(model_->parameters())) return; // diverging: the next step's loss will say so
    constexpr std::size_t kKept = 4;              // the initial weights + the newest three
    std::ostringstream m, o;
    torch::save(model_, m);
    torch::save(*optimizer_, o);
    if (checkpoints_.size() > kKept) checkpoints_.erase(checkpoints_.begin() + 1);
    checkpoints_.push_back({step_, m.str(), o.str()});
}

bool Engine::restore(const Checkpoint& c) {
    std::istringstream m(c.model), o(c.optimizer);
    torch::load(model_, m, device_);
    torch::load(*optimizer_, o);
    // Probe: a forward pass on a fresh batch in train mode (as the next step will run).
    torch::NoGradGuard noGrad;
    StepRecord probe;
    model_->train();
    const bool ok = std::isfinite(computeLoss(config_, probe).item<double>());
    // The probe moved BatchNorm's running statistics: load the weights once more.
    std::istringstream m2(c.model);
    torch::load(model_, m2, device_);
    return ok;
}

void Engine::restoreCheckpoint() {
    while (checkpoints_.size() > 1 && !restore(checkpoints_.back()))
        checkpoints_.pop_back();
    if (checkpoints_.size() == 1) restore(checkpoints_.front());
    restoredStep_ = checkpoints_.back().step;
}

} // namespace core
