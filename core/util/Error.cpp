#include "core/util/Error.h"

namespace core {

void throwAtByte(const std::string& file, std::uint64_t offset, const std::string& what) {
    throw Error(file + ": at byte " + std::to_string(offset) + ": " + what);
}

void throwAtLine(const std::string& file, std::uint64_t line, const std::string& what) {
    throw Error(file + ": line " + std::to_string(line) + ": " + what);
}

void throwInFile(const std::string& file, const std::string& what) {
    throw Error(file + ": " + what);
}

} // namespace core
