#pragma once
/// A folder of .npy arrays: X.npy + y.npy, or X_train/y_train/X_test/y_test.npy.

#include <filesystem>

#include "core/data/Dataset.h"
#include "core/util/Progress.h"

namespace core {

bool looksLikeNpyFolder(const std::filesystem::path& dir);

/// X may be [N, D] features (any dtype; stored as float) or uint8 images [N, H, W] / [N, C, H, W].
/// y is [N] integer (or integral float). Class names from classes.txt when present.
Dataset loadNpyFolder(const std::filesystem::path& dir, const LoadControl& control = {});

} // namespace core
