#include "core/library_layout.hpp"

#include <string>
#include <system_error>

namespace pressroom {
namespace {

// Two hex digits of fan-out keep any one folder small (256 of them for a million photos).
std::filesystem::path sharded(std::string_view sha256) {
  return std::filesystem::path(std::string(sha256.substr(0, 2))) / std::string(sha256);
}

}  // namespace

std::filesystem::path LibraryLayout::original(std::string_view sha256, ImageType type) const {
  std::filesystem::path path = m_root / "originals" / sharded(sha256);
  path += ".";
  path += file_extension(type);
  return path;
}

std::filesystem::path LibraryLayout::rendition(int long_edge, std::string_view sha256) const {
  std::filesystem::path path = m_root / "renditions" / std::to_string(long_edge) / sharded(sha256);
  path += ".jpg";
  return path;
}

Result<void> LibraryLayout::create_folders() const {
  std::error_code error;
  std::filesystem::create_directories(m_root / "originals", error);
  for (const int size : k_rendition_sizes) {
    if (error) {
      break;
    }
    std::filesystem::create_directories(m_root / "renditions" / std::to_string(size), error);
  }
  if (error) {
    return fail(Errc::io, m_root.string(),
                "cannot create the library's folders: " + error.message());
  }
  return {};
}

}  // namespace pressroom
