// gzip inflation with a bounded output must never crash.
#include "core/util/Error.h"
#include "core/util/FileBytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        core::gunzip(core::Bytes(data, data + size), "fuzz", 1 << 24);
    } catch (const core::Error&) {
    }
    return 0;
}
