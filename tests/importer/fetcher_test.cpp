#include "importer/fetcher.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/sha256.hpp"
#include "http_test_server.hpp"
#include "test_support.hpp"

namespace pressroom::importer {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::TestHttpServer;

const char* const k_etag = "\"photo-v1\"";
const char* const k_last_modified = "Wed, 21 Oct 2026 07:28:00 GMT";

FetchRequest request_for(std::string url, std::filesystem::path destination) {
  FetchRequest request;
  request.url = std::move(url);
  request.destination = std::move(destination);
  return request;
}

std::string sha256_of(const std::string& bytes) {
  return sha256_hex(std::as_bytes(std::span(bytes)));
}

// Serves `bytes` as a JPEG with validators, as a press office's photo server does.
void serve_photo(httplib::Response& response, const std::string& bytes) {
  response.set_header("ETag", k_etag);
  response.set_header("Last-Modified", k_last_modified);
  response.set_content(bytes, "image/jpeg");
}

// The test CA and server certificate, made once for all the tests of this run (openssl takes a
// noticeable part of a test's time) and removed when the run ends.
const testing::TestCertificates& test_certificates() {
  static const TempDir folder;
  static const testing::TestCertificates certificates =
      testing::make_test_certificates(folder.path());
  return certificates;
}

// Sends the first 1000 bytes of `bytes`, then nothing for 3 s (clients here give up after 1 s),
// then ends the connection.
void serve_stalling(httplib::Response& response, const std::string& bytes) {
  response.set_content_provider(bytes.size(), "image/jpeg",
                                [&bytes](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                  if (offset == 0) {
                                    return sink.write(bytes.data(), 1000);
                                  }
                                  for (int slept = 0; slept < 30 && sink.is_writable(); ++slept) {
                                    std::this_thread::sleep_for(100ms);
                                  }
                                  return false;
                                });
}

// The highest number of requests a server was handling at once.
struct ConcurrencyMeter {
  std::atomic<int> now{0};
  std::atomic<int> highest{0};
  void enter() {
    const int current = ++now;
    int seen = highest.load();
    while (current > seen && !highest.compare_exchange_weak(seen, current)) {
    }
  }
  void leave() { --now; }
};

// A port that was free a moment ago (for servers that cannot be given port 0).
int free_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(probe, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                     ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(probe);
  return bound ? ntohs(address.sin_port) : -1;
}

bool accepts_connections(int port) {
  const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool connected =
      ::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(probe);
  return connected;
}

// A server program run in the background for one test, terminated by the destructor.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& arguments) {
    std::vector<char*> argv;
    argv.reserve(arguments.size() + 1);
    for (const auto& argument : arguments) {
      argv.push_back(const_cast<char*>(argument.c_str()));  // NOLINT: posix_spawn's signature
    }
    argv.push_back(nullptr);
    if (::posix_spawn(&m_pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
      m_pid = -1;
    }
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      ::waitpid(m_pid, nullptr, 0);
    }
  }
  bool running() const { return m_pid > 0; }

 private:
  pid_t m_pid = -1;
};

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_photo = testing::read_text(testing::fixture("camera.jpg"));
    ASSERT_GT(m_photo.size(), 100'000U);
  }

  // Loopback allowed (the servers are on 127.0.0.1), no proxy from the environment, short
  // waits so that retries do not slow the suite.
  static FetcherOptions test_options() {
    FetcherOptions options;
    options.policy.allow_private = true;
    options.use_proxy_environment = false;
    options.limits.first_retry_delay = 20ms;
    options.limits.max_retry_delay = 200ms;
    options.limits.stall_timeout = 1s;
    options.limits.connect_timeout = 5s;
    options.limits.transfer_timeout = 60s;
    return options;
  }

  static std::vector<FetchResult> fetch_all(std::vector<FetchRequest> requests,
                                            FetcherOptions options = test_options()) {
    auto fetcher = Fetcher::create(std::move(options));
    EXPECT_TRUE(fetcher) << to_string(fetcher.error());
    std::vector<FetchResult> results(requests.size());
    if (fetcher) {
      fetcher->fetch(requests,
                     [&results](const FetchResult& result) { results.at(result.index) = result; });
    }
    return results;
  }

  FetchResult fetch_one(const std::string& url, FetcherOptions options = test_options(),
                        const std::string& etag = "", const std::string& last_modified = "") {
    return fetch_all({{url, destination(), etag, last_modified}}, std::move(options)).front();
  }

  std::filesystem::path destination() const { return m_dir / "photo.jpg"; }

  // Serves the photo at `path`, counting the requests that reach it.
  void serve_counted_photo(TestHttpServer& http, const std::string& path,
                           std::atomic<int>& requests) {
    http.server().Get(path,
                      [this, &requests](const httplib::Request&, httplib::Response& response) {
                        ++requests;
                        serve_photo(response, m_photo);
                      });
  }

  // No file, and no partial file left behind.
  void expect_nothing_written() const {
    EXPECT_FALSE(std::filesystem::exists(destination()));
    EXPECT_FALSE(std::filesystem::exists(m_dir / "photo.jpg.part"));
  }

  TempDir m_dir;
  std::string m_photo;
};

