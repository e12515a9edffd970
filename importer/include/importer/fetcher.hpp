#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/image_type.hpp"
#include "importer/address_policy.hpp"

namespace pressroom::importer {

// How long, how often and how much (defaults for a press office's photo server).
struct FetchLimits {
  std::chrono::milliseconds connect_timeout{10'000};    // to open a connection (and TLS)
  std::chrono::milliseconds stall_timeout{30'000};      // with no byte received
  std::chrono::milliseconds transfer_timeout{300'000};  // for one attempt, start to end
  std::uint64_t max_bytes = 200ULL << 20U;  // per photo, enforced while the bytes arrive
  int max_redirects = 5;
  int max_attempts = 4;                              // the first try and up to three retries
  std::chrono::milliseconds first_retry_delay{500};  // doubled per retry, with jitter
  std::chrono::milliseconds max_retry_delay{30'000};
  std::chrono::milliseconds max_retry_after{60'000};  // a longer Retry-After is a failure
};

struct FetcherOptions {
  int jobs = 8;      // transfers at once
  int per_host = 4;  // transfers at once to one host (scheme, name and port)
  FetchLimits limits;
  AddressPolicy policy;
  // As curl's --connect-to HOST:PORT:ADDR:PORT and --resolve HOST:PORT:ADDR: fetch a
  // release's real URLs from a local mirror without rewriting them.
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  std::filesystem::path ca_file;  // --cacert: trust these CAs instead of the system's
  // The proxy environment variables as curl reads them (http_proxy, https_proxy, HTTPS_PROXY,
  // all_proxy, ALL_PROXY, no_proxy, NO_PROXY); read once, when the Fetcher is made.
  bool use_proxy_environment = true;
};

// One URL to fetch. The body goes to `destination` (through `destination` + ".part", renamed
// when complete and checked), so a half-fetched file never has the final name.
struct FetchRequest {
  std::string url;
  std::filesystem::path destination;
  std::string etag;           // from an earlier fetch: sent as If-None-Match
  std::string last_modified;  // from an earlier fetch: sent as If-Modified-Since
  // Take the body whatever it is (a press release's text), instead of refusing what is no
  // image; `type` is then set only for an image.
  bool any_type = false;
};

enum class FetchOutcome {
  fetched,    // a new body is at the destination
  unchanged,  // 304: the earlier fetch is still current; nothing was written
  failed,
};

// Why a fetch failed, for callers that branch on it (JSON: "error_kind").
enum class FetchFailure {
  none,
  invalid_url,  // not an http or https URL
  refused,      // the address policy refused the address, or a redirect to http
  http_status,  // the server answered 4xx, or 5xx/429 on every attempt
  network,      // could not resolve, connect or read, on every attempt
  timeout,      // connect, stall or transfer limit, on every attempt
  tls,          // the certificate or the TLS handshake failed
  too_many_redirects,
  too_large,     // over FetchLimits::max_bytes
  not_an_image,  // the bytes are no image type pressroom reads, whatever Content-Type said
  local_io,      // the destination could not be written
  cancelled,
};

struct FetchResult {
  std::size_t index = 0;  // of the request in the batch
  std::string url;
  std::string final_url;  // after redirects
  FetchOutcome outcome = FetchOutcome::failed;
  long status = 0;           // the last HTTP status; 0 when there was none
  std::string http_version;  // "1.1", "2"
  std::uint64_t bytes = 0;   // of the body at the destination
  std::string sha256;        // of those bytes
  std::optional<ImageType> type;
  std::string etag;           // for the next conditional fetch
  std::string last_modified;  // for the next conditional fetch
  int attempts = 0;
  double seconds = 0;  // from the first attempt to the end, waits included
  FetchFailure failure = FetchFailure::none;
  std::string error;  // what went wrong, as a user reads it; empty unless failed
};

// The state of a batch, for a progress line.
struct FetchProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t failed = 0;
  std::uint64_t bytes = 0;  // body bytes received so far, by all transfers
  double seconds = 0;       // since the batch started
};

const char* to_string(FetchOutcome outcome);
const char* to_string(FetchFailure failure);

// Fetches photos over HTTP(S) like a careful browser: in parallel on libcurl's multi
// interface, patient with faults (retries with backoff on connection errors, 429 and 5xx,
// resuming short bodies with Range), conditional (If-None-Match, If-Modified-Since), and safe
// against hostile servers (address policy, redirect and size limits, type sniffing).
// One thread drives all transfers; memory does not grow with file sizes.
class Fetcher {
 public:
  // Errors: invalid_input (jobs or per_host below 1, a --connect-to or --resolve entry that is
  // not in curl's form), not_found (ca_file does not exist).
  static Result<Fetcher> create(FetcherOptions options);

  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;
  Fetcher(Fetcher&&) noexcept;
  Fetcher& operator=(Fetcher&&) noexcept;
  ~Fetcher();

  // Fetches every request and calls `on_result` as each one ends, in the order they end, on
  // the calling thread; `on_progress` (if set) at most five times a second. Returns when all
  // have ended or cancel() was called (the rest then end as `cancelled`, their partial files
  // removed).
  void fetch(std::span<const FetchRequest> requests,
             const std::function<void(const FetchResult&)>& on_result,
             const std::function<void(const FetchProgress&)>& on_progress = {});

  // Asks a running fetch() to stop soon. Safe from another thread and from a signal handler.
  void cancel() { m_cancelled->store(true); }

 private:
  struct Impl;
  explicit Fetcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
  std::unique_ptr<std::atomic<bool>> m_cancelled = std::make_unique<std::atomic<bool>>(false);
};

// The last segment of a URL's path, as written (not percent-decoded), without query and
// fragment: "https://host/a/b.jpg?x=1" gives "b.jpg"; "" when the path ends in '/' or is empty.
std::string last_path_segment(std::string_view url);

// Calls curl_global_init() once; call it in main() before any thread starts (STYLE.md §4).
// Fetcher::create() calls it too, for tests and tools that have no such main().
void initialize_http();

}  // namespace pressroom::importer
