#pragma once

// The small pieces of HTTP text the fetcher reads: URLs, Content-Range, Retry-After, and what
// a body that is no image looks like. Pure functions, private to importer/ (tested on their own).

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace pressroom::importer {

struct UrlParts {
  std::string text;      // the URL as curl normalised it
  std::string scheme;    // "http" or "https"
  std::string host;      // without brackets for IPv6
  std::string host_key;  // "scheme://host:port": what the per-host limit counts
};

// An absolute http or https URL, or why it is not one ("ftp://x: only http and https URLs are
// fetched").
tl::expected<UrlParts, std::string> parse_url(const std::string& url);

struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t total = 0;  // 0 when the server gives "*"
};
// "bytes 600-999/1000"; nullopt for anything else.
std::optional<ContentRange> parse_content_range(std::string_view value);

// Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to `now`; nullopt
// when absent or unreadable. A date in the past is a zero delay.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now);

// "Not Found" for 404; "" for a status without a well-known reason.
std::string_view status_reason(long status);

// What a body that is no image looks like, for an error message: "an HTML page", "an empty
// body", "a JSON document", "text (\"Access denied…\")", "bytes 00 01 02 03 … of no known type".
std::string describe_non_image(std::string_view head);

std::string lower_case(std::string_view text);
// The comma-separated entries of a list, trimmed, without empty ones.
std::vector<std::string> split_list(std::string_view text);

}  // namespace pressroom::importer
