#pragma once
/// NumPy .npy files (format 1.0–3.0): strict reading, and writing v1.0 in C order.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/util/FileBytes.h"

namespace core {

/// Element types we read and write.
enum class NpyType { U1, I4, I8, F4, F8 };

/// "<f4" style descriptor of a type.
const char* npyDescr(NpyType t);
std::size_t npyItemSize(NpyType t);

/// A parsed .npy array; `data` holds the raw little-endian elements.
struct NpyArray {
    NpyType type = NpyType::F4;
    std::vector<std::uint64_t> shape;
    Bytes data;

    [[nodiscard]] std::uint64_t count() const;
    /// Elements converted to double / int64 (any stored type).
    [[nodiscard]] std::vector<double> toDouble() const;
    [[nodiscard]] std::vector<float> toFloat() const;
    [[nodiscard]] std::vector<std::int64_t> toInt64(const std::string& name) const;
};

/// Parses bytes; throws core::Error naming `name` and the byte offset of the first problem
/// (magic, version, header dict, unsupported dtype, Fortran order, size mismatch).
NpyArray parseNpy(const Bytes& bytes, const std::string& name);
NpyArray readNpy(const std::filesystem::path& path);

/// Serialises v1.0 with the header padded so the data starts at a multiple of 64 bytes.
Bytes encodeNpy(NpyType type, const std::vector<std::uint64_t>& shape, const void* data);
void writeNpy(const std::filesystem::path& path, NpyType type,
              const std::vector<std::uint64_t>& shape, const void* data);

} // namespace core
