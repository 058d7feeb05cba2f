// IDX header and payload parsing must never crash or over-allocate.
#include "core/data/IdxLoader.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const core::Bytes bytes(data, data + size);
    for (int dims : {1, 3}) {
        try {
            core::parseIdx(bytes, "fuzz", dims);
        } catch (const core::Error&) {
        }
    }
    return 0;
}