TEST_F(FetcherTest, FetchesAPhotoWithItsHashTypeAndValidators) {
  TestHttpServer http;
  http.server().Get("/photo.jpg", [this](const httplib::Request&, httplib::Response& response) {
    serve_photo(response, m_photo);
  });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/photo.jpg"));
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.http_version, "1.1");
  EXPECT_EQ(result.final_url, http.url("/photo.jpg"));
  EXPECT_EQ(result.bytes, m_photo.size());
  EXPECT_EQ(result.sha256, sha256_of(m_photo));
  EXPECT_EQ(result.type, ImageType::jpeg);
  EXPECT_EQ(result.etag, k_etag);
  EXPECT_EQ(result.last_modified, k_last_modified);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(testing::read_text(destination()), m_photo);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "photo.jpg.part"));
}

TEST_F(FetcherTest, ReportsNotFoundWithoutRetrying) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  http.server().Get("/gone.jpg", [&requests](const httplib::Request&, httplib::Response& response) {
    ++requests;
    response.status = 404;
    response.set_content("<html><body>Not here</body></html>", "text/html");
  });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/gone.jpg"));
  EXPECT_EQ(result.outcome, FetchOutcome::failed);
  EXPECT_EQ(result.failure, FetchFailure::http_status);
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.error, http.url("/gone.jpg") + ": HTTP 404 Not Found");
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(requests, 1);
  expect_nothing_written();
}

TEST_F(FetcherTest, RetriesAServerErrorThenSucceeds) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  http.server().Get("/flaky.jpg",
                    [&requests, this](const httplib::Request&, httplib::Response& response) {
                      if (++requests == 1) {
                        response.status = 500;
                        return;
                      }
                      serve_photo(response, m_photo);
                    });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/flaky.jpg"));
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(requests, 2);
  EXPECT_EQ(result.sha256, sha256_of(m_photo));
}

TEST_F(FetcherTest, GivesUpAfterTheLastAttemptOnServerErrors) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  http.server().Get("/down.jpg", [&requests](const httplib::Request&, httplib::Response& response) {
    ++requests;
    response.status = 503;
  });
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.limits.max_attempts = 3;
  const auto result = fetch_one(http.url("/down.jpg"), options);
  EXPECT_EQ(result.failure, FetchFailure::http_status);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(requests, 3);
  EXPECT_NE(result.error.find("HTTP 503 Service Unavailable (after 3 attempts)"), std::string::npos)
      << result.error;
}

TEST_F(FetcherTest, WaitsAsLongAsRetryAfterSays) {
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  TestHttpServer http;
  http.server().Get("/busy.jpg", [&, this](const httplib::Request&, httplib::Response& response) {
    const std::lock_guard lock(mutex);
    arrivals.push_back(std::chrono::steady_clock::now());
    if (arrivals.size() == 1) {
      response.status = 429;
      response.set_header("Retry-After", "1");
      return;
    }
    serve_photo(response, m_photo);
  });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/busy.jpg"));  // its own backoff: 20 ms
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  ASSERT_EQ(arrivals.size(), 2U);
  EXPECT_GE(arrivals[1] - arrivals[0], 950ms);
  EXPECT_EQ(result.attempts, 2);
}

