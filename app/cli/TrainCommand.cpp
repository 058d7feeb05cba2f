#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "Commands.h"
#include "core/data/DatasetLoader.h"
#include "core/io/SnapshotExport.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"

namespace cli {

namespace {

std::atomic<bool> interrupted{false};

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::Error(path + ": cannot open");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string formatEta(double seconds) {
    char buf[32];
    const int s = int(seconds + 0.5);
    std::snprintf(buf, sizeof(buf), "%d:%02d", s / 60, s % 60);
    return buf;
}

void printMetrics(const char* prefix, const core::Metrics& m) {
    std::fprintf(stderr, "%sstep %lld: snn %.4f knn %.4f p@1 %.4f map@r %.4f (%lld refs, %.1fs)\n",
                 prefix, (long long)m.step, m.snnTop1, m.knnTop1, m.precisionAt1, m.mapAtR,
                 (long long)m.references, m.seconds);
}

} // namespace

Run addTrainCommand(CLI::App& app) {
    struct Args {
        core::TrainConfig c;
        std::string configFile, resume, loss = "suncet";
        double temperature = 0.1;
    };
    auto args = std::make_shared<Args>();
    auto& c = args->c;
    auto* cmd =
        app.add_subcommand("train", "Train an encoder headless; prints one JSON summary line");
    // Each option that was given on the command line overrides --config.
    auto flags = std::make_shared<
        std::vector<std::pair<CLI::Option*, std::function<void(core::TrainConfig&)>>>>();
    auto flag = [&](const std::string& name, auto core::TrainConfig::*member,
                    const std::string& help) {
        auto* o = cmd->add_option(name, c.*member, help);
        flags->emplace_back(
            o, [args, member](core::TrainConfig& target) { target.*member = args->c.*member; });
        return o;
    };
    flag("--dataset", &core::TrainConfig::dataset,
         "Dataset path or builtin:NAME (default: Fashion-MNIST if installed)");
    flag("--encoder", &core::TrainConfig::encoder, "mlp | cnn-small | resnet-tiny")
        ->check(CLI::IsMember({"mlp", "cnn-small", "resnet-tiny"}));
    flag("--embed-dim", &core::TrainConfig::embedDim, "Embedding dimension")
        ->check(CLI::Range(2, 4096));
    auto* lossOpt =
        cmd->add_option("--loss", args->loss,
                        "suncet | supcon | supcon-in | ntxent | simclr+suncet")
            ->check(CLI::IsMember({"suncet", "supcon", "supcon-in", "ntxent", "simclr+suncet"}));
    auto* tauOpt =
        cmd->add_option("--temperature", args->temperature, "Temperature (default per loss)")
            ->check(CLI::Range(0.001, 10.0));
    flag("--base-temperature", &core::TrainConfig::baseTemperature, "SupCon base temperature")
        ->check(CLI::Range(0.001, 10.0));
    flag("--label-smoothing", &core::TrainConfig::labelSmoothing, "SuNCEt label smoothing")
        ->check(CLI::Range(0.0, 0.999));
    flag("--suncet-weight", &core::TrainConfig::suncetWeight, "SimCLR+SuNCEt: weight of SuNCEt")
        ->check(CLI::Range(0.0, 100.0));
    flag("--suncet-steps", &core::TrainConfig::suncetSteps,
         "SimCLR+SuNCEt: SuNCEt off after this many steps (0 = never)");
    flag("--labelled-fraction", &core::TrainConfig::labelledFraction,
         "Fraction of train kept labelled")
        ->check(CLI::Range(1e-6, 1.0));
    flag("--classes-per-batch", &core::TrainConfig::classesPerBatch, "Classes per batch (C)")
        ->check(CLI::Range(1, 1000));
    flag("--per-class", &core::TrainConfig::perClass, "Images per class (P)")
        ->check(CLI::Range(1, 10000));
    flag("--views", &core::TrainConfig::views, "Views per image (1 or 2)")->check(CLI::Range(1, 2));
    flag("--unlabelled-batch", &core::TrainConfig::unlabelledBatch,
         "Unlabelled samples per step (NT-Xent part)")
        ->check(CLI::Range(2, 100000));
    flag("--augment", &core::TrainConfig::augment, "default | none")
        ->check(CLI::IsMember({"default", "none"}));
    flag("--steps", &core::TrainConfig::steps, "Training steps (0 = until interrupted)");
    flag("--optimizer", &core::TrainConfig::optimizer, "sgd | adamw")
        ->check(CLI::IsMember({"sgd", "adamw"}));
    auto* lrOpt =
        flag("--lr", &core::TrainConfig::lr, "Learning rate (default 0.1 for sgd, 1e-3 for adamw)");
    flag("--momentum", &core::TrainConfig::momentum, "SGD momentum")
        ->check(CLI::Range(0.0, 0.999999));
    flag("--nesterov", &core::TrainConfig::nesterov, "SGD Nesterov momentum (true/false)");
    flag("--weight-decay", &core::TrainConfig::weightDecay, "Weight decay")
        ->check(CLI::Range(0.0, 1.0));
    flag("--warmup", &core::TrainConfig::warmup, "Warm-up steps");
    flag("--final-lr", &core::TrainConfig::finalLr, "Learning rate at the end of the cosine");
    flag("--schedule", &core::TrainConfig::schedule, "cosine | constant")
        ->check(CLI::IsMember({"cosine", "constant"}));
    flag("--seed", &core::TrainConfig::seed, "Random seed");
    flag("--device", &core::TrainConfig::device, "auto | cpu | cuda | cuda:N");
    flag("--threads", &core::TrainConfig::threads, "Intra-op threads (0 = LibTorch default)")
        ->check(CLI::Range(0, 1024));
    flag("--eval-every", &core::TrainConfig::evalEvery,
         "Evaluate every K steps (0 = only at the end)");
    flag("--probe", &core::TrainConfig::probe, "Test points embedded in snapshots")
        ->check(CLI::Range(10, 1000000));
    flag("--export", &core::TrainConfig::exportDir,
         "Write snapshot folders here (always one at the end)");
    flag("--export-every", &core::TrainConfig::exportEvery, "Also export every K steps");
    cmd->add_option(
        "--resume", args->resume,
        "Continue the run saved in this snapshot folder (--steps is the total step count)");
    cmd->add_option("--config", args->configFile,
                    "run.json with the same keys (flags override it)");

    return [cmd, args, flags, lossOpt, tauOpt, lrOpt]() -> int {
        if (!*cmd) return -1;
        try {
            core::TrainConfig config;
            bool tauInConfig = false, lrInConfig = false;
            if (!args->resume.empty()) {
                // The snapshot's own settings, then any flags on top.
                config = core::readSnapshot(args->resume).config;
                tauInConfig = lrInConfig = true;
            } else if (!args->configFile.empty()) {
                const std::string text = readText(args->configFile);
                config = core::TrainConfig::fromJson(text, args->configFile);
                const auto j = nlohmann::json::parse(text);
                tauInConfig = j.contains("temperature");
                lrInConfig = j.contains("lr");
            } else {
                config.dataset = core::defaultDatasetSpec();
            }
            for (const auto& [opt, apply] : *flags)
                if (opt->count()) apply(config);
            if (lossOpt->count()) config.loss = core::parseLoss(args->loss);
            if (tauOpt->count())
                config.temperature = args->temperature;
            else if (!tauInConfig)
                config.temperature = core::defaultTemperature(config.loss);
            if (!lrOpt->count() && !lrInConfig && config.optimizer == "adamw") config.lr = 1e-3;
            // Headless: nobody watches the cloud, so snapshots come only with evaluations.
            config.snapshotEvery = 0;
            config.snapshotMs = 0;
            config.validate();

            core::LoadOptions load;
            load.labelledFraction = config.labelledFraction;
            load.seed = config.seed;
            auto dataset =
                std::make_shared<const core::Dataset>(core::loadDataset(config.dataset, load));
            core::Trainer trainer(dataset, config, args->resume);
            std::signal(SIGINT, [](int) { interrupted = true; });
            std::signal(SIGTERM, [](int) { interrupted = true; });
            trainer.start();

            const bool tty = isatty(STDERR_FILENO);
            // Evaluations are reported from the trainer's notification so none is missed
            // between polls; the progress bar is redrawn by this thread.
            auto printMutex = std::make_shared<std::mutex>();
            auto lastEval = std::make_shared<std::int64_t>(-1);
            trainer.setNotify([&trainer, printMutex, lastEval, tty] {
                const auto snap = trainer.latestSnapshot();
                if (!snap || !snap->metrics) return;
                std::lock_guard lock(*printMutex);
                if (snap->step == *lastEval) return;
                *lastEval = snap->step;
                printMetrics(tty ? "\n" : "", *snap->metrics);
            });
            core::TrainerState state;
            while (true) {
                state = trainer.state();
                if (state == core::TrainerState::Finished || state == core::TrainerState::Failed ||
                    state == core::TrainerState::Stopped || state == core::TrainerState::Paused)
                    break;
                if (interrupted) {
                    trainer.stop();
                    state = trainer.state();
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(tty ? 100 : 200));
                const auto records = trainer.recordsSince(trainer.stepsDone() - 1);
                if (tty && !records.empty()) {
                    std::lock_guard lock(*printMutex);
                    const auto& r = records.back();
                    const double done = double(r.step), total = double(config.steps);
                    const double sps =
                        trainer.trainingSeconds() > 0 ? done / trainer.trainingSeconds() : 0;
                    std::fprintf(
                        stderr, "\r[%lld/%lld] loss %.4f  %.0f samples/s  ETA %s   ",
                        (long long)r.step, (long long)config.steps, r.loss, r.samplesPerSecond,
                        total > 0 && sps > 0 ? formatEta((total - done) / sps).c_str() : "-");
                }
            }
            if (tty) std::fprintf(stderr, "\n");
            trainer.setNotify({});
            if (const auto fm = trainer.finalMetrics(); fm && fm->step != *lastEval)
                printMetrics("", *fm);
            if (state == core::TrainerState::Failed) throw core::Error(trainer.failure());

            nlohmann::json j;
            const std::int64_t steps = trainer.stepsDone();
            const double seconds = trainer.trainingSeconds();
            const auto all = trainer.recordsSince(0);
            double samples = 0;
            for (const auto& r : all)
                samples += r.samplesPerSecond * r.stepSeconds;
            j["state"] = core::stateName(state);
            j["steps"] = steps;
            j["seconds"] = seconds;
            // Steps run by this process (a resumed run starts past zero).
            j["steps_per_second"] = seconds > 0 ? double(all.size()) / seconds : 0.0;
            j["samples_per_second"] = seconds > 0 ? samples / seconds : 0.0;
            j["eval_seconds"] = trainer.evaluationSeconds();
            j["final_loss"] = all.empty() ? 0.0 : all.back().loss;
            const auto m = trainer.finalMetrics();
            const auto snap = trainer.latestSnapshot();
            const core::Metrics* metrics =
                m ? m.get() : (snap && snap->metrics ? &*snap->metrics : nullptr);
            j["snn_top1"] = metrics ? metrics->snnTop1 : 0.0;
            j["knn_top1"] = metrics ? metrics->knnTop1 : 0.0;
            j["precision_at_1"] = metrics ? metrics->precisionAt1 : 0.0;
            j["map_at_r"] = metrics ? metrics->mapAtR : 0.0;
            j["eval_queries"] = metrics ? metrics->queries : 0;
            j["eval_references"] = metrics ? metrics->references : 0;
            j["device"] = trainer.device();
            j["dataset"] = config.dataset;
            j["encoder"] = config.encoder;
            j["loss"] = core::lossName(config.loss);
            j["temperature"] = config.temperature;
            j["threads"] = config.threads;
            j["events"] = nlohmann::json::array();
            for (const auto& e : trainer.eventsSince(0)) {
                if (e.name == "export") j["export"] = e.message;
                if (e.name == "export_failed") std::cerr << "error: " << e.message << std::endl;
                j["events"].push_back({{"step", e.step},
                                       {"name", e.name},
                                       {"old", e.oldValue},
                                       {"new", e.newValue},
                                       {"message", e.message}});
            }
            std::cout << j.dump() << std::endl;
            if (state == core::TrainerState::Paused) {
                const auto events = trainer.eventsSince(0);
                std::cerr << "error: "
                          << (events.empty() ? "training paused" : events.back().message)
                          << std::endl;
                return 3;
            }
            return interrupted ? 130 : 0;
        } catch (const core::Error& e) {
            std::cerr << "error: " << e.what() << std::endl;
            return kBadInput;
        }
    };
}

} // namespace cli
