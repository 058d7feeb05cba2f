#pragma once
/// core::Error — the one exception type core throws for bad input and failed operations.
/// Its message is a single line that names the file (or source) and where the problem is.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace core {

/// A one-line, user-facing error. `what()` is ready to print as is.
class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Thrown when a long operation notices that it was cancelled.
class Cancelled : public Error {
  public:
    Cancelled() : Error("cancelled") {}
};

/// "FILE: at byte OFFSET: what"
[[noreturn]] void throwAtByte(const std::string& file, std::uint64_t offset,
                              const std::string& what);
/// "FILE: line LINE: what"
[[noreturn]] void throwAtLine(const std::string& file, std::uint64_t line, const std::string& what);
/// "FILE: what"
[[noreturn]] void throwInFile(const std::string& file, const std::string& what);

} // namespace core