TEST_F(FetcherTest, FailsWhenRetryAfterIsLongerThanItWaits) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  http.server().Get("/later.jpg",
                    [&requests](const httplib::Request&, httplib::Response& response) {
                      ++requests;
                      response.status = 503;
                      response.set_header("Retry-After", "3600");
                    });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/later.jpg"));
  EXPECT_EQ(result.failure, FetchFailure::http_status);
  EXPECT_EQ(requests, 1);
  EXPECT_NE(result.error.find("come back in 3600 s"), std::string::npos) << result.error;
}

TEST_F(FetcherTest, FollowsARedirectChain) {
  TestHttpServer http;
  http.server().Get(
      R"(/hop/(\d))", [](const httplib::Request& request, httplib::Response& response) {
        const int hop = std::stoi(request.matches[1]);
        response.set_redirect(hop < 3 ? "/hop/" + std::to_string(hop + 1) : "/photo.jpg", 302);
      });
  http.server().Get("/photo.jpg", [this](const httplib::Request&, httplib::Response& response) {
    serve_photo(response, m_photo);
  });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/hop/1"));
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  EXPECT_EQ(result.url, http.url("/hop/1"));
  EXPECT_EQ(result.final_url, http.url("/photo.jpg"));
  EXPECT_EQ(result.attempts, 1);  // hops are not retries
  EXPECT_EQ(result.sha256, sha256_of(m_photo));
}

TEST_F(FetcherTest, StopsAfterFiveRedirects) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  http.server().Get(
      R"(/loop/(\d+))", [&requests](const httplib::Request& request, httplib::Response& response) {
        ++requests;
        response.set_redirect("/loop/" + std::to_string(std::stoi(request.matches[1]) + 1), 301);
      });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/loop/0"));
  EXPECT_EQ(result.failure, FetchFailure::too_many_redirects);
  EXPECT_EQ(requests, 6);  // the first request and five redirects followed
  EXPECT_NE(result.error.find("more than 5 redirects"), std::string::npos) << result.error;
  expect_nothing_written();
}

TEST_F(FetcherTest, RefusesARedirectFromHttpsToHttp) {
  const auto& certificates = test_certificates();
  ASSERT_FALSE(certificates.ca.empty());
  std::atomic<int> plain_requests{0};
  TestHttpServer plain;
  serve_counted_photo(plain, "/photo.jpg", plain_requests);
  ASSERT_TRUE(plain.start());
  TestHttpServer secure(certificates);
  secure.server().Get("/photo.jpg", [&plain](const httplib::Request&, httplib::Response& response) {
    response.set_redirect(plain.url("/photo.jpg"), 302);
  });
  ASSERT_TRUE(secure.start());

  auto options = test_options();
  options.ca_file = certificates.ca;
  const auto result = fetch_one(secure.url("/photo.jpg"), options);
  EXPECT_EQ(result.failure, FetchFailure::refused);
  EXPECT_NE(result.error.find("redirect from https to http refused"), std::string::npos)
      << result.error;
  EXPECT_EQ(plain_requests, 0);
  expect_nothing_written();
}

TEST_F(FetcherTest, RetriesAStalledTransferAndThenGivesUp) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  http.server().Get("/stall.jpg",
                    [&requests, this](const httplib::Request&, httplib::Response& response) {
                      ++requests;
                      serve_stalling(response, m_photo);
                    });
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.limits.max_attempts = 2;
  const auto started = std::chrono::steady_clock::now();
  const auto result = fetch_one(http.url("/stall.jpg"), options);
  EXPECT_EQ(result.failure, FetchFailure::timeout);
  EXPECT_NE(result.error.find("the server stalled: no data for 1 s"), std::string::npos)
      << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(requests, 2);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);  // not the 60 s transfer limit
  expect_nothing_written();
}

TEST_F(FetcherTest, GivesUpConnectingAfterTheConnectLimit) {
  // A listening socket that never accepts, its accept queue already full: Linux then drops
  // further SYNs, so a connection attempt hangs as it does to a host that has gone away.
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::vector<int> fillers;
  for (int i = 0; i < 2; ++i) {
    const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    // Non-blocking: EINPROGRESS, or 0 when the handshake completes at once. Either fills a slot.
    const int connected = ::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    EXPECT_TRUE(connected == 0 || errno == EINPROGRESS) << std::generic_category().message(errno);
    fillers.push_back(filler);
  }
  std::this_thread::sleep_for(100ms);

  auto options = test_options();
  options.limits.connect_timeout = 1s;
  options.limits.max_attempts = 2;
  const auto result =
      fetch_one("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/a.jpg", options);
  for (const int filler : fillers) {
    ::close(filler);
  }
  ::close(listener);
  EXPECT_EQ(result.failure, FetchFailure::timeout);
  EXPECT_NE(result.error.find("could not connect within 1 s (after 2 attempts)"), std::string::npos)
      << result.error;
  EXPECT_LT(result.seconds, 5.0);
}

