#include "Fixtures.h"

#include <stb_image_write.h>
#include <zlib.h>

#include <fstream>
#include <random>
#include <stdexcept>

namespace fixtures {

TempDir::TempDir() {
    static std::mt19937_64 rng(std::random_device{}());
    path_ = fs::temp_directory_path() / ("cs-test-" + std::to_string(rng()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
}

static void be32(Bytes& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(std::uint8_t(v >> s));
}

Bytes idxImages(std::uint32_t n, std::uint32_t h, std::uint32_t w, std::uint8_t seed) {
    Bytes b{0, 0, 8, 3};
    be32(b, n);
    be32(b, h);
    be32(b, w);
    for (std::uint32_t i = 0; i < n * h * w; ++i)
        b.push_back(std::uint8_t(i * 7 + seed));
    return b;
}

Bytes idxLabels(const std::vector<std::uint8_t>& labels) {
    Bytes b{0, 0, 8, 1};
    be32(b, std::uint32_t(labels.size()));
    b.insert(b.end(), labels.begin(), labels.end());
    return b;
}

Bytes gzip(const Bytes& raw) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&zs, uLong(raw.size())) + 64);
    zs.next_in = const_cast<Bytef*>(raw.data());
    zs.avail_in = uInt(raw.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate failed");
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

void write(const fs::path& p, const Bytes& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void writeText(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

Bytes read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

static std::vector<std::uint8_t> cyclic(int n, int classes) {
    std::vector<std::uint8_t> y(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        y[std::size_t(i)] = std::uint8_t(i % classes);
    return y;
}

void writeIdxFolder(const fs::path& dir, int n, int m, int classes, bool gz) {
    auto put = [&](const std::string& name, const Bytes& b) {
        if (gz)
            write(dir / (name + ".gz"), gzip(b));
        else
            write(dir / name, b);
    };
    put("train-images-idx3-ubyte", idxImages(std::uint32_t(n), 28, 28, 1));
    put("train-labels-idx1-ubyte", idxLabels(cyclic(n, classes)));
    if (m > 0) {
        put("t10k-images-idx3-ubyte", idxImages(std::uint32_t(m), 28, 28, 2));
        put("t10k-labels-idx1-ubyte", idxLabels(cyclic(m, classes)));
    }
}

static Bytes cifarRecords(int n, int labelBytes, int classes) {
    Bytes b;
    for (int i = 0; i < n; ++i) {
        if (labelBytes == 2) b.push_back(std::uint8_t((i % classes) / 5)); // coarse
        b.push_back(std::uint8_t(i % classes));
        for (int p = 0; p < 3072; ++p)
            b.push_back(std::uint8_t(p + i));
    }
    return b;
}

void writeCifar10Folder(const fs::path& dir, int batches, int n) {
    for (int b = 1; b <= batches; ++b)
        write(dir / ("data_batch_" + std::to_string(b) + ".bin"), cifarRecords(n, 1, 10));
    write(dir / "test_batch.bin", cifarRecords(n, 1, 10));
    writeText(dir / "batches.meta.txt",
              "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
}

void writeCifar100Folder(const fs::path& dir, int n) {
    write(dir / "train.bin", cifarRecords(n, 2, 100));
    write(dir / "test.bin", cifarRecords(n, 2, 100));
}

void writePng(const fs::path& p, int w, int h, int comp, std::uint8_t value) {
    fs::create_directories(p.parent_path());
    std::vector<std::uint8_t> px(std::size_t(w) * h * comp, value);
    if (!stbi_write_png(p.string().c_str(), w, h, comp, px.data(), w * comp))
        throw std::runtime_error("stbi_write_png failed");
}

} // namespace fixtures
