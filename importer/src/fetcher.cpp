#include "importer/fetcher.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>
#include <utility>

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/file_io.hpp"
#include "core/sha256.hpp"
#include "curl_handles.hpp"
#include "http_text.hpp"

namespace pressroom::importer {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t k_discard_limit = 64 << 10;  // of an error or redirect body
constexpr long k_buffer_size = 128L << 10;           // per transfer, as curl's own tool uses
constexpr auto k_progress_interval = std::chrono::milliseconds(200);
constexpr int k_poll_ms = 100;  // how soon cancel() and retry waits are noticed

// Why a callback stopped a transfer. Failures that no retry can mend end the fetch.
enum class Abort { none, discard_done, too_large, not_an_image, local_io, range_mismatch };

struct Engine;

std::string errno_text();

// One URL on its way: its body file and, while a request runs, its curl handle. (Members are
// grouped by size: the flags last.)
struct Transfer {
  Engine* owner = nullptr;
  const FetchRequest* request = nullptr;
  UrlParts url;  // of the current hop
  Clock::time_point started;
  Clock::time_point wake_at;  // while waiting to retry
  FetchResult result;

  // The body received so far, in the .part file.
  std::filesystem::path part_path;
  FileDescriptor file;
  std::uint64_t bytes = 0;
  std::string head;                 // the first bytes, to sniff
  std::string validator;            // strong ETag or Last-Modified of the partial body (If-Range)
  std::uint64_t entity_length = 0;  // Content-Length of the first full response; 0 if unknown

  // The request in flight.
  CurlEasy easy;
  CurlList headers;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  std::uint64_t resume_from = 0;
  std::uint64_t discarded = 0;
  std::string abort_reason;
  std::string refusal;  // set by the address check
  Clock::time_point attempt_started;
  int redirects = 0;
  Abort abort = Abort::none;

  bool waiting = false;
  bool sniffed = false;
  bool ranges_refused = false;  // "Accept-Ranges: none"
  bool via_proxy = false;
  bool body_started = false;
  bool discarding = false;
  bool slot_released = false;  // complete: being hashed, no longer a transfer in flight
};

// Hashes finished bodies on a second thread, so that the SHA-256 of one photo is computed while
// the next ones arrive: receiving keeps one core busy, and hashing a 5 MB photo takes about as
// long as receiving it over loopback. The file is read back from the page cache in 1 MB pieces,
// so memory stays flat whatever the file size.
class BodyHasher {
 public:
  struct Done {
    Transfer* transfer = nullptr;
    std::string digest;  // empty when the file could not be read
    std::string error;
  };

  explicit BodyHasher(CURLM* multi) : m_multi(multi), m_thread([this] { run(); }) {}
  BodyHasher(const BodyHasher&) = delete;
  BodyHasher& operator=(const BodyHasher&) = delete;
  ~BodyHasher() {
    {
      const std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
  }

  // `transfer` is the hasher's until take_done() hands it back: nothing else touches it.
  void submit(Transfer* transfer) {
    {
      const std::lock_guard lock(m_mutex);
      m_queue.push_back(transfer);
    }
    m_wake.notify_one();
  }

  std::vector<Done> take_done() {
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_done, {});
  }

 private:
  void run() {
    Sha256 hasher;
    std::vector<char> buffer(std::size_t{1} << 20U);
    while (true) {
      Transfer* transfer = nullptr;
      {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty()) {
          return;  // stopping, and nothing left to hash
        }
        transfer = m_queue.front();
        m_queue.pop_front();
      }
      Done done{transfer, {}, {}};
      hasher.reset();
      const FileDescriptor file(::open(transfer->part_path.c_str(), O_RDONLY | O_CLOEXEC));
      ssize_t got = file.is_open() ? 1 : -1;
      while (got > 0) {
        got = ::read(file.get(), buffer.data(), buffer.size());
        if (got > 0) {
          hasher.update(std::as_bytes(std::span(buffer.data(), static_cast<std::size_t>(got))));
        } else if (got < 0 && errno == EINTR) {
          got = 1;
        }
      }
      if (got == 0) {
        done.digest = hasher.hex_digest();
      } else {
        done.error = transfer->part_path.string() + ": " + errno_text();
      }
      {
        const std::lock_guard lock(m_mutex);
        m_done.push_back(std::move(done));
      }
      curl_multi_wakeup(m_multi);  // the event loop may be waiting in curl_multi_poll()
    }
  }

  CURLM* m_multi;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Transfer*> m_queue;
  std::vector<Done> m_done;
  bool m_stop = false;
  std::thread m_thread;
};

