// libFuzzer target: the release parser, and the caption rules on single lines, must take any
// bytes without crashing, hanging or breaking the shape of what they return.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "importer/release_parser.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto release = pressroom::importer::parse_release(input, "fuzz");
  if (release) {
    int position = 0;
    for (const auto& entry : release->photos) {
      check(entry.position == ++position);
      check(entry.caption.find('\n') == std::string_view::npos);
      check(entry.url.find('\n') == std::string_view::npos);
      check(entry.credit.text.find('\n') == std::string_view::npos);
    }
  } else {
    check(!release.error().message.empty());
  }
  const std::string_view line = input.substr(0, 4096);
  (void)pressroom::importer::parse_credit(line);
  (void)pressroom::importer::split_credit(line);
  (void)pressroom::importer::people_in_caption(line);
  (void)pressroom::importer::has_image_extension(line);
  return 0;
}
