#pragma once

// The mirror's answers: the files under one folder, served as a press service's web server
// serves its photographs, with the validators (ETag, Last-Modified) and conditional answers
// (304) that an importer's second run relies on, and a log a test can check them by.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <httplib.h>

namespace pressroom::mirror {

// Answers GET and HEAD with the regular file at the request's (percent-decoded) path under
// `root`: Content-Type by extension, Content-Length, a strong ETag (the first 32 hex digits of
// the file's SHA-256, cached per path, size and mtime) and Last-Modified (its mtime). A matching
// If-None-Match (a list, or *), or, when there is no If-None-Match, an If-Modified-Since not
// older than the mtime, gets 304 with no body (RFC 9110, 13.2.2). One byte range ("Range:
// bytes=N-" and the like) gets 206 with Content-Range, or 416 when it lies beyond the file;
// several ranges, or an If-Range naming another version, get the whole file. Everything else is 404
// with no body: a missing file, a folder, a path with a `.`, `..` or hidden segment, a symlink
// that resolves outside `root`. The body is streamed from the file opened for the request.
//
// Thread-safe: httplib calls handle() and log() from its worker threads, and a request's log()
// on the thread that ran its handle().
class FileServer {
 public:
  // `root`: an existing folder, canonical (absolute, no symlinks). `log`: where log() appends;
  // nothing is logged when it is not open.
  FileServer(std::filesystem::path root, std::ofstream log);

  // The handler for httplib's Get(), which HEAD requests reach too (httplib sends no body for
  // them).
  void handle(const httplib::Request& request, httplib::Response& response);

  // The httplib post-routing handler, called on the thread that ran handle(): mends the headers
  // httplib added to a response.
  static void finish(const httplib::Request& request, httplib::Response& response);

  // The httplib logger, called once for each response after it was written (404s of other
  // methods and 400s of unreadable requests too). Appends one line and flushes it:
  // METHOD TAB PATH TAB STATUS TAB BODY_BYTES_SENT TAB IF-NONE-MATCH (or "-"). BODY_BYTES_SENT
  // counts the body bytes written to the connection: 0 for HEAD, 304 and 404. Control
  // characters in PATH and IF-NONE-MATCH are written %XX, so a line is always one line.
  void log(const httplib::Request& request, const httplib::Response& response);

 private:
  struct CachedTag {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string etag;
  };
  // The ETag of the open file `descriptor` (which is `file`, of `size` bytes and mtime
  // `mtime_ns`), from the cache or computed; nullopt when the file cannot be read.
  std::optional<std::string> etag(const std::filesystem::path& file, int descriptor,
                                  std::uintmax_t size, std::int64_t mtime_ns);

  std::filesystem::path m_root;
  std::mutex m_log_mutex;
  std::ofstream m_log;
  std::mutex m_tags_mutex;
  std::map<std::string, CachedTag> m_tags;  // by canonical path
};

}  // namespace pressroom::mirror