TEST_F(FetcherTest, EndsAnAttemptThatTakesLongerThanTheTransferLimit) {
  // A trickle never stalls (a byte every 100 ms), so only the whole-transfer limit ends it.
  TestHttpServer http;
  http.server().Get("/trickle.jpg", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content_provider(m_photo.size(), "image/jpeg",
                                  [this](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                    if (offset > 0) {
                                      std::this_thread::sleep_for(100ms);
                                    }
                                    return offset < 40 && sink.write(m_photo.data() + offset,
                                                                     1);  // ends after 4 s
                                  });
  });
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.limits.transfer_timeout = 1s;
  options.limits.max_attempts = 1;
  const auto result = fetch_one(http.url("/trickle.jpg"), options);
  EXPECT_EQ(result.failure, FetchFailure::timeout);
  EXPECT_NE(result.error.find("the transfer took longer than 1 s"), std::string::npos)
      << result.error;
  EXPECT_LT(result.seconds, 3.0);
  expect_nothing_written();
}

TEST_F(FetcherTest, RetriesAfterAConnectionResetMidBody) {
  // The first connection is reset after half the photo; the server answers the retry in full
  // (200, ignoring its Range), so the fetcher must start the body over.
  const std::string header = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " +
                             std::to_string(m_photo.size()) + "\r\nETag: " + k_etag +
                             "\r\nConnection: close\r\n\r\n";
  std::string second_request;
  testing::RawHttpServer raw(2, [&](int connection, const std::string& request) {
    if (connection == 0) {
      return testing::RawHttpServer::Answer{header + m_photo.substr(0, m_photo.size() / 2), true};
    }
    second_request = request;
    return testing::RawHttpServer::Answer{header + m_photo, false};
  });
  ASSERT_GT(raw.port(), 0);

  const auto result = fetch_one(raw.url("/reset.jpg"));
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(raw.connections_seen(), 2);
  EXPECT_EQ(result.bytes, m_photo.size());
  EXPECT_EQ(result.sha256, sha256_of(m_photo));
  EXPECT_EQ(testing::read_text(destination()), m_photo);
  EXPECT_NE(second_request.find("If-Range: \"photo-v1\""), std::string::npos) << second_request;
}

TEST_F(FetcherTest, ResumesAShortBodyWithRange) {
  const std::size_t first_part = m_photo.size() * 3 / 5;
  std::mutex mutex;
  std::vector<std::string> ranges;
  std::vector<std::string> if_ranges;
  std::atomic<std::size_t> sent{0};
  TestHttpServer http;
  http.server().Get("/short.jpg", [&, this](const httplib::Request& request,
                                            httplib::Response& response) {
    {
      const std::lock_guard lock(mutex);
      ranges.push_back(request.get_header_value("Range"));
      if_ranges.push_back(request.get_header_value("If-Range"));
    }
    const bool first = !request.has_header("Range");
    response.set_header("ETag", k_etag);
    response.set_header("Accept-Ranges", "bytes");
    // httplib answers a Range itself (206, Content-Range) by asking the provider for that part.
    response.set_content_provider(
        m_photo.size(), "image/jpeg",
        [&, first, this](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          if (first && offset >= first_part) {
            return false;  // the connection ends short of Content-Length
          }
          const std::size_t end = first ? std::min(offset + length, first_part) : offset + length;
          const std::size_t chunk = std::min<std::size_t>(end - offset, 64 << 10);
          sent += chunk;
          return sink.write(m_photo.data() + offset, chunk);
        });
  });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/short.jpg"));
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(result.status, 206);
  ASSERT_EQ(ranges.size(), 2U);
  EXPECT_EQ(ranges[0], "");
  EXPECT_EQ(ranges[1], "bytes=" + std::to_string(first_part) + "-");
  EXPECT_EQ(if_ranges[1], k_etag);
  EXPECT_EQ(sent, m_photo.size());  // nothing was sent twice
  EXPECT_EQ(result.sha256, sha256_of(m_photo));
  EXPECT_EQ(testing::read_text(destination()), m_photo);
}

