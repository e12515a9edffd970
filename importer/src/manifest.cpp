#include "importer/manifest.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <map>

#include <csv.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace pressroom::importer {
namespace {

constexpr std::size_t k_chunk_bytes = std::size_t{64} * 1024;
// A row longer than this is refused: no photo needs it, and an unclosed quote would otherwise
// take the rest of the file into one field.
constexpr std::size_t k_max_row_bytes = std::size_t{1024} * 1024;
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool starts_with_url(std::string_view line) {
  const std::string head = lower(std::string(line.substr(0, 8)));
  return head.starts_with("http://") || head.starts_with("https://");
}

// The columns a manifest may have, by their folded header names.
enum class Column {
  url,
  path,
  caption,
  credit,
  photographer,
  rights_holder,
  licence_note,
  tags,
  people,
  release,
  other
};

Column column_named(const std::string& header) {
  std::string name = lower(trimmed(header));
  std::replace(name.begin(), name.end(), ' ', '_');
  std::replace(name.begin(), name.end(), '-', '_');
  static const std::map<std::string, Column> k_names{{"url", Column::url},
                                                     {"path", Column::path},
                                                     {"caption", Column::caption},
                                                     {"credit", Column::credit},
                                                     {"photographer", Column::photographer},
                                                     {"rights_holder", Column::rights_holder},
                                                     {"licence_note", Column::licence_note},
                                                     {"license_note", Column::licence_note},
                                                     {"tags", Column::tags},
                                                     {"people", Column::people},
                                                     {"release", Column::release}};
  const auto found = k_names.find(name);
  return found == k_names.end() ? Column::other : found->second;
}

// "a; b;;c " → {"a", "b", "c"}.
std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(separator, start), text.size());
    std::string item = trimmed(text.substr(start, end - start));
    if (!item.empty()) {
      items.push_back(std::move(item));
    }
    start = end + 1;
  }
  return items;
}

void set_field(ManifestRow& row, Column column, const std::string& value, char list_separator) {
  switch (column) {
    case Column::url:
      row.url = trimmed(value);
      break;
    case Column::path:
      row.path = trimmed(value);
      break;
    case Column::caption:
      row.caption = trimmed(value);
      break;
    case Column::credit:
      row.credit = trimmed(value);
      break;
    case Column::photographer:
      row.photographer = trimmed(value);
      break;
    case Column::rights_holder:
      row.rights_holder = trimmed(value);
      break;
    case Column::licence_note:
      row.licence_note = trimmed(value);
      break;
    case Column::tags:
      row.tags = split_list(value, list_separator);
      break;
    case Column::people:
      row.people = split_list(value, list_separator);
      break;
    case Column::release:
      row.release = trimmed(value);
      break;
    case Column::other:
      break;
  }
}

// What every row must be: UTF-8 text, with a URL or a path (not both).
void check_row(ManifestRow& row, std::string_view where) {
  if (row.error) {
    return;
  }
  std::vector<const std::string*> texts{&row.url,          &row.path,         &row.caption,
                                        &row.credit,       &row.photographer, &row.rights_holder,
                                        &row.licence_note, &row.release};
  for (const auto& item : row.tags) {
    texts.push_back(&item);
  }
  for (const auto& item : row.people) {
    texts.push_back(&item);
  }
  for (const auto* text : texts) {
    if (!is_clean_utf8(*text)) {
      row.error = std::string(where) + " holds text that is not UTF-8";
      return;
    }
  }
  if (row.url.empty() && row.path.empty()) {
    row.error = std::string(where) + " has neither a url nor a path";
  } else if (!row.url.empty() && !row.path.empty()) {
    row.error = std::string(where) + " has both a url and a path; give one";
  }
}

}  // namespace

const char* to_string(ManifestFormat format) {
  switch (format) {
    case ManifestFormat::csv:
      return "csv";
    case ManifestFormat::jsonl:
      return "jsonl";
    case ManifestFormat::urls:
      return "urls";
  }
  return "csv";
}

