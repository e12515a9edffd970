#include "http_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <curl/curl.h>

#include "curl_handles.hpp"

namespace pressroom::importer {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return value;
}

std::string url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) {
    return {};
  }
  const CurlString owner(text);
  return text;
}

}  // namespace

tl::expected<UrlParts, std::string> parse_url(const std::string& url) {
  const CurlUrl handle(curl_url());
  if (!handle) {
    return tl::make_unexpected(url + ": out of memory");
  }
  // Without CURLU_GUESS_SCHEME: "www.example.org/a.jpg" is not a URL the fetcher guesses at.
  const CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0);
  if (code != CURLUE_OK) {
    return tl::make_unexpected(url + ": not a URL (" + curl_url_strerror(code) + ")");
  }
  UrlParts parts;
  parts.scheme = lower_case(url_part(handle.get(), CURLUPART_SCHEME));
  if (parts.scheme != "http" && parts.scheme != "https") {
    return tl::make_unexpected(url + ": only http and https URLs are fetched");
  }
  parts.host = url_part(handle.get(), CURLUPART_HOST);
  if (parts.host.empty()) {
    return tl::make_unexpected(url + ": the URL has no host");
  }
  const std::string port = url_part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  parts.text = url_part(handle.get(), CURLUPART_URL);
  parts.host_key = parts.scheme + "://" + lower_case(parts.host) + ":" + port;
  if (parts.host.size() >= 2 && parts.host.front() == '[') {
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  }
  return parts;
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = trim(value);
  if (!value.starts_with("bytes ")) {
    return std::nullopt;
  }
  value.remove_prefix(6);
  const auto dash = value.find('-');
  const auto slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash) {
    return std::nullopt;
  }
  const auto first = parse_number(value.substr(0, dash));
  const auto last = parse_number(value.substr(dash + 1, slash - dash - 1));
  const std::string_view total_text = value.substr(slash + 1);
  const auto total = total_text == "*" ? std::optional<std::uint64_t>(0) : parse_number(total_text);
  if (!first || !last || !total || *last < *first || (*total != 0 && *last >= *total)) {
    return std::nullopt;
  }
  return ContentRange{*first, *last, *total};
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::time_t now) {
  value = trim(value);
  if (value.empty()) {
    return std::nullopt;
  }
  if (const auto seconds = parse_number(value)) {
    // Capped so that the multiplication cannot overflow; the caller has a far smaller limit.
    return std::chrono::milliseconds(std::min<std::uint64_t>(*seconds, 1ULL << 40U) * 1000);
  }
  const std::string date(value);
  const std::time_t when = curl_getdate(date.c_str(), nullptr);  // RFC 9110's three forms
  if (when < 0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(std::max<std::int64_t>(0, when - now) * 1000);
}

std::string_view status_reason(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 416:
      return "Range Not Satisfiable";
    case 429:
      return "Too Many Requests";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string describe_non_image(std::string_view head) {
  if (head.empty()) {
    return "an empty body";
  }
  const std::string lower = lower_case(trim(head));
  if (lower.starts_with("<!doctype html") || lower.starts_with("<html") ||
      lower.find("<html") != std::string::npos || lower.find("<head") != std::string::npos ||
      lower.find("<body") != std::string::npos) {
    return "an HTML page";
  }
  if (lower.starts_with("<?xml") || lower.starts_with("<svg")) {
    return lower.find("<svg") != std::string::npos ? "an SVG drawing" : "an XML document";
  }
  if (lower.starts_with("{") || lower.starts_with("[")) {
    return "a JSON document";
  }
  if (head.starts_with("GIF8")) {
    return "a GIF image";
  }
  if (head.starts_with("%PDF")) {
    return "a PDF document";
  }
  const bool printable = std::all_of(head.begin(), head.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 || byte == '\n' || byte == '\r' || byte == '\t' || byte >= 0x80;
  });
  if (printable) {
    std::string sample(trim(head.substr(0, 40)));
    std::replace_if(
        sample.begin(), sample.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    return "text (\"" + sample + (head.size() > 40 ? "…" : "") + "\")";
  }
  static constexpr std::string_view k_hex = "0123456789abcdef";
  std::string bytes;
  for (std::size_t i = 0; i < std::min<std::size_t>(head.size(), 8); ++i) {
    const auto byte = static_cast<unsigned char>(head[i]);
    bytes += k_hex[byte >> 4U];
    bytes += k_hex[byte & 0x0FU];
    bytes += ' ';
  }
  return "bytes " + bytes + "of no known type";
}

std::string lower_case(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> entries;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view entry = trim(text.substr(0, comma));
    if (!entry.empty()) {
      entries.emplace_back(entry);
    }
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return entries;
}

}  // namespace pressroom::importer
