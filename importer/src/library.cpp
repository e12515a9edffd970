#include "importer/library.hpp"

#include <system_error>

namespace pressroom::importer {

Result<Library> Library::create(const std::filesystem::path& root, bool& created) {
  const LibraryLayout layout(std::filesystem::absolute(root).lexically_normal());
  std::error_code error;
  const auto status = std::filesystem::status(layout.root(), error);
  if (std::filesystem::exists(status)) {
    if (!std::filesystem::is_directory(status)) {
      return fail(Errc::invalid_input, root.string(), "exists and is not a folder");
    }
    if (!std::filesystem::exists(layout.catalog_file()) &&
        !std::filesystem::is_empty(layout.root(), error)) {
      return fail(Errc::invalid_input, root.string(),
                  "folder is not empty and holds no pressroom library; choose a new or empty "
                  "folder");
    }
  }
  created = !std::filesystem::exists(layout.catalog_file());
  if (auto made = layout.create_folders(); !made) {
    return fail(made.error());
  }
  auto catalog = catalog::Catalog::open(layout.catalog_file(), true);
  if (!catalog) {
    return fail(catalog.error());
  }
  return Library(layout, std::move(*catalog));
}

Result<Library> Library::open(const std::filesystem::path& root) {
  const LibraryLayout layout(std::filesystem::absolute(root).lexically_normal());
  if (!std::filesystem::exists(layout.catalog_file())) {
    return fail(Errc::not_found, root.string(),
                "no pressroom library here (no catalog.sqlite); create one with 'pressroom init " +
                    root.string() + "'");
  }
  // Folders removed by hand are made again; the content-addressed files are rebuilt on import.
  if (auto made = layout.create_folders(); !made) {
    return fail(made.error());
  }
  auto catalog = catalog::Catalog::open(layout.catalog_file(), false);
  if (!catalog) {
    return fail(catalog.error());
  }
  return Library(layout, std::move(*catalog));
}

}  // namespace pressroom::importer