std::optional<ManifestFormat> detect_manifest(std::string_view head) {
  if (head.starts_with(k_bom)) {
    head.remove_prefix(k_bom.size());
  }
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < head.size() && lines.size() < 5) {
    const auto end = std::min(head.find('\n', start), head.size());
    const bool complete = end < head.size();
    std::string line = trimmed(head.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#' || (!complete && !lines.empty())) {
      continue;
    }
    lines.push_back(std::move(line));
  }
  if (lines.empty()) {
    return std::nullopt;
  }
  if (lines.front().front() == '{') {
    return ManifestFormat::jsonl;
  }
  const bool all_urls = std::all_of(lines.begin(), lines.end(), [](const std::string& line) {
    return starts_with_url(line) && line.find_first_of(" \t") == std::string::npos;
  });
  if (all_urls) {
    return ManifestFormat::urls;
  }
  const std::string& header = lines.front();
  const char delimiter = header.find(',') == std::string::npos ? ';' : ',';
  for (std::string cell : split_list(header, delimiter)) {
    cell.erase(std::remove(cell.begin(), cell.end(), '"'), cell.end());
    const Column column = column_named(cell);
    if (column == Column::url || column == Column::path) {
      return ManifestFormat::csv;
    }
  }
  return std::nullopt;
}

struct ManifestReader::Impl {
  std::filesystem::path file;
  std::ifstream in;
  ManifestFormat format = ManifestFormat::csv;
  int line = 0;  // jsonl, urls: lines read; csv: records completed
  bool at_end = false;
  bool failed = false;

  // CSV
  csv_parser parser{};
  bool parser_ready = false;
  std::vector<std::string> fields;
  std::size_t record_bytes = 0;
  std::deque<std::vector<std::string>> records;
  std::vector<Column> columns;
  char list_separator = ';';

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;
  ~Impl() {
    if (parser_ready) {
      csv_free(&parser);
    }
  }

  // libcsv's callbacks: a field ended, a record ended.
  static void on_csv_field(void* data, std::size_t size, void* impl) {
    auto* self = static_cast<Impl*>(impl);
    self->fields.emplace_back(data == nullptr ? "" : std::string(static_cast<char*>(data), size));
    self->record_bytes += size;
  }
  static void on_csv_record(int /*terminator*/, void* impl) {
    auto* self = static_cast<Impl*>(impl);
    self->records.push_back(std::move(self->fields));
    self->fields.clear();
    self->record_bytes = 0;
  }

  ManifestRow error_row(std::string message) {
    failed = true;
    ManifestRow row;
    row.line = line;
    row.error = file.string() + ": " + std::move(message);
    return row;
  }

  // CSV records until one is complete or the file ends; false on a parse error (`error` set).
  bool fill(std::string& error) {
    std::array<char, k_chunk_bytes> chunk{};
    while (records.empty() && !at_end) {
      in.read(chunk.data(), chunk.size());
      const auto got = static_cast<std::size_t>(in.gcount());
      if (got == 0) {
        at_end = true;
        if (in.bad()) {
          error = "cannot read further";
          return false;
        }
        csv_fini(&parser, on_csv_field, on_csv_record, this);
        break;
      }
      if (csv_parse(&parser, chunk.data(), got, on_csv_field, on_csv_record, this) != got) {
        error = std::string("not CSV: ") + csv_strerror(csv_error(&parser));
        return false;
      }
      if (parser.entry_pos + record_bytes > k_max_row_bytes) {
        error =
            "a record of more than 1 MiB (an unclosed quote?) after record " + std::to_string(line);
        return false;
      }
    }
    return true;
  }

  std::optional<ManifestRow> next_csv() {
    while (true) {
      std::string error;
      if (!fill(error)) {
        return error_row(std::move(error));
      }
      if (records.empty()) {
        return std::nullopt;
      }
      std::vector<std::string> record = std::move(records.front());
      records.pop_front();
      ++line;
      const bool blank = std::all_of(record.begin(), record.end(), [](const std::string& field) {
        return trimmed(field).empty();
      });
      if (blank) {
        continue;
      }
      ManifestRow row;
      row.line = line;
      for (std::size_t i = 0; i < record.size() && i < columns.size(); ++i) {
        set_field(row, columns[i], record[i], list_separator);
      }
      check_row(row, file.string() + ": record " + std::to_string(line));
      return row;
    }
  }

  // The next line that is not blank (nor, in a URL list, a comment); nullopt at the end.
  std::optional<std::string> next_line(bool skip_comments) {
    std::string text;
    while (std::getline(in, text)) {
      ++line;
      if (line == 1 && text.starts_with(k_bom)) {
        text.erase(0, k_bom.size());
      }
      std::string content = trimmed(text);
      if (content.empty() || (skip_comments && content.front() == '#')) {
        continue;
      }
      return content;
    }
    at_end = true;
    return std::nullopt;
  }