// The proxy environment, read once (curl's rules: http_proxy only in lower case, because
// HTTP_PROXY can be set by a CGI request header).
struct ProxyEnvironment {
  std::string http;
  std::string https;
  std::vector<std::string> no_proxy;
  bool no_proxy_all = false;

  static ProxyEnvironment read() {
    const auto get = [](const char* lower, const char* upper) -> std::string {
      // NOLINTNEXTLINE(concurrency-mt-unsafe): read before any fetch thread exists
      for (const char* name : {lower, upper}) {
        if (name != nullptr) {
          // NOLINTNEXTLINE(concurrency-mt-unsafe): as above
          if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
            return value;
          }
        }
      }
      return {};
    };
    ProxyEnvironment environment;
    const std::string all = get("all_proxy", "ALL_PROXY");
    environment.http = get("http_proxy", nullptr);
    environment.https = get("https_proxy", "HTTPS_PROXY");
    if (environment.http.empty()) {
      environment.http = all;
    }
    if (environment.https.empty()) {
      environment.https = all;
    }
    for (const auto& entry : split_list(get("no_proxy", "NO_PROXY"))) {
      if (entry == "*") {
        environment.no_proxy_all = true;
      }
      environment.no_proxy.push_back(lower_case(entry));
    }
    return environment;
  }

  // The proxy for a URL, or "" for a direct connection. no_proxy entries match the host and
  // its subdomains, with or without a leading dot, as in curl.
  std::string proxy_for(const UrlParts& url) const {
    const std::string& proxy = url.scheme == "https" ? https : http;
    if (proxy.empty() || no_proxy_all) {
      return {};
    }
    const std::string host = lower_case(url.host);
    for (std::string_view entry : no_proxy) {
      if (!entry.empty() && entry.front() == '.') {
        entry.remove_prefix(1);
      }
      if (host == entry || (host.size() > entry.size() && host.ends_with(entry) &&
                            host[host.size() - entry.size() - 1] == '.')) {
        return {};
      }
    }
    return proxy;
  }
};

std::once_flag g_curl_initialized;

// The system's reason for the last failed call (std::strerror is not thread-safe).
std::string errno_text() {
  return std::generic_category().message(errno);
}

const char* http_version_text(long version) {
  switch (version) {
    case CURL_HTTP_VERSION_1_0:
      return "1.0";
    case CURL_HTTP_VERSION_1_1:
      return "1.1";
    case CURL_HTTP_VERSION_2_0:
      return "2";
    case CURL_HTTP_VERSION_3:
      return "3";
    default:
      return "";
  }
}

std::string seconds_text(std::chrono::milliseconds duration) {
  const auto count = duration.count();
  if (count % 1000 == 0) {
    return std::to_string(count / 1000) + " s";
  }
  return std::to_string(count) + " ms";
}

// A response header of the last response, or "".
std::string response_header(CURL* easy, const char* name) {
  curl_header* header = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK ||
      header == nullptr) {
    return {};
  }
  return header->value;
}

struct Engine {
  FetcherOptions options;
  ProxyEnvironment proxies;
  CurlList connect_to;
  CurlList resolve;
  CurlMulti multi;
  std::mt19937 random{std::random_device{}()};
  std::atomic<bool>* cancelled = nullptr;

  // One batch.
  std::span<const FetchRequest> requests;
  const std::function<void(const FetchResult&)>* on_result = nullptr;
  std::map<std::string, std::deque<std::size_t>> pending;  // by host key
  std::map<std::string, int> active_per_host;
  std::vector<std::unique_ptr<Transfer>> active;   // requests in flight or waiting to retry
  std::vector<std::unique_ptr<Transfer>> hashing;  // complete, with the BodyHasher
  std::unique_ptr<BodyHasher> hasher;
  FetchProgress progress;
  Clock::time_point batch_started;

  void run(std::span<const FetchRequest> batch,
           const std::function<void(const FetchResult&)>& result_callback,
           const std::function<void(const FetchProgress&)>& progress_callback);

  void queue_all();
  void start_ready();
  void begin_request(Transfer& transfer);
  void wake_waiting();
  void drain_messages();
  void finish_request(Transfer& transfer, CURLcode code);
  void on_response(Transfer& transfer);
  void on_curl_error(Transfer& transfer, CURLcode code);
  void retry_or_fail(Transfer& transfer, FetchFailure failure, const std::string& reason,
                     std::chrono::milliseconds server_delay = {});
  void follow_redirect(Transfer& transfer);
  void complete(Transfer& transfer);
  void collect_hashed();
  void fail(Transfer& transfer, FetchFailure failure, std::string reason);
  void end(Transfer& transfer);
  void cancel_all();
  void fail_early(std::size_t index, FetchFailure failure, std::string reason);
  std::chrono::milliseconds backoff(int attempt);
  int poll_timeout_ms() const;
};

