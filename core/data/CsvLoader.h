#pragma once
/// CSV of numeric features with a label column (and an optional `split` column).

#include <filesystem>
#include <string>

#include "core/data/Dataset.h"
#include "core/util/Progress.h"

namespace core {

/// Parses CSV text. The label column is the one headed label/class/y (any case), else the last
/// column; a `split` column (train/test) places rows. Labels that are all integers keep their
/// numeric order; other labels are names mapped to ids in sorted order. Throws core::Error
/// naming `name` and the line (1-based) of the first problem.
Dataset parseCsv(const std::string& text, const std::string& name, const LoadControl& control = {});

Dataset loadCsv(const std::filesystem::path& file, const LoadControl& control = {});

} // namespace core
