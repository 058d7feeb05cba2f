#pragma once
/// The single entry point for datasets: a spec is a path (format detected from content) or
/// `builtin:NAME[?k=v&...]`.

#include <cstdint>
#include <string>

#include "core/data/Dataset.h"
#include "core/util/Progress.h"

namespace core {

struct LoadOptions {
    double labelledFraction = 1.0;       ///< (0, 1]; the rest of train is marked unlabelled
    double testFraction = 0.2;           ///< held out from train when the source has no test split
    int imageHeight = 0, imageWidth = 0; ///< image folders: 0 = most common size
    std::uint64_t seed = 0;              ///< for labelled-fraction and test-split selection
};

/// The format a spec would load as: idx, cifar10, cifar100, imagefolder, csv, npy, builtin.
/// Throws core::Error naming the path when nothing matches.
std::string detectFormat(const std::string& spec);

/// Loads, validates and post-processes (test split, labelled fraction) a dataset.
Dataset loadDataset(const std::string& spec, const LoadOptions& options = {},
                    const LoadControl& control = {});

/// The default dataset: Debian's Fashion-MNIST when installed, else builtin:shapes.
std::string defaultDatasetSpec();

/// {"format", "train", "test", "classes", "shape", "class_names", "labelled_fraction", ...}
std::string summaryJson(const Dataset& ds);

} // namespace core