// --- the callbacks libcurl calls -------------------------------------------------------------

curl_socket_t open_socket(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto& transfer = *static_cast<Transfer*>(user);
  // Through a proxy the address is the proxy's, which the user configured; the URL's host, if a
  // literal, was checked before the request started.
  if (!transfer.via_proxy) {
    if (auto refusal = transfer.owner->options.policy.refusal(transfer.url.host, address->addr)) {
      transfer.refusal = std::move(*refusal);
      return CURL_SOCKET_BAD;
    }
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

bool restart_body(Transfer& transfer) {
  transfer.bytes = 0;
  transfer.head.clear();
  transfer.sniffed = false;
  transfer.result.type.reset();
  if (transfer.file.is_open()) {
    if (::ftruncate(transfer.file.get(), 0) != 0 ||
        ::lseek(transfer.file.get(), 0, SEEK_SET) != 0) {
      return false;
    }
  }
  return true;
}

bool open_part_file(Transfer& transfer) {
  if (transfer.file.is_open()) {
    return true;
  }
  std::error_code error;
  std::filesystem::create_directories(transfer.part_path.parent_path(), error);
  transfer.file = FileDescriptor(
      ::open(transfer.part_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  return transfer.file.is_open();
}

// The first body bytes of a response have come: decide what to do with the body.
bool start_body(Transfer& transfer) {
  CURL* easy = transfer.easy.get();
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 206) {
    transfer.discarding = true;  // an error page or a redirect's note: not needed
    return true;
  }
  if (!open_part_file(transfer)) {
    transfer.abort = Abort::local_io;
    transfer.abort_reason = transfer.part_path.string() + ": " + errno_text();
    return false;
  }
  if (status == 206) {
    const auto range = parse_content_range(response_header(easy, "Content-Range"));
    const bool fits = transfer.resume_from > 0 && range && range->first == transfer.resume_from &&
                      (transfer.entity_length == 0 || range->total == 0 ||
                       range->total == transfer.entity_length);
    if (!fits) {
      transfer.abort = Abort::range_mismatch;
      transfer.abort_reason = "the server sent a part of the photo that was not asked for";
      return false;
    }
    return true;
  }
  // 200: the whole body, also when a Range was asked for and the server ignored it.
  if (transfer.resume_from > 0 && !restart_body(transfer)) {
    transfer.abort = Abort::local_io;
    transfer.abort_reason = transfer.part_path.string() + ": " + errno_text();
    return false;
  }
  const std::string etag = response_header(easy, "ETag");
  transfer.validator =
      !etag.empty() && !etag.starts_with("W/") ? etag : response_header(easy, "Last-Modified");
  curl_off_t length = -1;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  transfer.entity_length = length > 0 ? static_cast<std::uint64_t>(length) : 0;
  transfer.ranges_refused = lower_case(response_header(easy, "Accept-Ranges")) == "none";
  return true;
}

// Sniffs once enough of the body is there; false when it is no image.
bool sniff(Transfer& transfer, bool body_complete) {
  if (transfer.sniffed) {
    return true;
  }
  if (transfer.head.size() < k_sniff_bytes && !body_complete) {
    return true;  // not enough yet
  }
  const auto type = sniff_image_type(std::as_bytes(std::span(transfer.head)));
  if (!type && transfer.request->any_type) {
    transfer.sniffed = true;
    return true;
  }
  if (!type) {
    const std::string content_type = response_header(transfer.easy.get(), "Content-Type");
    transfer.abort = Abort::not_an_image;
    transfer.abort_reason = "the server sent " + describe_non_image(transfer.head) +
                            (content_type.empty() ? "" : " (Content-Type: " + content_type + ")") +
                            ", not a JPEG, PNG, TIFF, WebP or HEIC image";
    return false;
  }
  transfer.sniffed = true;
  transfer.result.type = type;
  return true;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  if (!transfer.body_started) {
    transfer.body_started = true;
    if (!start_body(transfer)) {
      return 0;
    }
  }
  if (transfer.discarding) {
    transfer.discarded += length;
    if (transfer.discarded > k_discard_limit) {
      transfer.abort = Abort::discard_done;
      return 0;
    }
    return length;
  }
  const FetchLimits& limits = transfer.owner->options.limits;
  if (transfer.bytes + length > limits.max_bytes) {
    transfer.abort = Abort::too_large;
    transfer.abort_reason = "the photo is larger than the limit of " +
                            std::to_string(limits.max_bytes) + " bytes; stopped after " +
                            std::to_string(transfer.bytes) + " bytes";
    return 0;
  }
  if (!transfer.sniffed && transfer.head.size() < k_sniff_bytes) {
    transfer.head.append(data, std::min(length, k_sniff_bytes - transfer.head.size()));
    if (!sniff(transfer, false)) {
      return 0;
    }
  }
  if (auto written = write_all(transfer.file.get(), std::as_bytes(std::span(data, length)),
                               transfer.part_path.string());
      !written) {
    transfer.abort = Abort::local_io;
    transfer.abort_reason = to_string(written.error());
    return 0;
  }
  transfer.bytes += length;
  transfer.owner->progress.bytes += length;
  return length;
}

// --- the batch -------------------------------------------------------------------------------

void Engine::run(std::span<const FetchRequest> batch,
                 const std::function<void(const FetchResult&)>& result_callback,
                 const std::function<void(const FetchProgress&)>& progress_callback) {
  requests = batch;
  on_result = &result_callback;
  pending.clear();
  active_per_host.clear();
  active.clear();
  progress = FetchProgress{};
  progress.total = batch.size();
  batch_started = Clock::now();
  auto last_progress = batch_started;

  hashing.clear();
  hasher = std::make_unique<BodyHasher>(multi.get());

  queue_all();
  while (!pending.empty() || !active.empty() || !hashing.empty()) {
    if (cancelled->load()) {
      cancel_all();
      break;
    }
    start_ready();
    wake_waiting();
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    drain_messages();
    collect_hashed();
    if (progress_callback && Clock::now() - last_progress >= k_progress_interval) {
      last_progress = Clock::now();
      progress.seconds = std::chrono::duration<double>(last_progress - batch_started).count();
      progress_callback(progress);
    }
    if (pending.empty() && active.empty() && hashing.empty()) {
      break;
    }
    curl_multi_poll(multi.get(), nullptr, 0, poll_timeout_ms(), nullptr);
  }
  hasher.reset();  // joins its thread; nothing is left with it
  if (progress_callback) {
    progress.seconds = std::chrono::duration<double>(Clock::now() - batch_started).count();
    progress_callback(progress);
  }
}

void Engine::fail_early(std::size_t index, FetchFailure failure, std::string reason) {
  FetchResult result;
  result.index = index;
  result.url = requests[index].url;
  result.final_url = result.url;
  result.failure = failure;
  result.error = std::move(reason);
  ++progress.done;
  ++progress.failed;
  (*on_result)(result);
}

void Engine::queue_all() {
  for (std::size_t index = 0; index < requests.size(); ++index) {
    auto url = parse_url(requests[index].url);
    if (!url) {
      fail_early(index, FetchFailure::invalid_url, url.error());
      continue;
    }
    pending[url->host_key].push_back(index);
  }
}

// Starts transfers while there are free slots, taking hosts in turn so that one host with
// many photos does not hold back the others.
void Engine::start_ready() {
  bool started = true;
  while (started && static_cast<int>(active.size()) < options.jobs && !pending.empty()) {
    started = false;
    for (auto host = pending.begin();
         host != pending.end() && static_cast<int>(active.size()) < options.jobs;) {
      if (active_per_host[host->first] >= options.per_host) {
        ++host;
        continue;
      }
      const std::size_t index = host->second.front();
      host->second.pop_front();
      auto transfer = std::make_unique<Transfer>();
      transfer->owner = this;
      transfer->request = &requests[index];
      // Parsed again rather than kept for every pending URL: a 100,000-line manifest's
      // pending queue holds indices only. queue_all() has already refused what does not parse.
      transfer->url = *parse_url(requests[index].url);
      transfer->started = Clock::now();
      transfer->part_path = requests[index].destination;
      transfer->part_path += ".part";
      transfer->result.index = index;
      transfer->result.url = requests[index].url;
      ++active_per_host[transfer->url.host_key];
      Transfer& ref = *transfer;
      active.push_back(std::move(transfer));
      ++ref.result.attempts;
      begin_request(ref);
      started = true;
      host = host->second.empty() ? pending.erase(host) : std::next(host);
    }
  }
}

void Engine::begin_request(Transfer& transfer) {
  transfer.waiting = false;
  transfer.body_started = false;
  transfer.discarding = false;
  transfer.discarded = 0;
  transfer.abort = Abort::none;
  transfer.abort_reason.clear();
  transfer.refusal.clear();
  transfer.error_buffer.fill('\0');
  transfer.attempt_started = Clock::now();
  transfer.result.final_url = transfer.url.text;

  if (auto refusal = options.policy.refusal(transfer.url.host, transfer.url.host)) {
    transfer.refusal = *refusal;  // an address literal in the URL: no need to connect
    fail(transfer, FetchFailure::refused, transfer.url.text + ": " + *refusal);
    return;
  }

  transfer.easy.reset(curl_easy_init());
  CURL* easy = transfer.easy.get();
  const FetchLimits& limits = options.limits;
  curl_easy_setopt(easy, CURLOPT_URL, transfer.url.text.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // followed here, hop by hop
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "pressroom/0.1");
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, k_buffer_size);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.transfer_timeout.count()));
  // A stall: under 1 byte per second for the whole stall time (curl counts whole seconds).
  const auto stall_seconds =
      std::max<long>(1, static_cast<long>((limits.stall_timeout.count() + 999) / 1000));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, stall_seconds);
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer.data());
  if (connect_to) {
    curl_easy_setopt(easy, CURLOPT_CONNECT_TO, connect_to.get());
  }
  if (resolve) {
    curl_easy_setopt(easy, CURLOPT_RESOLVE, resolve.get());
  }
  if (!options.ca_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  const std::string proxy = options.use_proxy_environment ? proxies.proxy_for(transfer.url) : "";
  transfer.via_proxy = !proxy.empty();
  curl_easy_setopt(easy, CURLOPT_PROXY, proxy.c_str());  // "": none, whatever the environment

  CurlList headers;
  const auto add_header = [&headers](const std::string& line) {
    curl_slist* list = curl_slist_append(headers.get(), line.c_str());
    if (list != nullptr) {
      (void)headers.release();
      headers.reset(list);
    }
  };
  if (!transfer.request->etag.empty()) {
    add_header("If-None-Match: " + transfer.request->etag);
  }
  if (!transfer.request->last_modified.empty()) {
    add_header("If-Modified-Since: " + transfer.request->last_modified);
  }
  transfer.resume_from = 0;
  if (transfer.bytes > 0) {
    transfer.resume_from = transfer.bytes;
    const std::string range = std::to_string(transfer.bytes) + "-";
    curl_easy_setopt(easy, CURLOPT_RANGE, range.c_str());  // curl copies option strings
    if (!transfer.validator.empty()) {
      add_header("If-Range: " + transfer.validator);
    }
  }
  transfer.headers = std::move(headers);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers.get());
  curl_multi_add_handle(multi.get(), easy);
}

