#include "file_server.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>  // NOLINT(modernize-deprecated-headers): gmtime_r, timegm and strptime are POSIX
#include <unistd.h>

#include "core/sha256.hpp"

namespace pressroom::mirror {
namespace {

// The body bytes of the response this worker thread is writing. The content provider adds to
// it and log() reads and clears it: httplib writes a response and then calls the logger on the
// same thread, and the logger is the one place that sees every response.
thread_local std::uint64_t t_body_bytes = 0;

constexpr std::size_t k_chunk_bytes = std::size_t{64} * 1024;
constexpr std::size_t k_etag_hex_digits = 32;

// One open file, shared by a response and its content provider (std::function must be
// copyable), closed when the last of them lets go.
class OpenFile {
 public:
  explicit OpenFile(int descriptor) : m_descriptor(descriptor) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() {
    if (m_descriptor >= 0) {
      ::close(m_descriptor);
    }
  }
  int descriptor() const { return m_descriptor; }

 private:
  int m_descriptor;
};

// The file `request_path` names under `root`, or nullopt when it names nothing the mirror
// serves. Segments are checked before the file system is asked, so `..` never reaches it; the
// canonical path must still lie under root, which catches symlinks that lead out.
std::optional<std::filesystem::path> resolve(const std::filesystem::path& root,
                                             std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/' ||
      request_path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::filesystem::path relative;
  std::size_t start = 1;
  while (start <= request_path.size()) {
    std::size_t end = request_path.find('/', start);
    if (end == std::string_view::npos) {
      end = request_path.size();
    }
    const std::string_view segment = request_path.substr(start, end - start);
    if (segment.empty()) {
      if (end == request_path.size()) {
        return std::nullopt;  // a trailing slash names a folder
      }
    } else if (segment.front() == '.') {
      return std::nullopt;  // ".", ".." and hidden files alike
    } else {
      relative /= segment;
    }
    start = end + 1;
  }
  if (relative.empty()) {
    return std::nullopt;
  }
  std::error_code error;
  std::filesystem::path resolved = std::filesystem::canonical(root / relative, error);
  if (error) {
    return std::nullopt;
  }
  const auto [root_end, resolved_end] =
      std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
  if (root_end != root.end() || resolved_end == resolved.end()) {
    return std::nullopt;
  }
  return resolved;
}

std::string content_type(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
  static const std::map<std::string, std::string, std::less<>> k_types = {
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
      {".tif", "image/tiff"}, {".tiff", "image/tiff"}, {".webp", "image/webp"},
      {".heic", "image/heic"}};
  const auto found = k_types.find(extension);
  return found == k_types.end() ? "application/octet-stream" : found->second;
}

// IMF-fixdate (RFC 9110, 5.6.7), as Last-Modified is sent. strftime's %a and %b are English:
// the program never calls setlocale, so LC_TIME stays "C".
std::string http_date(std::time_t time) {
  std::tm parts{};
  ::gmtime_r(&time, &parts);
  std::array<char, 64> text{};
  const std::size_t length =
      std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return {text.data(), length};
}

// An HTTP date in any of the three formats a recipient must accept (RFC 9110, 5.6.7):
// IMF-fixdate, RFC 850 and asctime. nullopt for anything else, which makes the header ignored.
std::optional<std::time_t> parse_http_date(const std::string& text) {
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm parts{};
    const char* end = ::strptime(text.c_str(), format, &parts);
    if (end != nullptr && *end == '\0') {
      return ::timegm(&parts);
    }
  }
  return std::nullopt;
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// If-None-Match's weak comparison (RFC 9110, 13.1.2): `*`, or any listed tag whose opaque part
// equals the ETag's, W/ or not.
bool etag_listed(std::string_view header, std::string_view etag) {
  if (trimmed(header) == "*") {
    return true;
  }
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) {
      end = header.size();
    }
    std::string_view tag = trimmed(header.substr(start, end - start));
    if (tag.substr(0, 2) == "W/") {
      tag.remove_prefix(2);
    }
    if (tag == etag) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// `text` with control characters, DEL and `%` written %XX, so that a log field stays one field.
std::string log_field(std::string_view text) {
  std::string field;
  field.reserve(text.size());
  for (const char letter : text) {
    const auto code = static_cast<unsigned char>(letter);
    if (code < 0x20 || code == 0x7f || letter == '%') {
      constexpr std::string_view k_hex = "0123456789ABCDEF";
      field += '%';
      field += k_hex[code >> 4U];
      field += k_hex[code & 0xfU];
    } else {
      field += letter;
    }
  }
  return field;
}

// Whether every range lies (at least partly) in a file of `size` bytes. httplib cuts a body to
// the ranges without checking them: "bytes=500000-" of a smaller file got a 206 claiming a
// Content-Length of nearly 2^64. httplib gives an open end as -1, a suffix range as (-1, N).
bool ranges_satisfiable(const httplib::Ranges& ranges, std::uintmax_t size) {
  return std::all_of(ranges.begin(), ranges.end(), [size](const httplib::Range& range) {
    if (range.first < 0) {
      return range.second > 0 && size > 0;
    }
    return static_cast<std::uintmax_t>(range.first) < size &&
           (range.second < 0 || range.second >= range.first);
  });
}

std::int64_t mtime_ns(const struct stat& status) {
  constexpr std::int64_t k_ns_per_second = 1'000'000'000;
  return static_cast<std::int64_t>(status.st_mtim.tv_sec) * k_ns_per_second +
         static_cast<std::int64_t>(status.st_mtim.tv_nsec);
}

}  // namespace

FileServer::FileServer(std::filesystem::path root, std::ofstream log)
    : m_root(std::move(root)), m_log(std::move(log)) {}

std::optional<std::string> FileServer::etag(const std::filesystem::path& file, int descriptor,
                                            std::uintmax_t size, std::int64_t mtime_ns) {
  {
    const std::lock_guard lock(m_tags_mutex);
    const auto found = m_tags.find(file.string());
    if (found != m_tags.end() && found->second.size == size && found->second.mtime_ns == mtime_ns) {
      return found->second.etag;
    }
  }
  // Hashed outside the lock: two threads may hash one new file at once, and agree.
  Sha256 digest;
  std::vector<std::byte> buffer(k_chunk_bytes);
  for (off_t offset = 0;;) {
    const ssize_t got = ::pread(descriptor, buffer.data(), buffer.size(), offset);
    if (got < 0) {
      return std::nullopt;
    }
    if (got == 0) {
      break;
    }
    digest.update(std::span(buffer).first(static_cast<std::size_t>(got)));
    offset += got;
  }
  std::string tag = '"' + digest.hex_digest().substr(0, k_etag_hex_digits) + '"';
  const std::lock_guard lock(m_tags_mutex);
  m_tags.insert_or_assign(file.string(), CachedTag{size, mtime_ns, tag});
  return tag;
}

void FileServer::handle(const httplib::Request& request, httplib::Response& response) {
  response.status = 404;
  const auto file = resolve(m_root, request.path);
  if (!file) {
    return;
  }
  auto open = std::make_shared<OpenFile>(::open(file->c_str(), O_RDONLY | O_CLOEXEC));
  struct stat status {};
  if (open->descriptor() < 0 || ::fstat(open->descriptor(), &status) != 0 ||
      !S_ISREG(status.st_mode)) {
    return;
  }
  const auto size = static_cast<std::uintmax_t>(status.st_size);
  const auto tag = etag(*file, open->descriptor(), size, mtime_ns(status));
  if (!tag) {
    response.status = 500;  // a regular file that cannot be read: the operator must look
    return;
  }
  response.set_header("ETag", *tag);
  response.set_header("Last-Modified", http_date(status.st_mtim.tv_sec));
  bool not_modified = false;
  if (request.has_header("If-None-Match")) {
    not_modified = etag_listed(request.get_header_value("If-None-Match"), *tag);
  } else if (request.has_header("If-Modified-Since")) {
    const auto since = parse_http_date(request.get_header_value("If-Modified-Since"));
    not_modified = since && status.st_mtim.tv_sec <= *since;
  }
  if (not_modified) {
    response.status = 304;  // finish() takes away the Content-Length httplib adds
    return;
  }
  // A Range request gets the ranges (httplib cuts the body to them), all of them or none: 416
  // when one is unsatisfiable, where RFC 9110 (14.2) would serve the others.
  if (!request.ranges.empty() && !ranges_satisfiable(request.ranges, size)) {
    response.status = 416;
    response.set_header("Content-Range", "bytes */" + std::to_string(size));
    return;
  }
  response.status = request.ranges.empty() ? 200 : 206;
  // The provider reads with pread at httplib's offsets, so a retried or ranged write needs no
  // file position; a file that shrank since fstat ends the response early (httplib then closes
  // the connection, and the client sees a short body).
  response.set_content_provider(
      static_cast<std::size_t>(size), content_type(*file),
      [open](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::array<char, k_chunk_bytes> buffer{};
        const ssize_t got = ::pread(open->descriptor(), buffer.data(),
                                    std::min(length, buffer.size()), static_cast<off_t>(offset));
        if (got <= 0 || !sink.write(buffer.data(), static_cast<std::size_t>(got))) {
          return false;
        }
        t_body_bytes += static_cast<std::uint64_t>(got);
        return true;
      });
}

void FileServer::finish(const httplib::Request& /*request*/, httplib::Response& response) {
  // A 304 may carry only the Content-Length a 200 would (RFC 9110, 8.6); httplib gives every
  // response without a body "Content-Length: 0". Like nginx and Apache, send none.
  if (response.status == 304) {
    response.headers.erase("Content-Length");
  }
}

void FileServer::log(const httplib::Request& request, const httplib::Response& response) {
  const std::uint64_t bytes = std::exchange(t_body_bytes, 0);
  if (!m_log.is_open()) {
    return;
  }
  const std::string none_match = request.has_header("If-None-Match")
                                     ? log_field(request.get_header_value("If-None-Match"))
                                     : "-";
  const std::string line = log_field(request.method) + '\t' + log_field(request.path) + '\t' +
                           std::to_string(response.status) + '\t' + std::to_string(bytes) + '\t' +
                           none_match + '\n';
  const std::lock_guard lock(m_log_mutex);
  m_log << line << std::flush;
}

}  // namespace pressroom::mirror
