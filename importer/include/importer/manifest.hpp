#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace pressroom::importer {

// A list of photos to import that a script or a spreadsheet wrote (README, "Manifests").
enum class ManifestFormat {
  csv,    // a header row naming the columns (`url` or `path`, caption, credit, …), then rows
  jsonl,  // one JSON object per line with the same keys
  urls,   // one URL per line; blank lines and lines starting with '#' are left out
};
const char* to_string(ManifestFormat format);

// The format the first bytes of a text say, or nullopt when they say none (a press release).
std::optional<ManifestFormat> detect_manifest(std::string_view head);

// One row. Empty strings are "not given".
struct ManifestRow {
  int line = 0;      // where the row starts (CSV: the record's number, the header being 1)
  std::string url;   // fetched over HTTP(S), or
  std::string path;  // a local file (relative paths are from the manifest's folder)
  std::string caption;
  std::string credit;  // a credit line, read like a release's ("©Holder/Photographer")
  std::string photographer;
  std::string rights_holder;
  std::string licence_note;
  std::string release;  // rows naming the same release form one release, in their order
  std::vector<std::string> tags;
  std::vector<std::string> people;
  std::optional<std::string> error;  // why the row cannot be imported
};

// Reads a manifest a row at a time, so that memory does not grow with its length.
class ManifestReader {
 public:
  // Errors: not_found, io, invalid_input (a CSV without a `url` or `path` column).
  static Result<ManifestReader> open(const std::filesystem::path& file, ManifestFormat format);

  ManifestReader(ManifestReader&&) noexcept;
  ManifestReader& operator=(ManifestReader&&) noexcept;
  ManifestReader(const ManifestReader&) = delete;
  ManifestReader& operator=(const ManifestReader&) = delete;
  ~ManifestReader();

  // The next row; nullopt at the end. A row that cannot be read carries its error; a file
  // that cannot be read further ends with one such row.
  std::optional<ManifestRow> next();

 private:
  struct Impl;
  explicit ManifestReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace pressroom::importer