void Engine::wake_waiting() {
  const auto now = Clock::now();
  std::vector<Transfer*> due;  // begin_request() may end a transfer and change `active`
  for (auto& transfer : active) {
    if (transfer->waiting && transfer->wake_at <= now) {
      due.push_back(transfer.get());
    }
  }
  for (Transfer* transfer : due) {
    ++transfer->result.attempts;
    begin_request(*transfer);
  }
}

int Engine::poll_timeout_ms() const {
  auto timeout = std::chrono::milliseconds(k_poll_ms);
  const auto now = Clock::now();
  for (const auto& transfer : active) {
    if (transfer->waiting) {
      timeout = std::min(timeout, std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::max(transfer->wake_at - now, Clock::duration::zero())));
    }
  }
  return static_cast<int>(timeout.count());
}

void Engine::drain_messages() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    Transfer* transfer = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
    const CURLcode code = message->data.result;
    curl_multi_remove_handle(multi.get(), message->easy_handle);
    finish_request(*transfer, code);  // may end the transfer and free it
  }
}

void Engine::finish_request(Transfer& transfer, CURLcode code) {
  CURL* easy = transfer.easy.get();
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &transfer.result.status);
  long version = 0;
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  if (version != 0) {
    transfer.result.http_version = http_version_text(version);
  }
  if (!transfer.refusal.empty()) {
    fail(transfer, FetchFailure::refused, transfer.url.text + ": " + transfer.refusal);
    return;
  }
  switch (transfer.abort) {
    case Abort::too_large:
      fail(transfer, FetchFailure::too_large, transfer.abort_reason);
      return;
    case Abort::not_an_image:
      fail(transfer, FetchFailure::not_an_image, transfer.abort_reason);
      return;
    case Abort::local_io:
      fail(transfer, FetchFailure::local_io, transfer.abort_reason);
      return;
    case Abort::range_mismatch:
      if (!restart_body(transfer)) {
        fail(transfer, FetchFailure::local_io, transfer.part_path.string() + ": " + errno_text());
        return;
      }
      retry_or_fail(transfer, FetchFailure::network, transfer.abort_reason);
      return;
    case Abort::discard_done:
      on_response(transfer);
      return;
    case Abort::none:
      break;
  }
  if (code == CURLE_OK) {
    on_response(transfer);
  } else {
    on_curl_error(transfer, code);
  }
}