TEST_F(FetcherTest, StopsABodyOverTheSizeLimitWhileItStreams) {
  constexpr std::size_t k_endless = std::size_t{1} << 30U;  // 1 GiB, announced by no header
  std::atomic<std::size_t> sent{0};
  TestHttpServer http;
  http.server().Get("/huge.jpg", [&, this](const httplib::Request&, httplib::Response& response) {
    response.set_chunked_content_provider(
        "image/jpeg", [&, this](std::size_t offset, httplib::DataSink& sink) {
          static const std::string chunk = m_photo.substr(0, 64 << 10);
          if (offset >= k_endless || !sink.write(chunk.data(), chunk.size())) {
            return false;
          }
          sent += chunk.size();
          return true;
        });
  });
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.limits.max_bytes = 1 << 20U;
  const auto result = fetch_one(http.url("/huge.jpg"), options);
  EXPECT_EQ(result.failure, FetchFailure::too_large);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_NE(result.error.find("larger than the limit of 1048576 bytes"), std::string::npos)
      << result.error;
  // What the server got onto the wire: the limit plus what socket buffers took in, not 1 GiB.
  EXPECT_LT(sent.load(), std::size_t{32} << 20U);
  expect_nothing_written();
}

TEST_F(FetcherTest, RefusesAnAnnouncedLengthOverTheLimitBeforeTheBody) {
  std::atomic<std::size_t> sent{0};
  TestHttpServer http;
  http.server().Get("/big.jpg", [&, this](const httplib::Request&, httplib::Response& response) {
    response.set_content_provider(std::size_t{1} << 30U, "image/jpeg",
                                  [&, this](std::size_t, std::size_t, httplib::DataSink& sink) {
                                    sent += 64 << 10;
                                    return sink.write(m_photo.data(), 64 << 10);
                                  });
  });
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.limits.max_bytes = 1 << 20U;
  const auto result = fetch_one(http.url("/big.jpg"), options);
  EXPECT_EQ(result.failure, FetchFailure::too_large);
  EXPECT_NE(result.error.find("announces more than the limit"), std::string::npos) << result.error;
  EXPECT_LT(sent.load(), std::size_t{32} << 20U);
  expect_nothing_written();
}

TEST_F(FetcherTest, RefusesAnHtmlPageServedAsJpeg) {
  TestHttpServer http;
  http.server().Get("/photo.jpg", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        "<!DOCTYPE html>\n<html><head><title>Session expired</title></head>"
        "<body>Please log in again.</body></html>",
        "image/jpeg");
  });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/photo.jpg"));
  EXPECT_EQ(result.failure, FetchFailure::not_an_image);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_NE(result.error.find("an HTML page (Content-Type: image/jpeg)"), std::string::npos)
      << result.error;
  expect_nothing_written();
}

TEST_F(FetcherTest, SendsValidatorsAndTakes304AsUnchanged) {
  std::string if_none_match;
  std::string if_modified_since;
  TestHttpServer http;
  http.server().Get("/photo.jpg",
                    [&, this](const httplib::Request& request, httplib::Response& response) {
                      if_none_match = request.get_header_value("If-None-Match");
                      if_modified_since = request.get_header_value("If-Modified-Since");
                      if (if_none_match == k_etag) {
                        response.status = 304;
                        response.set_header("ETag", k_etag);
                        return;
                      }
                      serve_photo(response, m_photo);
                    });
  ASSERT_TRUE(http.start());

  const auto result = fetch_one(http.url("/photo.jpg"), test_options(), k_etag, k_last_modified);
  EXPECT_EQ(result.outcome, FetchOutcome::unchanged) << result.error;
  EXPECT_EQ(result.status, 304);
  EXPECT_EQ(result.etag, k_etag);
  EXPECT_EQ(result.last_modified, k_last_modified);  // kept from the request
  EXPECT_EQ(result.bytes, 0U);
  EXPECT_EQ(if_none_match, k_etag);
  EXPECT_EQ(if_modified_since, k_last_modified);
  expect_nothing_written();

  const auto changed = fetch_one(http.url("/photo.jpg"), test_options(), "\"photo-v0\"");
  EXPECT_EQ(changed.outcome, FetchOutcome::fetched) << changed.error;
}

