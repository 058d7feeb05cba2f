#pragma once
/// What the linked LibTorch offers, without exposing torch types.

#include <string>

namespace core {

/// LibTorch version string, e.g. "1.13.1".
std::string torchVersion();
/// Number of CUDA devices LibTorch can use (0 on CPU builds or without a GPU).
int cudaDeviceCount();
/// Resolves "auto" | "cpu" | "cuda" | "cuda:N" to a concrete device string ("cpu", "cuda:0").
/// Throws core::Error for malformed specs or a CUDA device that is not there.
std::string resolveDevice(const std::string& spec);
/// Intra-op threads LibTorch uses now; set with setTorchThreads (n <= 0 leaves it).
int torchThreads();
void setTorchThreads(int n);

} // namespace core