void Engine::on_response(Transfer& transfer) {
  const long status = transfer.result.status;
  CURL* easy = transfer.easy.get();
  if (status == 200 || status == 206) {
    if (!transfer.body_started && !open_part_file(transfer)) {
      fail(transfer, FetchFailure::local_io, transfer.part_path.string() + ": " + errno_text());
      return;
    }
    if (!sniff(transfer, true)) {
      fail(transfer, FetchFailure::not_an_image, transfer.abort_reason);
      return;
    }
    transfer.result.etag = response_header(easy, "ETag");
    transfer.result.last_modified = response_header(easy, "Last-Modified");
    complete(transfer);
    return;
  }
  if (status == 304) {
    transfer.result.outcome = FetchOutcome::unchanged;
    transfer.result.etag = response_header(easy, "ETag");
    if (transfer.result.etag.empty()) {
      transfer.result.etag = transfer.request->etag;
    }
    transfer.result.last_modified = response_header(easy, "Last-Modified");
    if (transfer.result.last_modified.empty()) {
      transfer.result.last_modified = transfer.request->last_modified;
    }
    end(transfer);
    return;
  }
  if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
    follow_redirect(transfer);
    return;
  }
  const std::string reason = transfer.url.text + ": HTTP " + std::to_string(status) +
                             (status_reason(status).empty() ? "" : " ") +
                             std::string(status_reason(status));
  if (status == 429 || (status >= 500 && status <= 599)) {
    const auto delay = parse_retry_after(response_header(easy, "Retry-After"), std::time(nullptr));
    retry_or_fail(transfer, FetchFailure::http_status, reason,
                  delay.value_or(std::chrono::milliseconds{}));
    return;
  }
  fail(transfer, FetchFailure::http_status, reason);
}

