#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace pressroom {

// The kinds of failure a caller branches on. Each public function names the ones it returns.
enum class Errc {
  invalid_input,       // the caller's argument or the input's content is not acceptable
  not_found,           // a file, photo or library that should exist does not
  too_large,           // over a configured size or pixel limit
  unsupported_format,  // not an image type pressroom reads
  corrupt_data,        // an image or metadata block that cannot be read as it claims to be
  io,                  // the operating system refused a read, write, rename or fsync
  database,            // SQLite failed, or the catalog's schema is not one this build knows
};

// What failed, on what (a path, a photo hash, "catalog.sqlite"), and why, worded so that a user
// can read it as it is: "photos/a.jpg: truncated JPEG (Premature end of JPEG file)".
struct Error {
  Errc code;
  std::string subject;
  std::string message;
};

// "subject: message", or the message alone when there is no subject.
std::string to_string(const Error& error);
// A short stable name for the code ("corrupt_data"), for JSON output.
const char* to_string(Errc code);

// A T or an Error. [[nodiscard]]: dropping one warns, and -Werror makes that an error.
template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
};

inline tl::unexpected<Error> fail(Errc code, std::string subject, std::string message) {
  return tl::make_unexpected(Error{code, std::move(subject), std::move(message)});
}
inline tl::unexpected<Error> fail(Error error) {
  return tl::make_unexpected(std::move(error));
}

}  // namespace pressroom
