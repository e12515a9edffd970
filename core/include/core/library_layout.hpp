#pragma once

#include <array>
#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "core/image_type.hpp"

namespace pressroom {

// Where a library keeps its files (DESIGN.md, "The library on disk"):
//   ROOT/catalog.sqlite                   the catalog, in WAL mode
//   ROOT/originals/ab/abcdef….jpg         originals named by the sha256 of their bytes
//   ROOT/renditions/256/ab/abcdef….jpg    thumbnails; renditions/1280/ holds previews
//   ROOT/incoming/                        photos fetched and not yet imported (import removes
//                                         them; `check --repair` removes what a crash left)
// Computes paths only; it neither checks nor creates them, except create_folders().
class LibraryLayout {
 public:
  // Long edges of the renditions made for every photo, smallest first.
  static constexpr std::array<int, 2> k_rendition_sizes{256, 1280};

  explicit LibraryLayout(std::filesystem::path root) : m_root(std::move(root)) {}

  const std::filesystem::path& root() const { return m_root; }
  std::filesystem::path catalog_file() const { return m_root / "catalog.sqlite"; }
  std::filesystem::path original(std::string_view sha256, ImageType type) const;
  std::filesystem::path rendition(int long_edge, std::string_view sha256) const;
  std::filesystem::path incoming() const { return m_root / "incoming"; }

  // Creates ROOT, originals/ and one folder per rendition size; existing ones are kept.
  // Errors: io.
  Result<void> create_folders() const;

 private:
  std::filesystem::path m_root;
};

}  // namespace pressroom
