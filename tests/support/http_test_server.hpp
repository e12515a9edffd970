#pragma once

// Real HTTP(S) servers on 127.0.0.1 for the fetcher's tests: cpp-httplib for everything a
// well-behaved or misbehaving server does through HTTP, and a raw socket server for what
// httplib cannot do (reset a connection in the middle of a body).

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

namespace pressroom::testing {

// A CA and a server certificate signed by it, made with the openssl tool for one test run. The
// server certificate names localhost, photos.test, www.duesseldorf.de and 127.0.0.1.
struct TestCertificates {
  std::filesystem::path ca;    // PEM, for --cacert
  std::filesystem::path cert;  // PEM
  std::filesystem::path key;   // PEM
};
// Empty paths when openssl failed (the output is printed).
TestCertificates make_test_certificates(const std::filesystem::path& folder);

// An httplib server on 127.0.0.1 and a free port. Register handlers on server(), then
// start(); the destructor stops it and joins its thread.
class TestHttpServer {
 public:
  TestHttpServer();                                               // plain HTTP
  explicit TestHttpServer(const TestCertificates& certificates);  // HTTPS
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;
  ~TestHttpServer();

  httplib::Server& server() { return *m_server; }
  // Binds and starts serving; false when it could not bind.
  bool start();
  int port() const { return m_port; }
  // "http://127.0.0.1:PORT" + path (or https).
  std::string url(const std::string& path) const;

 private:
  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
  int m_port = -1;
  bool m_https = false;
};

// Accepts up to `connections` connections, one after another, and answers the Nth (0-based)
// with `respond(N, request_text)`: the raw bytes to send. When `reset_after` is set for it, the
// connection is reset (RST, not a clean close) once the bytes are written.
class RawHttpServer {
 public:
  struct Answer {
    std::string bytes;
    bool reset_after = false;
  };
  RawHttpServer(int connections, std::function<Answer(int, const std::string&)> respond);
  RawHttpServer(const RawHttpServer&) = delete;
  RawHttpServer& operator=(const RawHttpServer&) = delete;
  ~RawHttpServer();

  int port() const { return m_port; }
  std::string url(const std::string& path) const;
  int connections_seen() const { return m_seen.load(); }

 private:
  void serve(int connections, const std::function<Answer(int, const std::string&)>& respond);
  int m_listener = -1;
  int m_port = -1;
  std::atomic<int> m_seen{0};
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace pressroom::testing
