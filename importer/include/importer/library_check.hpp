#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "importer/library.hpp"

namespace pressroom::importer {

// What `check` found among the library's files, beside the catalog's own check.
struct FilesReport {
  // Left by an import that did not finish (killed, power lost): fetched photos in incoming/,
  // half-written temporary files, originals and renditions of photos the catalog never
  // received. Harmless, and removed by check --repair.
  std::vector<std::string> leftovers;
  // Files the catalog's photos need and that are missing: importing the photo again writes
  // them again (`thumbs rebuild` remakes renditions from the original).
  std::vector<std::string> missing;
  std::vector<std::string> removed;  // by repair
  bool import_running = false;       // another process imports: leftovers were not judged
};

// Holds the library's import lock while it lives: shared among imports, exclusive for
// check_library_files(), so that check never takes a running import's files for leftovers.
class ImportLock {
 public:
  // Errors: io (the lock file cannot be made).
  static Result<ImportLock> shared(const Library& library);
  ImportLock(ImportLock&& other) noexcept;
  ImportLock& operator=(ImportLock&& other) noexcept;
  ImportLock(const ImportLock&) = delete;
  ImportLock& operator=(const ImportLock&) = delete;
  ~ImportLock();

 private:
  explicit ImportLock(int descriptor) : m_descriptor(descriptor) {}
  int m_descriptor = -1;
};

// Compares the library's files with the catalog. With `repair`, removes the leftovers (never an
// original or rendition of a photo the catalog has). Errors: io, database.
Result<FilesReport> check_library_files(Library& library, bool repair);

}  // namespace pressroom::importer
