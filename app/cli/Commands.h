#pragma once
/// The subcommands of contrastscope-cli. Each registers its options on the app and returns the
/// function to run after parsing; that function returns the process exit code.

#include <CLI/CLI.hpp>

#include <functional>

namespace cli {

using Run = std::function<int()>;

/// `inspect DATASET`: one JSON summary line on stdout.
Run addInspectCommand(CLI::App& app);

/// `default-dataset`: the spec the app opens with no arguments.
Run addDefaultDatasetCommand(CLI::App& app);

/// `loss`: evaluate a loss on .npy embeddings; one JSON line, optional gradient file.
Run addLossCommand(CLI::App& app);

/// `train`: headless training; progress on stderr, one JSON summary line on stdout.
Run addTrainCommand(CLI::App& app);

/// Exit code for bad input (a one-line error went to stderr).
constexpr int kBadInput = 2;

} // namespace cli
