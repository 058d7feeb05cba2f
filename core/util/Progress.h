#pragma once
/// Progress reporting and cancellation for long operations (dataset loading, evaluation).

#include <atomic>
#include <cstdint>
#include <functional>

#include "core/util/Error.h"

namespace core {

/// Called with (done, total) units of work; total may be 0 when unknown.
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Shared, thread-safe cancellation flag. The owner keeps it alive for the operation.
class CancelToken {
  public:
    void cancel() noexcept { flag_.store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool cancelled() const noexcept { return flag_.load(std::memory_order_relaxed); }

  private:
    std::atomic<bool> flag_{false};
};

/// Bundles progress and cancellation so loaders take one optional argument.
struct LoadControl {
    ProgressFn progress;
    const CancelToken* cancel = nullptr;

    void report(std::uint64_t done, std::uint64_t total) const {
        if (progress) progress(done, total);
    }
    /// Throws core::Cancelled when cancellation was requested.
    void check() const {
        if (cancel && cancel->cancelled()) throw Cancelled();
    }
};

} // namespace core
