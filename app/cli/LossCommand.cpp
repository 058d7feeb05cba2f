#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "Commands.h"
#include "core/io/Npy.h"
#include "core/loss/ArrayLoss.h"
#include "core/util/Error.h"

namespace cli {

Run addLossCommand(CLI::App& app) {
    struct Args {
        core::ArrayLossRequest request;
        std::string embeddings, labels, grad, dtype = "float32";
        double temperature = 0;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand(
        "loss", "Evaluate a loss (and its gradient) on embeddings from .npy files");
    cmd->add_option("--loss", args->request.loss, "suncet | supcon | supcon-in | ntxent")
        ->check(CLI::IsMember({"suncet", "supcon", "supcon-in", "ntxent"}))
        ->required();
    cmd->add_option("--embeddings", args->embeddings, "E.npy: [N, D] float32/float64")->required();
    cmd->add_option("--labels", args->labels, "L.npy: [N] integer labels (ignored by ntxent)");
    auto* tau = cmd->add_option("--temperature", args->temperature,
                                "Temperature (default: suncet 0.1, supcon 0.07, ntxent 0.5)")
                    ->check(CLI::Range(1e-4, 100.0));
    cmd->add_option("--base-temperature", args->request.baseTemperature, "SupCon base temperature")
        ->check(CLI::Range(1e-4, 100.0));
    cmd->add_option("--label-smoothing", args->request.labelSmoothing,
                    "SuNCEt label smoothing ε in [0, 1); C = classes present in the batch")
        ->check(CLI::Range(0.0, 0.999999));
    cmd->add_option("--dtype", args->dtype, "float32 | float64")
        ->check(CLI::IsMember({"float32", "float64"}));
    cmd->add_option("--grad", args->grad,
                    "Write dL/dE to this .npy (float64 with --dtype float64)");
    return [cmd, args, tau]() -> int {
        if (!*cmd) return -1;
        try {
            auto req = args->request;
            if (tau->count()) req.temperature = args->temperature;
            req.float64 = args->dtype == "float64";
            req.gradient = !args->grad.empty();
            const core::NpyArray e = core::readNpy(args->embeddings);
            std::optional<core::NpyArray> l;
            if (!args->labels.empty())
                l = core::readNpy(args->labels);
            else if (req.loss != "ntxent")
                throw core::Error("--labels is required for --loss " + req.loss);
            const auto r =
                core::evaluateArrayLoss(e, args->embeddings, l ? &*l : nullptr, args->labels, req);
            if (req.gradient) {
                const std::vector<std::uint64_t> shape{std::uint64_t(r.n), std::uint64_t(r.d)};
                if (req.float64)
                    core::writeNpy(args->grad, core::NpyType::F8, shape, r.gradient.data());
                else {
                    const std::vector<float> g(r.gradient.begin(), r.gradient.end());
                    core::writeNpy(args->grad, core::NpyType::F4, shape, g.data());
                }
            }
            nlohmann::json j;
            j["loss"] = r.loss;
            j["anchors_without_positives"] = r.anchorsWithoutPositives;
            j["n"] = r.n;
            std::cout << j.dump() << std::endl;
            return 0;
        } catch (const core::Error& e) {
            std::cerr << "error: " << e.what() << std::endl;
            return kBadInput;
        }
    };
}

} // namespace cli