TEST_F(FetcherTest, RefusesLoopbackByDefaultAndAllowsANamedHost) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  serve_counted_photo(http, "/photo.jpg", requests);
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.policy = AddressPolicy{};
  const auto refused = fetch_one(http.url("/photo.jpg"), options);
  EXPECT_EQ(refused.failure, FetchFailure::refused);
  EXPECT_NE(refused.error.find("127.0.0.1 is a loopback address; allow it with --allow-host "
                               "127.0.0.1 or --allow-private"),
            std::string::npos)
      << refused.error;
  EXPECT_EQ(requests, 0);

  options.policy.allowed_hosts = {"127.0.0.1"};
  const auto allowed = fetch_one(http.url("/photo.jpg"), options);
  EXPECT_EQ(allowed.outcome, FetchOutcome::fetched) << allowed.error;
  EXPECT_EQ(requests, 1);
}

TEST_F(FetcherTest, ChecksTheAddressConnectedToNotTheName) {
  // A name that resolves to loopback (as a DNS-rebinding attacker's would) is refused when it
  // is connected, and allowed only when that name is allowed.
  std::atomic<int> requests{0};
  TestHttpServer http;
  serve_counted_photo(http, "/photo.jpg", requests);
  ASSERT_TRUE(http.start());
  const std::string url = "http://photos.test:" + std::to_string(http.port()) + "/photo.jpg";

  auto options = test_options();
  options.policy = AddressPolicy{};
  options.resolve = {"photos.test:" + std::to_string(http.port()) + ":127.0.0.1"};
  const auto refused = fetch_one(url, options);
  EXPECT_EQ(refused.failure, FetchFailure::refused);
  EXPECT_NE(refused.error.find("--allow-host photos.test"), std::string::npos) << refused.error;
  EXPECT_EQ(requests, 0);

  options.policy.allowed_hosts = {"PHOTOS.test"};
  const auto allowed = fetch_one(url, options);
  EXPECT_EQ(allowed.outcome, FetchOutcome::fetched) << allowed.error;
  EXPECT_EQ(requests, 1);
}

TEST_F(FetcherTest, RefusesARedirectToALoopbackAddress) {
  std::atomic<int> requests{0};
  TestHttpServer http;
  serve_counted_photo(http, "/photo.jpg", requests);
  http.server().Get("/moved.jpg", [&](const httplib::Request&, httplib::Response& response) {
    response.set_redirect(http.url("/photo.jpg"), 302);  // to 127.0.0.1, not allowed
  });
  ASSERT_TRUE(http.start());

  auto options = test_options();
  options.policy = AddressPolicy{};
  options.policy.allowed_hosts = {"photos.test"};
  options.resolve = {"photos.test:" + std::to_string(http.port()) + ":127.0.0.1"};
  const auto result =
      fetch_one("http://photos.test:" + std::to_string(http.port()) + "/moved.jpg", options);
  EXPECT_EQ(result.failure, FetchFailure::refused);
  EXPECT_EQ(result.final_url, http.url("/photo.jpg"));
  EXPECT_EQ(requests, 0);
}

TEST_F(FetcherTest, NeverConnectsToLinkLocalOrCloudMetadataAddresses) {
  auto options = test_options();  // private addresses allowed: these stay refused
  options.policy.allowed_hosts = {"metadata.test", "169.254.169.254"};
  options.resolve = {"metadata.test:80:169.254.169.254"};
  const auto literal = fetch_one("http://169.254.169.254/latest/meta-data/", options);
  EXPECT_EQ(literal.failure, FetchFailure::refused);
  EXPECT_NE(literal.error.find("169.254.169.254 is a cloud metadata service address"),
            std::string::npos)
      << literal.error;
  const auto named = fetch_one("http://metadata.test/computeMetadata/v1/", options);
  EXPECT_EQ(named.failure, FetchFailure::refused);
  const auto link_local = fetch_one("http://[fe80::1]/photo.jpg", options);
  EXPECT_EQ(link_local.failure, FetchFailure::refused);
}