  std::optional<ManifestRow> next_url() {
    auto text = next_line(true);
    if (!text) {
      return std::nullopt;
    }
    ManifestRow row;
    row.line = line;
    const std::string where = file.string() + ": line " + std::to_string(line);
    if (text->size() > k_max_row_bytes || text->find_first_of(" \t") != std::string::npos) {
      row.error = where + " is not a URL";
      return row;
    }
    row.url = std::move(*text);
    check_row(row, where);
    return row;
  }

  std::optional<ManifestRow> next_json() {
    auto text = next_line(false);
    if (!text) {
      return std::nullopt;
    }
    ManifestRow row;
    row.line = line;
    const std::string where = file.string() + ": line " + std::to_string(line);
    if (text->size() > k_max_row_bytes) {
      row.error = where + " is longer than 1 MiB";
      return row;
    }
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      row.error = where + " is not a JSON object";
      return row;
    }
    for (const auto& [key, value] : json.items()) {
      const Column column = column_named(key);
      if (column == Column::other) {
        continue;
      }
      if ((column == Column::tags || column == Column::people) && value.is_array()) {
        std::vector<std::string> items;
        for (const auto& item : value) {
          if (!item.is_string()) {
            row.error = where;
            row.error->append(": \"").append(key).append("\" must be a list of texts");
            return row;
          }
          items.push_back(trimmed(item.get<std::string>()));
        }
        (column == Column::tags ? row.tags : row.people) = std::move(items);
        continue;
      }
      if (value.is_null()) {
        continue;
      }
      if (!value.is_string()) {
        row.error = where;
        row.error->append(": \"").append(key).append("\" must be text");
        return row;
      }
      set_field(row, column, value.get<std::string>(), ';');
    }
    check_row(row, where);
    return row;
  }
};

Result<ManifestReader> ManifestReader::open(const std::filesystem::path& file,
                                            ManifestFormat format) {
  auto impl = std::make_unique<Impl>();
  impl->file = file;
  impl->format = format;
  impl->in.open(file, std::ios::binary);
  if (!impl->in) {
    std::error_code error;
    return fail(std::filesystem::exists(file, error) ? Errc::io : Errc::not_found, file.string(),
                "cannot open the manifest");
  }
  if (format != ManifestFormat::csv) {
    return ManifestReader(std::move(impl));
  }
  // The header decides the delimiter: a ';' without any ',' is a German spreadsheet's CSV.
  std::string header;
  std::getline(impl->in, header);
  if (header.starts_with(k_bom)) {
    header.erase(0, k_bom.size());
  }
  const char delimiter =
      header.find(',') == std::string::npos && header.find(';') != std::string::npos ? ';' : ',';
  impl->list_separator = delimiter == ';' ? ',' : ';';
  impl->in.clear();
  impl->in.seekg(0);
  if (csv_init(&impl->parser, CSV_APPEND_NULL) != 0) {
    return fail(Errc::io, file.string(), "cannot make a CSV parser");
  }
  impl->parser_ready = true;
  csv_set_delim(&impl->parser, static_cast<unsigned char>(delimiter));
  std::string error;
  if (!impl->fill(error) || impl->records.empty()) {
    return fail(Errc::invalid_input, file.string(),
                error.empty() ? "the CSV manifest is empty" : error);
  }
  std::vector<std::string> names = std::move(impl->records.front());
  impl->records.pop_front();
  impl->line = 1;
  if (!names.empty() && names.front().starts_with(k_bom)) {
    names.front().erase(0, k_bom.size());
  }
  bool has_source = false;
  for (const auto& name : names) {
    impl->columns.push_back(column_named(name));
    has_source =
        has_source || impl->columns.back() == Column::url || impl->columns.back() == Column::path;
  }
  if (!has_source) {
    return fail(Errc::invalid_input, file.string(),
                "the CSV manifest's header names no `url` or `path` column");
  }
  return ManifestReader(std::move(impl));
}

ManifestReader::ManifestReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ManifestReader::ManifestReader(ManifestReader&&) noexcept = default;
ManifestReader& ManifestReader::operator=(ManifestReader&&) noexcept = default;
ManifestReader::~ManifestReader() = default;

std::optional<ManifestRow> ManifestReader::next() {
  if (m_impl->failed) {
    return std::nullopt;
  }
  switch (m_impl->format) {
    case ManifestFormat::csv:
      return m_impl->next_csv();
    case ManifestFormat::jsonl:
      return m_impl->next_json();
    case ManifestFormat::urls:
      return m_impl->next_url();
  }
  return std::nullopt;
}

}  // namespace pressroom::importer
