// .npy header parsing and element conversion must never crash or over-allocate.
#include "core/io/Npy.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto a = core::parseNpy(core::Bytes(data, data + size), "fuzz");
        (void)a.toDouble();
        (void)a.toInt64("fuzz");
    } catch (const core::Error&) {
    }
    return 0;
}
