#include "core/error.hpp"

namespace pressroom {

std::string to_string(const Error& error) {
  if (error.subject.empty()) {
    return error.message;
  }
  return error.subject + ": " + error.message;
}

const char* to_string(Errc code) {
  switch (code) {
    case Errc::invalid_input:
      return "invalid_input";
    case Errc::not_found:
      return "not_found";
    case Errc::too_large:
      return "too_large";
    case Errc::unsupported_format:
      return "unsupported_format";
    case Errc::corrupt_data:
      return "corrupt_data";
    case Errc::io:
      return "io";
    case Errc::database:
      return "database";
  }
  return "unknown";
}

}  // namespace pressroom