void Engine::on_curl_error(Transfer& transfer, CURLcode code) {
  const std::string detail =
      transfer.error_buffer[0] != '\0' ? transfer.error_buffer.data() : curl_easy_strerror(code);
  const std::string& url = transfer.url.text;
  const FetchLimits& limits = options.limits;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected = 0;
      curl_easy_getinfo(transfer.easy.get(), CURLINFO_CONNECT_TIME_T, &connected);
      const auto took = Clock::now() - transfer.attempt_started;
      std::string reason;
      if (connected == 0) {
        reason = "could not connect within " + seconds_text(limits.connect_timeout);
      } else if (took + std::chrono::milliseconds(50) >= limits.transfer_timeout) {
        reason = "the transfer took longer than " + seconds_text(limits.transfer_timeout);
      } else {
        reason = "the server stalled: no data for " + seconds_text(limits.stall_timeout);
      }
      retry_or_fail(transfer, FetchFailure::timeout, url + ": " + reason);
      return;
    }
    case CURLE_FILESIZE_EXCEEDED:
      fail(transfer, FetchFailure::too_large,
           url + ": the server announces more than the limit of " +
               std::to_string(limits.max_bytes) + " bytes");
      return;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      fail(transfer, FetchFailure::tls, url + ": TLS: " + detail);
      return;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      fail(transfer, FetchFailure::invalid_url, url + ": " + detail);
      return;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      retry_or_fail(transfer, FetchFailure::network, url + ": " + detail);
      return;
    default:
      fail(transfer, FetchFailure::network, url + ": " + detail);
      return;
  }
}

std::chrono::milliseconds Engine::backoff(int attempt) {
  // Exponential with "equal jitter": half the delay fixed, half random, so that clients that
  // failed together do not come back together.
  const auto& limits = options.limits;
  auto delay = limits.first_retry_delay;
  for (int step = 1; step < attempt && delay < limits.max_retry_delay; ++step) {
    delay *= 2;
  }
  delay = std::min(delay, limits.max_retry_delay);
  std::uniform_int_distribution<long> jitter(0, std::max<long>(0, delay.count() / 2));
  return std::chrono::milliseconds(delay.count() - delay.count() / 2 + jitter(random));
}

void Engine::retry_or_fail(Transfer& transfer, FetchFailure failure, const std::string& reason,
                           std::chrono::milliseconds server_delay) {
  if (transfer.result.attempts >= options.limits.max_attempts) {
    const int attempts = transfer.result.attempts;
    fail(transfer, failure,
         reason + (attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : ""));
    return;
  }
  if (server_delay > options.limits.max_retry_after) {
    fail(transfer, failure,
         reason + "; the server asks to come back in " +
             std::to_string(server_delay.count() / 1000) + " s, longer than the " +
             seconds_text(options.limits.max_retry_after) + " this fetch waits");
    return;
  }
  // A partial body is kept for a Range request, unless the server said it cannot serve one or
  // there is no way to tell that the next response is the same photo.
  const bool resumable = transfer.bytes > 0 && !transfer.ranges_refused &&
                         (!transfer.validator.empty() || transfer.entity_length > 0);
  if (!resumable && !restart_body(transfer)) {
    fail(transfer, FetchFailure::local_io, transfer.part_path.string() + ": " + errno_text());
    return;
  }
  // The transfer keeps its job and per-host slot while it waits: a server that asked for a
  // pause (429, 503) gets no other request from us in the meantime.
  transfer.easy.reset();
  transfer.waiting = true;
  transfer.wake_at = Clock::now() + std::max(server_delay, backoff(transfer.result.attempts));
}

