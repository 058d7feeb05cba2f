#pragma once
/// CIFAR-10 / CIFAR-100 binary batches.

#include <filesystem>
#include <string>

#include "core/data/Dataset.h"
#include "core/util/FileBytes.h"
#include "core/util/Progress.h"

namespace core {

/// Record layout of a CIFAR binary file.
struct CifarLayout {
    int labelBytes = 1;  ///< 1 for CIFAR-10, 2 for CIFAR-100 (coarse, fine)
    int labelIndex = 0;  ///< which label byte to use (CIFAR-100 fine = 1)
    int numClasses = 10; ///< labels must be below this
};

/// Appends the records of one binary batch to `split`; throws core::Error naming `name` and
/// the byte offset of the first bad record.
void parseCifarBatch(const Bytes& bytes, const std::string& name, const CifarLayout& layout,
                     Split& split);

/// "cifar10", "cifar100" or "" for a folder.
std::string detectCifarFolder(const std::filesystem::path& dir);

Dataset loadCifarFolder(const std::filesystem::path& dir, const LoadControl& control = {});

} // namespace core
