// `pressroom export`: copies of photos for journalists, carrying the catalog's caption, credit
// and licence inside the file (issue 6), one by one into a folder or a release as a ZIP.
#include <algorithm>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <archive.h>
#include <archive_entry.h>

#include "cli.hpp"
#include "core/credited_copy.hpp"
#include "core/file_io.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"
#include "thumbs/render.hpp"

namespace pressroom::app {
namespace {

constexpr std::uint64_t k_max_original_bytes = 4ULL << 30U;

// The words of `text` as a file name part: lowercase ASCII letters and digits joined by "-",
// umlauts spelled out ("Düsseldorf" → "duesseldorf"), other accents dropped, at most `limit`
// characters, cut at a word. Safe on every file system: no separators, no control characters.
std::string slug(std::string_view text, std::size_t limit) {
  const std::string spelled = umlauts_spelled_out(text);
  const std::string folded = fold_for_search(spelled.empty() ? text : spelled);
  std::string out;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && out.size() + word.size() + 1 <= limit) {
      out.append(out.empty() ? "" : "-").append(word);
    } else if (!word.empty() && out.empty()) {
      out = word.substr(0, limit);
    }
    word.clear();
  };
  for (const char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// "2019-08-31_oberbuergermeister-begruesst-gaeste_david-young.jpg": the release's date (else
// the day taken, else the import day), the caption's first words, the photographer. Unique
// within `taken` ("-2", "-3" … before the extension).
std::string file_name(const catalog::PhotoDetails& details, std::set<std::string>& taken) {
  std::string date = details.photo.imported_at.substr(0, 10);
  if (!details.entries.empty() && details.entries.front().release_date) {
    date = details.entries.front().release_date->substr(0, 10);
  } else if (details.photo.date_taken) {
    date = details.photo.date_taken->substr(0, 10);
  }
  std::string base = date + "_" + slug(details.caption, 40);
  if (base.back() == '_') {
    base += "photo-" + std::to_string(details.photo.id);
  }
  if (details.credit && !details.credit->photographer.empty()) {
    base += "_" + slug(details.credit->photographer, 30);
  }
  std::string name = base + ".jpg";
  for (int n = 2; taken.contains(name); ++n) {
    name = base + "-" + std::to_string(n) + ".jpg";
  }
  taken.insert(name);
  return name;
}

CreditedFields fields_of(const catalog::PhotoDetails& details) {
  CreditedFields fields;
  fields.caption = details.caption;
  fields.headline = details.headline;
  if (details.credit) {
    if (!details.credit->photographer.empty()) {
      fields.creators.push_back(details.credit->photographer);
    }
    fields.credit_line = details.credit->credit_line;
    fields.copyright = details.credit->rights_holder.empty() ? details.credit->credit_line
                                                             : "©" + details.credit->rights_holder;
  }
  if (details.licence) {
    fields.usage_terms = details.licence->usage_terms;
  }
  for (const auto& person : details.people) {
    fields.people.push_back(person.name);
  }
  for (const auto& tag : details.tags) {
    fields.keywords.push_back(
        tag.substr(tag.rfind('|') == std::string::npos ? 0 : tag.rfind('|') + 1));
    if (tag.find('|') != std::string::npos) {
      fields.hierarchical_keywords.push_back(tag);
    }
  }
  if (!details.entries.empty() && !details.entries.front().url.empty()) {
    fields.source_url = details.entries.front().url;
  }
  return fields;
}

struct Exported {
  std::string name;
  std::vector<std::byte> bytes;
  std::vector<std::string> shortened;
};

// The credited copy of one photo, or why there is none (a licence that forbids it today, an
// unreadable original, a format Exiv2 cannot write).
Result<Exported> export_one(importer::Library& library, const catalog::PhotoDetails& details,
                            const ExportOptions& options, std::set<std::string>& taken) {
  const Photo& photo = details.photo;
  const std::string subject = "photo " + std::to_string(photo.id);
  if (details.licence && !options.force) {
    const LicenceState state = licence_state(*details.licence, today_utc());
    if (state == LicenceState::embargoed) {
      return fail(Errc::invalid_input, subject,
                  "embargoed until " + details.licence->valid_from.value_or("?") +
                      "; not exported (--force exports it anyway)");
    }
    if (state == LicenceState::expired) {
      return fail(Errc::invalid_input, subject,
                  "licence expired on " + details.licence->valid_until.value_or("?") +
                      "; not exported (--force exports it anyway)");
    }
  }
  const auto original = library.layout().original(photo.sha256, photo.type);
  auto bytes = read_file(original, k_max_original_bytes);
  if (!bytes) {
    return tl::make_unexpected(bytes.error());
  }
  Result<CreditedCopy> copy = fail(Errc::invalid_input, subject, "nothing made");
  // Exiv2 cannot write into a HEIC, and a copy without its credit is no copy to hand out: a
  // HEIC's "original" is a JPEG of its full size, upright, that carries the fields.
  const bool as_jpeg = options.size > 0 || photo.type == ImageType::heic;
  if (as_jpeg) {
    thumbs::RenderOptions render_options;
    render_options.long_edges = {options.size > 0 ? options.size
                                                  : std::max(photo.width, photo.height)};
    render_options.jpeg_quality = 90;
    auto rendered = thumbs::render(*bytes, photo.type, photo.orientation, subject, render_options);
    if (!rendered) {
      return tl::make_unexpected(rendered.error());
    }
    copy = credited_copy(rendered->renditions.front().jpeg, fields_of(details), subject, *bytes);
  } else {
    copy = credited_copy(*bytes, fields_of(details), subject);
  }
  if (!copy) {
    return tl::make_unexpected(copy.error());
  }
  std::string name = file_name(details, taken);
  if (!as_jpeg && photo.type != ImageType::jpeg) {
    name.replace(name.size() - 4, 4, "." + std::string(file_extension(photo.type)));
  }
  return Exported{std::move(name), std::move(copy->bytes), std::move(copy->shortened)};
}

// A ZIP written entry by entry as a stream: one photo in memory at a time.
class ZipWriter {
 public:
  explicit ZipWriter(const std::filesystem::path& path)
      : m_archive(archive_write_new(), archive_write_free) {
    archive_write_set_format_zip(m_archive.get());
    m_open = archive_write_open_filename(m_archive.get(), path.c_str()) == ARCHIVE_OK;
  }
  bool is_open() const { return m_open; }
  std::string error() { return archive_error_string(m_archive.get()); }

  bool add(const std::string& name, std::span<const std::byte> bytes) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(),
                                                                   archive_entry_free);
    archive_entry_set_pathname_utf8(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
    return archive_write_header(m_archive.get(), entry.get()) == ARCHIVE_OK &&
           archive_write_data(m_archive.get(), bytes.data(), bytes.size()) ==
               static_cast<la_ssize_t>(bytes.size());
  }
  bool close() { return archive_write_close(m_archive.get()) == ARCHIVE_OK; }

 private:
  std::unique_ptr<archive, int (*)(archive*)> m_archive;
  bool m_open = false;
};

// A file removed when this goes out of scope, if it is still there: the .part of a ZIP that
// failed half-way is not left behind (a finished one has been renamed into place by then).
class RemovedAtExit {
 public:
  explicit RemovedAtExit(std::filesystem::path path) : m_path(std::move(path)) {}
  RemovedAtExit(const RemovedAtExit&) = delete;
  RemovedAtExit& operator=(const RemovedAtExit&) = delete;
  RemovedAtExit(RemovedAtExit&&) = delete;
  RemovedAtExit& operator=(RemovedAtExit&&) = delete;
  ~RemovedAtExit() {
    if (!m_path.empty()) {
      std::error_code ignored;
      std::filesystem::remove(m_path, ignored);
    }
  }