void Engine::follow_redirect(Transfer& transfer) {
  char* location = nullptr;
  curl_easy_getinfo(transfer.easy.get(), CURLINFO_REDIRECT_URL, &location);
  const std::string from = transfer.url.text;
  if (location == nullptr || *location == '\0') {
    fail(transfer, FetchFailure::http_status,
         from + ": HTTP " + std::to_string(transfer.result.status) + " without a Location");
    return;
  }
  if (transfer.redirects >= options.limits.max_redirects) {
    fail(transfer, FetchFailure::too_many_redirects,
         transfer.result.url + ": more than " + std::to_string(options.limits.max_redirects) +
             " redirects (the last to " + location + ")");
    return;
  }
  auto target = parse_url(location);
  if (!target) {
    fail(transfer, FetchFailure::invalid_url, from + ": redirect to " + target.error());
    return;
  }
  if (transfer.url.scheme == "https" && target->scheme == "http") {
    fail(transfer, FetchFailure::refused,
         from + ": redirect from https to http refused (" + target->text + ")");
    return;
  }
  ++transfer.redirects;
  if (target->host_key != transfer.url.host_key) {
    --active_per_host[transfer.url.host_key];
    ++active_per_host[target->host_key];
  }
  transfer.url = std::move(*target);
  if (!restart_body(transfer)) {
    fail(transfer, FetchFailure::local_io, transfer.part_path.string() + ": " + errno_text());
    return;
  }
  transfer.validator.clear();
  transfer.entity_length = 0;
  begin_request(transfer);  // a hop, not a new attempt
}

void Engine::complete(Transfer& transfer) {
  if (transfer.file.close() != 0) {
    fail(transfer, FetchFailure::local_io, transfer.part_path.string() + ": " + errno_text());
    return;
  }
  // The body is whole: its job slot goes to the next transfer while it is hashed.
  transfer.slot_released = true;
  --active_per_host[transfer.url.host_key];
  const auto found = std::find_if(active.begin(), active.end(), [&transfer](const auto& item) {
    return item.get() == &transfer;
  });
  hashing.push_back(std::move(*found));
  active.erase(found);
  hasher->submit(&transfer);
}

void Engine::collect_hashed() {
  for (auto& done : hasher->take_done()) {
    Transfer& transfer = *done.transfer;
    if (!done.error.empty()) {
      fail(transfer, FetchFailure::local_io, done.error);
      continue;
    }
    std::error_code error;
    std::filesystem::rename(transfer.part_path, transfer.request->destination, error);
    if (error) {
      fail(transfer, FetchFailure::local_io,
           transfer.request->destination.string() + ": " + error.message());
      continue;
    }
    transfer.result.outcome = FetchOutcome::fetched;
    transfer.result.bytes = transfer.bytes;
    transfer.result.sha256 = std::move(done.digest);
    end(transfer);
  }
}

void Engine::fail(Transfer& transfer, FetchFailure failure, std::string reason) {
  transfer.result.outcome = FetchOutcome::failed;
  transfer.result.failure = failure;
  transfer.result.error = std::move(reason);
  transfer.result.type.reset();
  transfer.result.bytes = 0;
  transfer.file.close();
  std::error_code ignored;
  std::filesystem::remove(transfer.part_path, ignored);
  ++progress.failed;
  end(transfer);
}

// Reports the transfer's result and frees it.
void Engine::end(Transfer& transfer) {
  if (transfer.easy) {
    curl_multi_remove_handle(multi.get(), transfer.easy.get());  // no-op when not added
  }
  transfer.result.seconds = std::chrono::duration<double>(Clock::now() - transfer.started).count();
  if (transfer.result.final_url.empty()) {
    transfer.result.final_url = transfer.url.text;
  }
  ++progress.done;
  if (!transfer.slot_released) {
    --active_per_host[transfer.url.host_key];
  }
  const FetchResult result = std::move(transfer.result);
  for (auto* list : {&active, &hashing}) {
    const auto found = std::find_if(list->begin(), list->end(), [&transfer](const auto& item) {
      return item.get() == &transfer;
    });
    if (found != list->end()) {
      list->erase(found);  // frees `transfer`
      break;
    }
  }
  (*on_result)(result);
}

