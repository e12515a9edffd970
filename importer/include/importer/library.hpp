#pragma once

#include <filesystem>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "core/library_layout.hpp"

namespace pressroom::importer {

// A library on disk: its folders and its open catalog. Move-only (it owns the connection).
class Library {
 public:
  // Creates a library at `root` (a new or empty folder), or opens the one that is there.
  // Sets `created` to whether it was new. Errors: invalid_input (`root` is a file, or a folder
  // with other content and no catalog: pressroom does not mix itself into other folders), io,
  // database.
  static Result<Library> create(const std::filesystem::path& root, bool& created);

  // Opens an existing library. Errors: not_found (no library at `root`), io, database.
  static Result<Library> open(const std::filesystem::path& root);

  const LibraryLayout& layout() const { return m_layout; }
  catalog::Catalog& catalog() { return m_catalog; }

 private:
  Library(LibraryLayout layout, catalog::Catalog catalog)
      : m_layout(std::move(layout)), m_catalog(std::move(catalog)) {}

  LibraryLayout m_layout;
  catalog::Catalog m_catalog;
};

}  // namespace pressroom::importer
