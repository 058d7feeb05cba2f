#include "core/io/Npy.h"

#include <cmath>
#include <cstring>

#include "core/util/Error.h"

namespace core {

const char* npyDescr(NpyType t) {
    switch (t) {
    case NpyType::U1:
        return "|u1";
    case NpyType::I4:
        return "<i4";
    case NpyType::I8:
        return "<i8";
    case NpyType::F4:
        return "<f4";
    case NpyType::F8:
        return "<f8";
    }
    return "";
}

std::size_t npyItemSize(NpyType t) {
    switch (t) {
    case NpyType::U1:
        return 1;
    case NpyType::I4:
        return 4;
    case NpyType::I8:
        return 8;
    case NpyType::F4:
        return 4;
    case NpyType::F8:
        return 8;
    }
    return 0;
}

std::uint64_t NpyArray::count() const {
    std::uint64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

namespace {
template <typename Out, typename F> std::vector<Out> convert(const NpyArray& a, F&& f) {
    const std::uint64_t n = a.count();
    std::vector<Out> out(n);
    const auto* p = a.data.data();
    for (std::uint64_t i = 0; i < n; ++i) {
        switch (a.type) {
        case NpyType::U1:
            out[i] = f(double(p[i]), std::int64_t(p[i]));
            break;
        case NpyType::I4: {
            std::int32_t v;
            std::memcpy(&v, p + 4 * i, 4);
            out[i] = f(double(v), std::int64_t(v));
            break;
        }
        case NpyType::I8: {
            std::int64_t v;
            std::memcpy(&v, p + 8 * i, 8);
            out[i] = f(double(v), v);
            break;
        }
        case NpyType::F4: {
            float v;
            std::memcpy(&v, p + 4 * i, 4);
            out[i] = f(double(v), std::int64_t(0));
            break;
        }
        case NpyType::F8: {
            double v;
            std::memcpy(&v, p + 8 * i, 8);
            out[i] = f(v, std::int64_t(0));
            break;
        }
        }
    }
    return out;
}
} // namespace

std::vector<double> NpyArray::toDouble() const {
    return convert<double>(*this, [](double d, std::int64_t) { return d; });
}

std::vector<float> NpyArray::toFloat() const {
    return convert<float>(*this, [](double d, std::int64_t) { return float(d); });
}

std::vector<std::int64_t> NpyArray::toInt64(const std::string& name) const {
    if (type == NpyType::F4 || type == NpyType::F8) {
        const auto d = toDouble();
        std::vector<std::int64_t> out(d.size());
        for (std::size_t i = 0; i < d.size(); ++i) {
            if (!std::isfinite(d[i]) || d[i] != std::floor(d[i]) || std::fabs(d[i]) > 1e15)
                throwInFile(name, "element " + std::to_string(i) + " (" + std::to_string(d[i]) +
                                      ") is not an integer label");
            out[i] = std::int64_t(d[i]);
        }
        return out;
    }
    return convert<std::int64_t>(*this, [](double, std::int64_t v) { return v; });
}

NpyArray parseNpy(const Bytes& bytes, const std::string& name) {
    static const std::uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (bytes.empty()) throwInFile(name, "file is empty");
    if (bytes.size() < 10 || std::memcmp(bytes.data(), magic, 6) != 0)
        throwAtByte(name, 0, "not a .npy file (bad magic)");
    const int major = bytes[6];
    std::size_t headerLen = 0, headerStart = 0;
    if (major == 1) {
        headerLen = std::size_t(bytes[8]) | (std::size_t(bytes[9]) << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throwAtByte(name, 8, "truncated .npy header");
        headerLen = std::size_t(bytes[8]) | (std::size_t(bytes[9]) << 8) |
                    (std::size_t(bytes[10]) << 16) | (std::size_t(bytes[11]) << 24);
        headerStart = 12;
    } else {
        throwAtByte(name, 6, "unsupported .npy version " + std::to_string(major));
    }
    if (headerLen > bytes.size() - headerStart)
        throwAtByte(name, 8, "header length " + std::to_string(headerLen) + " exceeds the file");
    const std::string header(reinterpret_cast<const char*>(bytes.data() + headerStart), headerLen);

    if (headerLen > 65536)
        throwAtByte(name, 8, "header length " + std::to_string(headerLen) + " is implausible");
    // The value text after "'key':" (spaces skipped), or npos.
    auto valueOf = [&header](const char* key) -> std::size_t {
        const std::size_t k = header.find(std::string("'") + key + "'");
        if (k == std::string::npos) return k;
        std::size_t p = k + std::strlen(key) + 2;
        while (p < header.size() && header[p] == ' ')
            ++p;
        if (p >= header.size() || header[p] != ':') return std::string::npos;
        ++p;
        while (p < header.size() && header[p] == ' ')
            ++p;
        return p < header.size() ? p : std::string::npos;
    };
    std::size_t v = valueOf("descr");
    if (v == std::string::npos || header[v] != '\'')
        throwAtByte(name, headerStart, "header has no valid 'descr'");
    const std::size_t close = header.find('\'', v + 1);
    const std::string descr = close == std::string::npos ? "" : header.substr(v + 1, close - v - 1);
    if (descr.size() < 3) throwAtByte(name, headerStart, "header has no valid 'descr'");
    const std::string order = descr.substr(0, 1), kind = descr.substr(1, 1), size = descr.substr(2);
    NpyArray out;
    const std::string code = kind + size;
    if (code == "u1" || code == "b1")
        out.type = NpyType::U1;
    else if (code == "i4")
        out.type = NpyType::I4;
    else if (code == "i8")
        out.type = NpyType::I8;
    else if (code == "f4")
        out.type = NpyType::F4;
    else if (code == "f8")
        out.type = NpyType::F8;
    else
        throwAtByte(name, headerStart,
                    "unsupported dtype '" + order + code + "' (u1, i4, i8, f4, f8)");
    if (order != "<" && order != "|" && order != "=" && order != ">")
        throwAtByte(name, headerStart, "malformed 'descr' '" + descr + "'");
    if (order == ">" && out.type != NpyType::U1)
        throwAtByte(name, headerStart, "big-endian data is not supported");
    v = valueOf("fortran_order");
    if (v == std::string::npos) throwAtByte(name, headerStart, "header has no 'fortran_order'");
    if (header.compare(v, 4, "True") == 0)
        throwAtByte(name, headerStart, "Fortran-order arrays are not supported");
    if (header.compare(v, 5, "False") != 0)
        throwAtByte(name, headerStart, "'fortran_order' is neither True nor False");
    v = valueOf("shape");
    const std::size_t shapeEnd = v == std::string::npos ? v : header.find(')', v);
    if (v == std::string::npos || header[v] != '(' || shapeEnd == std::string::npos)
        throwAtByte(name, headerStart, "header has no 'shape'");
    const std::string dims = header.substr(v + 1, shapeEnd - v - 1);
    std::uint64_t count = 1;
    const std::size_t available = bytes.size() - headerStart - headerLen;
    std::size_t pos = 0;
    while (pos < dims.size()) {
        while (pos < dims.size() && (dims[pos] == ' ' || dims[pos] == ','))
            ++pos;
        if (pos >= dims.size()) break;
        std::size_t end = pos;
        while (end < dims.size() && dims[end] >= '0' && dims[end] <= '9')
            ++end;
        if (end == pos || end - pos > 18)
            throwAtByte(name, headerStart, "malformed shape '(" + dims + ")'");
        const std::uint64_t d = std::stoull(dims.substr(pos, end - pos));
        out.shape.push_back(d);
        if (d != 0 && count > available / d)
            throwAtByte(name, headerStart, "shape (" + dims + ") is larger than the file");
        count *= d;
        pos = end;
    }
    const std::uint64_t need = count * npyItemSize(out.type);
    if (need != available)
        throwAtByte(name, headerStart + headerLen,
                    "shape (" + dims + ") needs " + std::to_string(need) +
                        " data bytes, file has " + std::to_string(available));
    out.data.assign(bytes.begin() + std::ptrdiff_t(headerStart + headerLen), bytes.end());
    return out;
}

NpyArray readNpy(const std::filesystem::path& path) {
    return parseNpy(readFile(path), path.string());
}

Bytes encodeNpy(NpyType type, const std::vector<std::uint64_t>& shape, const void* data) {
    std::string dims;
    std::uint64_t count = 1;
    for (auto d : shape) {
        dims += std::to_string(d) + ", ";
        count *= d;
    }
    if (shape.size() > 1)
        dims.erase(dims.size() - 2); // "(3, 4)"; a 1-D shape keeps "(3,)"
    else if (shape.size() == 1)
        dims.erase(dims.size() - 1);
    std::string header = std::string("{'descr': '") + npyDescr(type) +
                         "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t unpadded = 10 + header.size() + 1; // + '\n'
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    Bytes out = {0x93,
                 'N',
                 'U',
                 'M',
                 'P',
                 'Y',
                 1,
                 0,
                 std::uint8_t(header.size() & 0xff),
                 std::uint8_t(header.size() >> 8)};
    out.insert(out.end(), header.begin(), header.end());
    const auto* p = static_cast<const std::uint8_t*>(data);
    out.insert(out.end(), p, p + count * npyItemSize(type));
    return out;
}

void writeNpy(const std::filesystem::path& path, NpyType type,
              const std::vector<std::uint64_t>& shape, const void* data) {
    writeFile(path, encodeNpy(type, shape, data));
}

} // namespace core