void Engine::cancel_all() {
  while (!active.empty()) {
    fail(*active.back(), FetchFailure::cancelled, active.back()->url.text + ": cancelled");
  }
  for (auto& [host, indices] : pending) {
    for (const std::size_t index : indices) {
      fail_early(index, FetchFailure::cancelled, requests[index].url + ": cancelled");
    }
  }
  pending.clear();
  // Bodies already complete are kept: they are hashed in a moment.
  while (!hashing.empty()) {
    collect_hashed();
    if (!hashing.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

// "HOST:PORT:ADDR..." with `fields` colon-separated parts at least (brackets hold IPv6).
bool looks_like_host_mapping(std::string_view entry, int fields) {
  if (entry.empty() || entry.size() > 1024) {
    return false;
  }
  int colons = 0;
  int depth = 0;
  for (const char c : entry) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      return false;
    }
    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    colons += c == ':' && depth == 0 ? 1 : 0;
  }
  return depth == 0 && colons >= fields - 1;
}

}  // namespace

struct Fetcher::Impl : Engine {};

const char* to_string(FetchOutcome outcome) {
  switch (outcome) {
    case FetchOutcome::fetched:
      return "fetched";
    case FetchOutcome::unchanged:
      return "unchanged";
    case FetchOutcome::failed:
      return "failed";
  }
  return "failed";
}

const char* to_string(FetchFailure failure) {
  switch (failure) {
    case FetchFailure::none:
      return "none";
    case FetchFailure::invalid_url:
      return "invalid_url";
    case FetchFailure::refused:
      return "refused";
    case FetchFailure::http_status:
      return "http_status";
    case FetchFailure::network:
      return "network";
    case FetchFailure::timeout:
      return "timeout";
    case FetchFailure::tls:
      return "tls";
    case FetchFailure::too_many_redirects:
      return "too_many_redirects";
    case FetchFailure::too_large:
      return "too_large";
    case FetchFailure::not_an_image:
      return "not_an_image";
    case FetchFailure::local_io:
      return "local_io";
    case FetchFailure::cancelled:
      return "cancelled";
  }
  return "none";
}

void initialize_http() {
  std::call_once(g_curl_initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<Fetcher> Fetcher::create(FetcherOptions options) {
  initialize_http();
  if (options.jobs < 1 || options.per_host < 1) {
    return pressroom::fail(Errc::invalid_input, "fetch",
                           "--jobs and --per-host must be at least 1");
  }
  auto impl = std::make_unique<Impl>();
  for (const auto& entry : options.connect_to) {
    if (!looks_like_host_mapping(entry, 4)) {
      return pressroom::fail(Errc::invalid_input, entry,
                             "not in the form HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT");
    }
    impl->connect_to.reset(curl_slist_append(impl->connect_to.release(), entry.c_str()));
  }
  for (const auto& entry : options.resolve) {
    if (!looks_like_host_mapping(entry, 3)) {
      return pressroom::fail(Errc::invalid_input, entry, "not in the form HOST:PORT:ADDRESS");
    }
    impl->resolve.reset(curl_slist_append(impl->resolve.release(), entry.c_str()));
  }
  if (!options.ca_file.empty() && !std::filesystem::is_regular_file(options.ca_file)) {
    return pressroom::fail(Errc::not_found, options.ca_file.string(),
                           "no such CA certificate file");
  }
  impl->multi.reset(curl_multi_init());
  curl_multi_setopt(impl->multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(options.per_host));
  curl_multi_setopt(impl->multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(options.jobs));
  curl_multi_setopt(impl->multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(options.jobs * 2));
  if (options.use_proxy_environment) {
    impl->proxies = ProxyEnvironment::read();
  }
  impl->options = std::move(options);
  return Fetcher(std::move(impl));
}

Fetcher::Fetcher(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Fetcher::Fetcher(Fetcher&&) noexcept = default;
Fetcher& Fetcher::operator=(Fetcher&&) noexcept = default;
Fetcher::~Fetcher() = default;

void Fetcher::fetch(std::span<const FetchRequest> requests,
                    const std::function<void(const FetchResult&)>& on_result,
                    const std::function<void(const FetchProgress&)>& on_progress) {
  m_impl->cancelled = m_cancelled.get();
  m_impl->run(requests, on_result, on_progress);
  m_cancelled->store(false);  // the cancel is used up; the next fetch() runs
}

std::string last_path_segment(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const auto slash = url.find('/');
    url = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
  }
  return std::string(url.substr(url.rfind('/') + 1));
}

}  // namespace pressroom::importer
