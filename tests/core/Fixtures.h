#pragma once
// Tiny dataset files written by the tests themselves, one helper per format.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fixtures {

namespace fs = std::filesystem;

/// A fresh, empty folder under the system temp dir, removed when the object dies.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

  private:
    fs::path path_;
};

using Bytes = std::vector<std::uint8_t>;

Bytes idxImages(std::uint32_t n, std::uint32_t h, std::uint32_t w, std::uint8_t seed = 0);
Bytes idxLabels(const std::vector<std::uint8_t>& labels);
Bytes gzip(const Bytes& raw);
void write(const fs::path& p, const Bytes& bytes);
void writeText(const fs::path& p, const std::string& text);
Bytes read(const fs::path& p);

/// A complete MNIST-like folder: n train / m test images of 28x28 with labels i % classes.
void writeIdxFolder(const fs::path& dir, int n, int m, int classes = 10, bool gz = false);
/// CIFAR-10 style: `batches` data_batch_N.bin files of n records, test_batch.bin, meta.
void writeCifar10Folder(const fs::path& dir, int batches, int n);
/// CIFAR-100 style train.bin/test.bin with coarse+fine labels.
void writeCifar100Folder(const fs::path& dir, int n);
/// PNG with w x h pixels of `comp` channels, all set to `value`.
void writePng(const fs::path& p, int w, int h, int comp, std::uint8_t value);

} // namespace fixtures
