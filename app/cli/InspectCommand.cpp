#include <iostream>
#include <memory>

#include "Commands.h"
#include "core/data/DatasetLoader.h"
#include "core/util/Error.h"

namespace cli {

Run addInspectCommand(CLI::App& app) {
    struct Args {
        std::string spec;
        core::LoadOptions load;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("inspect", "Load a dataset and print a JSON summary");
    cmd->add_option("dataset", args->spec, "Dataset path or builtin:NAME[?k=v&...]")->required();
    cmd->add_option("--labelled-fraction", args->load.labelledFraction,
                    "Fraction of train kept labelled (0,1]")
        ->check(CLI::Range(1e-6, 1.0));
    cmd->add_option("--test-fraction", args->load.testFraction,
                    "Held-out fraction when the source has no test split")
        ->check(CLI::Range(0.0, 0.9));
    cmd->add_option("--image-height", args->load.imageHeight,
                    "Image folders: target height (0 = most common)")
        ->check(CLI::Range(0, 1024));
    cmd->add_option("--image-width", args->load.imageWidth,
                    "Image folders: target width (0 = most common)")
        ->check(CLI::Range(0, 1024));
    cmd->add_option("--seed", args->load.seed, "Seed for splits and labelled subsets");
    return [cmd, args]() -> int {
        if (!*cmd) return -1;
        try {
            const core::Dataset ds = core::loadDataset(args->spec, args->load);
            std::cout << core::summaryJson(ds) << std::endl;
            return 0;
        } catch (const core::Error& e) {
            std::cerr << "error: " << e.what() << std::endl;
            return kBadInput;
        }
    };
}

Run addDefaultDatasetCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "default-dataset",
        "Print the default dataset spec (Fashion-MNIST if installed, else builtin:shapes)");
    return [cmd]() -> int {
        if (!*cmd) return -1;
        std::cout << core::defaultDatasetSpec() << std::endl;
        return 0;
    };
}

} // namespace cli
