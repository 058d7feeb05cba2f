#pragma once
/// MNIST-family IDX files (raw or gzip): train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-*.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/util/FileBytes.h"
#include "core/util/Progress.h"

namespace core {

/// A parsed, validated IDX array of unsigned bytes.
struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data; ///< product(dims) bytes
};

/// Parses IDX bytes (already decompressed). `expectedDims` is 1 for labels, 3 for images.
/// Throws core::Error naming `name` and the byte offset of the first problem.
IdxArray parseIdx(const Bytes& bytes, const std::string& name, int expectedDims);

/// True when `dir` holds train images+labels IDX files.
bool looksLikeIdxFolder(const std::filesystem::path& dir);

/// Loads the four IDX files of an MNIST-family folder (test files optional).
Dataset loadIdxFolder(const std::filesystem::path& dir, const LoadControl& control = {});

} // namespace core