TEST_F(FetcherTest, RefusesUrlsThatAreNotHttp) {
  const auto results = fetch_all({request_for("ftp://example.org/a.jpg", m_dir / "a.jpg"),
                                  request_for("file:///etc/passwd", m_dir / "b.jpg"),
                                  request_for("not a url", m_dir / "c.jpg")});
  for (const auto& result : results) {
    EXPECT_EQ(result.failure, FetchFailure::invalid_url) << result.url;
    EXPECT_EQ(result.attempts, 0);
  }
  EXPECT_NE(results[0].error.find("only http and https"), std::string::npos) << results[0].error;
}

TEST_F(FetcherTest, FetchesOverHttpsWithATestCaAndRefusesAnUnknownOne) {
  const auto& certificates = test_certificates();
  ASSERT_FALSE(certificates.ca.empty());
  TestHttpServer secure(certificates);
  secure.server().Get("/photo.jpg", [this](const httplib::Request&, httplib::Response& response) {
    serve_photo(response, m_photo);
  });
  ASSERT_TRUE(secure.start());

  const auto untrusted = fetch_one(secure.url("/photo.jpg"));
  EXPECT_EQ(untrusted.failure, FetchFailure::tls) << untrusted.error;
  EXPECT_EQ(untrusted.attempts, 1);

  auto options = test_options();
  options.ca_file = certificates.ca;
  const auto trusted = fetch_one(secure.url("/photo.jpg"), options);
  EXPECT_EQ(trusted.outcome, FetchOutcome::fetched) << trusted.error;
  EXPECT_EQ(trusted.sha256, sha256_of(m_photo));
}

TEST_F(FetcherTest, FetchesARealHttpsUrlFromALocalMirrorWithConnectTo) {
  const auto& certificates = test_certificates();
  ASSERT_FALSE(certificates.ca.empty());
  std::string host_header;
  TestHttpServer mirror(certificates);
  mirror.server().Get("/medienportal/pressedienst/bild.jpg",
                      [&, this](const httplib::Request& request, httplib::Response& response) {
                        host_header = request.get_header_value("Host");
                        serve_photo(response, m_photo);
                      });
  ASSERT_TRUE(mirror.start());

  auto options = test_options();
  options.policy = AddressPolicy{};
  options.policy.allowed_hosts = {"www.duesseldorf.de"};
  options.ca_file = certificates.ca;
  options.connect_to = {"www.duesseldorf.de:443:127.0.0.1:" + std::to_string(mirror.port())};
  const std::string url = "https://www.duesseldorf.de/medienportal/pressedienst/bild.jpg";
  const auto result = fetch_one(url, options);
  ASSERT_EQ(result.outcome, FetchOutcome::fetched) << result.error;
  EXPECT_EQ(result.final_url, url);
  EXPECT_EQ(host_header, "www.duesseldorf.de");
}

TEST_F(FetcherTest, SpeaksHttp2WithAServerThatOffersIt) {
  // nghttpd (nghttp2's server) offers HTTP/2 by ALPN over TLS, as a city's web server may.
  const auto& certificates = test_certificates();
  ASSERT_FALSE(certificates.ca.empty());
  TempDir htdocs;
  for (int i = 0; i < 6; ++i) {
    std::ofstream(htdocs / (std::to_string(i) + ".jpg"), std::ios::binary) << m_photo;
  }
  const int port = free_port();
  ASSERT_GT(port, 0);
  const BackgroundProcess server({"/usr/sbin/nghttpd", "--address=127.0.0.1",
                                  "--htdocs=" + htdocs.path().string(), std::to_string(port),
                                  certificates.key.string(), certificates.cert.string()});
  ASSERT_TRUE(server.running());
  for (int waited = 0; waited < 100 && !accepts_connections(port); ++waited) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(accepts_connections(port));

  std::vector<FetchRequest> requests;
  requests.reserve(6);
  for (int i = 0; i < 6; ++i) {
    requests.push_back(
        request_for("https://127.0.0.1:" + std::to_string(port) + "/" + std::to_string(i) + ".jpg",
                    m_dir / (std::to_string(i) + ".jpg")));
  }
  auto options = test_options();
  options.ca_file = certificates.ca;
  for (const auto& result : fetch_all(requests, options)) {
    EXPECT_EQ(result.outcome, FetchOutcome::fetched) << result.url << ": " << result.error;
    EXPECT_EQ(result.http_version, "2") << result.url;
    EXPECT_EQ(result.sha256, sha256_of(m_photo));
  }
}

