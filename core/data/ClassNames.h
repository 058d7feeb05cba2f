#pragma once
/// Class names for datasets whose files carry only ids.

#include <filesystem>
#include <string>
#include <vector>

namespace core {

/// Names for `numClasses` classes of the dataset in `dir` called `name`: a `classes.txt` in
/// the folder (one name per line) wins; then known datasets (Fashion-MNIST, MNIST); else
/// "0".."C-1".
std::vector<std::string> classNamesFor(const std::filesystem::path& dir, const std::string& name,
                                       int numClasses);

/// Reads one name per non-empty line. Throws core::Error naming the file when unreadable.
std::vector<std::string> readNameList(const std::filesystem::path& file);

} // namespace core