 private:
  std::filesystem::path m_path;
};

}  // namespace

void add_export_command(CLI::App& app, ExportOptions& options) {
  CLI::App* command = app.add_subcommand(
      "export", "Write copies of photos that carry caption, credit and licence inside the file");
  command->add_option("PHOTO", options.photos, "Photos: ids, sha256 prefixes or @saved-search");
  command->add_option("--out", options.out, "Folder to write the copies into");
  command
      ->add_option("--size", options.size,
                   "Long edge in pixels (made from the original, upright); default: the "
                   "original, pixels untouched (a HEIC: a JPEG of its full size)")
      ->check(CLI::Range(16, 20000));
  command->add_option("--release", options.release, "Every photo of this release");
  command->add_option("--zip", options.zip, "Write one ZIP file with credits.txt instead");
  command->add_flag("--force", options.force, "Export embargoed or expired photos too");
}

int run_export(const GlobalOptions& global, const ExportOptions& options) {
  if ((options.out.empty() == options.zip.empty()) ||
      (options.photos.empty() == (options.release == 0))) {
    print_error(Error{Errc::invalid_input, "export",
                      "give PHOTO... or --release ID, and --out DIR or --zip FILE"});
    return k_exit_usage;
  }
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto& catalog = library->catalog();
  std::vector<std::int64_t> ids;
  if (options.release != 0) {
    auto entries = catalog.entries(options.release);
    if (!entries) {
      print_error(entries.error());
      return entries.error().code == Errc::not_found ? k_exit_not_found : k_exit_library;
    }
    for (const auto& entry : *entries) {
      if (entry.photo_id && std::find(ids.begin(), ids.end(), *entry.photo_id) == ids.end()) {
        ids.push_back(*entry.photo_id);
      }
    }
  } else {
    auto resolved = catalog.resolve_photos(options.photos);
    if (!resolved) {
      print_error(resolved.error());
      return resolved.error().code == Errc::not_found ? k_exit_not_found : k_exit_usage;
    }
    ids = *resolved;
  }

  const std::filesystem::path zip_path = options.zip;
  const std::filesystem::path zip_part = zip_path.string() + ".part";
  const RemovedAtExit unfinished(options.zip.empty() ? std::filesystem::path() : zip_part);
  std::unique_ptr<ZipWriter> zip;
  if (!options.zip.empty()) {
    zip = std::make_unique<ZipWriter>(zip_part);
    if (!zip->is_open()) {
      print_error(Error{Errc::io, options.zip, "cannot write: " + zip->error()});
      return k_exit_bad_input;
    }
  }
  std::set<std::string> taken{"credits.txt"};
  std::string credits;
  std::map<std::string, int> shortened_fields;  // "IIM Credit (2:110)" → photos
  int failed = 0;
  for (const std::int64_t id : ids) {
    auto details = catalog.details(id);
    if (!details) {
      print_error(details.error());
      ++failed;
      continue;
    }
    auto exported = export_one(*library, *details, options, taken);
    if (!exported) {
      print_error(exported.error());
      if (global.json) {
        std::cout << nlohmann::ordered_json{{"photo", id},
                                            {"state", "refused"},
                                            {"error", exported.error().message}}
                  << '\n';
      }
      ++failed;
      continue;
    }
    std::filesystem::path written = exported->name;
    if (zip) {
      if (!zip->add(exported->name, exported->bytes)) {
        print_error(Error{Errc::io, options.zip, "cannot write: " + zip->error()});
        return k_exit_bad_input;
      }
    } else {
      written = std::filesystem::path(options.out) / exported->name;
      if (auto done = write_file_atomically(written, exported->bytes); !done) {
        print_error(done.error());
        ++failed;
        continue;
      }
    }
    for (const auto& message : exported->shortened) {
      ++shortened_fields[message.substr(0, message.find(" shortened"))];
    }
    const std::string licence = details->licence ? details->licence->usage_terms : "";
    const std::string credit = details->credit ? details->credit->credit_line : "";
    // One line per photo, tab-separated: a caption's own line breaks and tabs become spaces.
    credits.append(exported->name).append("\t").append(single_line(details->caption));
    credits.append("\t").append(single_line(credit)).append("\t").append(single_line(licence));
    credits.append("\n");
    if (global.json) {
      std::cout << nlohmann::ordered_json{{"photo", id},
                                          {"state", "exported"},
                                          {"file", written.string()},
                                          {"shortened", exported->shortened}}
                << '\n';
    } else {
      std::cout << "exported " << id << " → " << written.string() << '\n';
    }
  }
  // Said once per export, not once per photo.
  for (const auto& [field, photos] : shortened_fields) {
    std::cerr << "note: " << field << " is limited in IPTC-IIM; " << photos
              << (photos == 1 ? " photo has" : " photos have")
              << " a shortened value there, the full value is in XMP\n";
  }
  if (zip) {
    const auto* text = reinterpret_cast<const std::byte*>(credits.data());
    if (!zip->add("credits.txt", std::span(text, credits.size())) || !zip->close()) {
      print_error(Error{Errc::io, options.zip, "cannot write: " + zip->error()});
      return k_exit_bad_input;
    }
    std::error_code error;
    std::filesystem::rename(zip_part, zip_path, error);
    if (error) {
      print_error(Error{Errc::io, options.zip, "cannot rename: " + error.message()});
      return k_exit_bad_input;
    }
  }
  return failed > 0 ? k_exit_some_failed : k_exit_ok;
}

}  // namespace pressroom::app
