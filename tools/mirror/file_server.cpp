#include "file_server.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <memory>
#include <span>
#include <string_view>
#include <tuple>
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
// The Content-Type of the file this worker thread is answering with, for finish().
thread_local std::string t_content_type;

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

// The bytes [offset, offset + length) of a file of `size` bytes that `range` asks for, clamped
// to the file; nullopt when none of them is in it. httplib gives an open end as -1 and a suffix
// range ("bytes=-N") as (-1, N).
std::optional<std::pair<std::uintmax_t, std::uintmax_t>> byte_range(const httplib::Range& range,
                                                                    std::uintmax_t size) {
  if (range.first < 0) {
    if (range.second <= 0 || size == 0) {
      return std::nullopt;
    }
    const std::uintmax_t length = std::min(static_cast<std::uintmax_t>(range.second), size);
    return std::pair{size - length, length};
  }
  const auto first = static_cast<std::uintmax_t>(range.first);
  if (first >= size || (range.second >= 0 && range.second < range.first)) {
    return std::nullopt;
  }
  const std::uintmax_t last =
      range.second < 0 ? size - 1 : std::min(static_cast<std::uintmax_t>(range.second), size - 1);
  return std::pair{first, last - first + 1};
}

// Whether If-Range lets a Range apply (RFC 9110, 13.1.5): no If-Range, or one that is the
// current ETag (strong comparison) or exactly the current Last-Modified.
bool range_applies(const httplib::Request& request, std::string_view etag,
                   std::string_view last_modified) {
  if (!request.has_header("If-Range")) {
    return true;
  }
  const std::string condition = request.get_header_value("If-Range");
  return trimmed(condition) == etag || trimmed(condition) == last_modified;
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
  const std::string last_modified = http_date(status.st_mtim.tv_sec);
  response.set_header("ETag", *tag);
  response.set_header("Last-Modified", last_modified);
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
  // Ranges are served here, not by httplib, which checks none ("bytes=500000-" of a smaller
  // file got a 206 claiming nearly 2^64 bytes, "bytes=0-999999" one claiming 1000000) and knows
  // no If-Range. The importer resumes with one open range and If-Range. Several ranges get the
  // whole file, as a server may answer any Range (RFC 9110, 14.2).
  std::uintmax_t offset = 0;
  std::uintmax_t length = size;
  if (request.ranges.size() == 1 && range_applies(request, *tag, last_modified)) {
    const auto range = byte_range(request.ranges.front(), size);
    if (!range) {
      response.status = 416;
      response.set_header("Content-Range", "bytes */" + std::to_string(size));
      return;
    }
    std::tie(offset, length) = *range;
    response.status = 206;
    response.set_header("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                             std::to_string(offset + length - 1) + "/" +
                                             std::to_string(size));
  } else {
    response.status = 200;
  }
  response.set_header("Accept-Ranges", "bytes");
  // A provider "without length" is one httplib writes as it is, ignoring the request's
  // ranges, so the Content-Length is set here. It reads with pread, needing no file position;
  // a file that shrank since fstat ends the response early (the client sees a short body).
  response.set_header("Content-Length", std::to_string(length));
  t_content_type = content_type(*file);
  response.set_content_provider(
      t_content_type, [open, offset, length](std::size_t written, httplib::DataSink& sink) {
        if (written >= length) {
          sink.done();
          return true;
        }
        std::array<char, k_chunk_bytes> buffer{};
        const ssize_t got = ::pread(
            open->descriptor(), buffer.data(),
            static_cast<std::size_t>(std::min<std::uintmax_t>(length - written, buffer.size())),
            static_cast<off_t>(offset + written));
        if (got <= 0 || !sink.write(buffer.data(), static_cast<std::size_t>(got))) {
          return false;
        }
        t_body_bytes += static_cast<std::uint64_t>(got);
        return true;
      });
}

void FileServer::finish(const httplib::Request& request, httplib::Response& response) {
  // A 304 may carry only the Content-Length a 200 would (RFC 9110, 8.6); httplib gives every
  // response without a body "Content-Length: 0". Like nginx and Apache, send none.
  if (response.status == 304) {
    response.headers.erase("Content-Length");
  }
  // For a request of several ranges httplib has made the Content-Type multipart/byteranges,
  // though it sends the whole file (see handle()).
  if (request.ranges.size() > 1 && (response.status == 200 || response.status == 206)) {
    response.headers.erase("Content-Type");
    response.set_header("Content-Type", t_content_type);
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
