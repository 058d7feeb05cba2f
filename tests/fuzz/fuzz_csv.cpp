// CSV parsing must never crash: any text is either a dataset or a core::Error.
#include "core/data/CsvLoader.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        core::parseCsv(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    } catch (const core::Error&) {
    }
    return 0;
}