TEST_F(FetcherTest, KeepsToThePerHostLimitWithAHundredUrls) {
  ConcurrencyMeter first_meter;
  ConcurrencyMeter second_meter;
  ConcurrencyMeter all_meter;
  const auto handler = [this, &all_meter](ConcurrencyMeter& meter) {
    return [this, &meter, &all_meter](const httplib::Request&, httplib::Response& response) {
      meter.enter();
      all_meter.enter();
      std::this_thread::sleep_for(20ms);  // long enough for transfers to overlap
      all_meter.leave();
      meter.leave();
      serve_photo(response, m_photo.substr(0, 20'000));
    };
  };
  TestHttpServer first;
  first.server().Get(R"(/(\d+)\.jpg)", handler(first_meter));
  first.server().new_task_queue = [] { return new httplib::ThreadPool(12); };
  ASSERT_TRUE(first.start());
  TestHttpServer second;
  second.server().Get(R"(/(\d+)\.jpg)", handler(second_meter));
  second.server().new_task_queue = [] { return new httplib::ThreadPool(12); };
  ASSERT_TRUE(second.start());

  std::vector<FetchRequest> requests;
  for (int i = 0; i < 100; ++i) {
    const auto& server = i % 2 == 0 ? first : second;
    requests.push_back(request_for(server.url("/" + std::to_string(i) + ".jpg"),
                                   m_dir / (std::to_string(i) + ".jpg")));
  }
  auto options = test_options();
  options.jobs = 5;
  options.per_host = 3;
  const auto results = fetch_all(requests, options);
  for (const auto& result : results) {
    EXPECT_EQ(result.outcome, FetchOutcome::fetched) << result.url << ": " << result.error;
  }
  EXPECT_LE(first_meter.highest, 3);
  EXPECT_LE(second_meter.highest, 3);
  EXPECT_LE(all_meter.highest, 5);
  EXPECT_GE(all_meter.highest, 4);  // both hosts were served at once, not one after the other
}

TEST_F(FetcherTest, CancelEndsEveryTransferAndRemovesPartialFiles) {
  TestHttpServer http;
  http.server().Get(R"(/(\d)\.jpg)", [this](const httplib::Request&, httplib::Response& response) {
    serve_stalling(response, m_photo);
  });
  ASSERT_TRUE(http.start());

  auto fetcher = Fetcher::create(test_options());
  ASSERT_TRUE(fetcher) << to_string(fetcher.error());
  std::vector<FetchRequest> requests;
  requests.reserve(6);
  for (int i = 0; i < 6; ++i) {
    requests.push_back(request_for(http.url("/" + std::to_string(i) + ".jpg"),
                                   m_dir / (std::to_string(i) + ".jpg")));
  }
  std::vector<FetchResult> results;
  fetcher->fetch(
      requests, [&results](const FetchResult& result) { results.push_back(result); },
      [&fetcher](const FetchProgress& progress) {
        if (progress.bytes >= 1000) {
          fetcher->cancel();
        }
      });
  ASSERT_EQ(results.size(), requests.size());
  for (const auto& result : results) {
    EXPECT_EQ(result.failure, FetchFailure::cancelled) << result.url << ": " << result.error;
  }
  EXPECT_TRUE(std::filesystem::is_empty(m_dir.path()));
}

TEST(LastPathSegment, IsTheNameAfterTheLastSlashWithoutQueryOrFragment) {
  EXPECT_EQ(last_path_segment("https://www.duesseldorf.de/a/190831-LT2.jpg?w=1#top"),
            "190831-LT2.jpg");
  EXPECT_EQ(last_path_segment("https://host/a%20b.jpg"), "a%20b.jpg") << "not decoded";
  EXPECT_EQ(last_path_segment("https://host/folder/"), "");
  EXPECT_EQ(last_path_segment("https://host"), "");
  EXPECT_EQ(last_path_segment("https://host?x=/y.jpg"), "") << "a query is no path";
}

}  // namespace
}  // namespace pressroom::importer
