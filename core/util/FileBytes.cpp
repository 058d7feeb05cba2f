#include "core/util/FileBytes.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/util/Error.h"

namespace core {

Bytes readFile(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throwInFile(name, "file not found");
    if (std::filesystem::is_directory(path, ec)) throwInFile(name, "is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throwInFile(name, std::string("cannot open: ") + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) throwInFile(name, "cannot determine file size");
    in.seekg(0, std::ios::beg);
    Bytes bytes(static_cast<std::size_t>(size));
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
        throwInFile(name, "read failed");
    return bytes;
}

bool isGzip(const Bytes& bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

Bytes gunzip(const Bytes& compressed, const std::string& name, std::uint64_t maxOutput) {
    z_stream zs{};
    // 16 + MAX_WBITS: expect a gzip header.
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throwInFile(name, "zlib initialisation failed");
    Bytes out;
    // The gzip trailer stores the uncompressed size mod 2^32: a hint only, capped.
    std::size_t hint = compressed.size() * 4;
    if (compressed.size() >= 18) {
        const auto* t = compressed.data() + compressed.size() - 4;
        const std::uint64_t isize = std::uint64_t(t[0]) | (std::uint64_t(t[1]) << 8) |
                                    (std::uint64_t(t[2]) << 16) | (std::uint64_t(t[3]) << 24);
        if (isize < maxOutput && isize < compressed.size() * 1032ull) hint = isize;
    }
    out.reserve(std::min<std::uint64_t>(hint, maxOutput));
    zs.next_in = const_cast<Bytef*>(compressed.data());
    zs.avail_in = static_cast<uInt>(compressed.size());
    std::uint8_t chunk[1 << 16];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            const auto offset = zs.total_in;
            const std::string msg = zs.msg ? zs.msg : "corrupt data";
            inflateEnd(&zs);
            if (rc == Z_BUF_ERROR) throwAtByte(name, offset, "gzip stream is truncated");
            throwAtByte(name, offset, "gzip error: " + msg);
        }
        const std::size_t produced = sizeof(chunk) - zs.avail_out;
        if (out.size() + produced > maxOutput) {
            inflateEnd(&zs);
            throwInFile(name, "gzip content larger than " + std::to_string(maxOutput) + " bytes");
        }
        out.insert(out.end(), chunk, chunk + produced);
        if (rc != Z_STREAM_END && zs.avail_in == 0 && produced == 0) {
            const auto offset = zs.total_in;
            inflateEnd(&zs);
            throwAtByte(name, offset, "gzip stream is truncated");
        }
    }
    inflateEnd(&zs);
    return out;
}

Bytes readMaybeGzip(const std::filesystem::path& path) {
    Bytes raw = readFile(path);
    if (isGzip(raw)) return gunzip(raw, path.string());
    return raw;
}

void writeFile(const std::filesystem::path& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throwInFile(path.string(), std::string("cannot open for writing: ") + std::strerror(errno));
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throwInFile(path.string(), "write failed (disk full?)");
}

} // namespace core
