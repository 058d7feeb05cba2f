// CIFAR record parsing (both layouts) must never crash.
#include "core/data/CifarLoader.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const core::Bytes bytes(data, data + size);
    for (const core::CifarLayout layout :
         {core::CifarLayout{1, 0, 10}, core::CifarLayout{2, 1, 100}}) {
        core::Split split;
        try {
            core::parseCifarBatch(bytes, "fuzz", layout, split);
        } catch (const core::Error&) {
        }
    }
    return 0;
}
