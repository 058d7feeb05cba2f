#pragma once
/// Reading whole files, with transparent gzip decompression and bounded output size.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace core {

using Bytes = std::vector<std::uint8_t>;

/// Reads a whole file; throws core::Error naming the file when it is missing or unreadable.
Bytes readFile(const std::filesystem::path& path);

/// True when the bytes start with the gzip magic 1f 8b.
bool isGzip(const Bytes& bytes);

/// Inflates a gzip stream. `name` is used in error messages. Output is capped at `maxOutput`
/// bytes so a hostile stream cannot exhaust memory.
Bytes gunzip(const Bytes& compressed, const std::string& name,
             std::uint64_t maxOutput = 4ull << 30);

/// readFile + gunzip when the content is gzip.
Bytes readMaybeGzip(const std::filesystem::path& path);

/// Writes bytes to a file; throws core::Error on failure.
void writeFile(const std::filesystem::path& path, const Bytes& bytes);

/// Big-endian 32-bit read at `offset` (caller checks bounds).
inline std::uint32_t readBE32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

} // namespace core
