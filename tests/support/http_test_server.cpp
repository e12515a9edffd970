#include "http_test_server.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <iostream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_support.hpp"

namespace pressroom::testing {

TestCertificates make_test_certificates(const std::filesystem::path& folder) {
  const auto path = [&folder](const char* name) { return (folder / name).string(); };
  {
    std::ofstream extensions(path("server.ext"));
    extensions << "basicConstraints=CA:FALSE\n"
                  "keyUsage=critical,digitalSignature,keyEncipherment\n"
                  "extendedKeyUsage=serverAuth\n"
                  "subjectAltName=DNS:localhost,DNS:photos.test,DNS:www.duesseldorf.de,"
                  "IP:127.0.0.1\n";
  }
  const std::vector<std::vector<std::string>> commands = {
      {"/usr/bin/openssl",
       "req",
       "-x509",
       "-newkey",
       "ec",
       "-pkeyopt",
       "ec_paramgen_curve:prime256v1",
       "-nodes",
       "-keyout",
       path("ca.key"),
       "-out",
       path("ca.pem"),
       "-days",
       "2",
       "-subj",
       "/CN=pressroom test CA",
       "-addext",
       "basicConstraints=critical,CA:TRUE",
       "-addext",
       "keyUsage=critical,keyCertSign,cRLSign"},
      {"/usr/bin/openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", path("server.key"), "-out", path("server.csr"), "-subj",
       "/CN=localhost"},
      {"/usr/bin/openssl", "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"),
       "-CAkey", path("ca.key"), "-CAcreateserial", "-out", path("server.pem"), "-days", "2",
       "-extfile", path("server.ext")},
  };
  for (const auto& command : commands) {
    const auto result = run_process(command);
    if (result.exit_code != 0) {
      std::cerr << "openssl failed: " << result.err << '\n';
      return {};
    }
  }
  return {folder / "ca.pem", folder / "server.pem", folder / "server.key"};
}

TestHttpServer::TestHttpServer() : m_server(std::make_unique<httplib::Server>()) {}

TestHttpServer::TestHttpServer(const TestCertificates& certificates)
    : m_server(std::make_unique<httplib::SSLServer>(certificates.cert.c_str(),
                                                    certificates.key.c_str())),
      m_https(true) {}

TestHttpServer::~TestHttpServer() {
  m_server->stop();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

bool TestHttpServer::start() {
  m_port = m_server->bind_to_any_port("127.0.0.1");
  if (m_port <= 0) {
    return false;
  }
  m_thread = std::thread([this] { m_server->listen_after_bind(); });
  return true;
}

std::string TestHttpServer::url(const std::string& path) const {
  return std::string(m_https ? "https" : "http") + "://127.0.0.1:" + std::to_string(m_port) + path;
}

RawHttpServer::RawHttpServer(int connections,
                             std::function<Answer(int, const std::string&)> respond) {
  m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(m_listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(m_listener, 8) != 0 ||
      ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return;
  }
  m_port = ntohs(address.sin_port);
  m_thread = std::thread(
      [this, connections, respond = std::move(respond)] { serve(connections, respond); });
}

RawHttpServer::~RawHttpServer() {
  m_stop = true;
  if (m_thread.joinable()) {
    m_thread.join();
  }
  if (m_listener >= 0) {
    ::close(m_listener);
  }
}

std::string RawHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

void RawHttpServer::serve(int connections,
                          const std::function<Answer(int, const std::string&)>& respond) {
  for (int served = 0; served < connections && !m_stop;) {
    pollfd waiting{m_listener, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) {
      continue;  // bounded by m_stop: the destructor ends the loop
    }
    const int connection = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
      continue;
    }
    std::string request;
    std::array<char, 4096> buffer{};
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      pollfd readable{connection, POLLIN, 0};
      if (::poll(&readable, 1, 5000) <= 0) {
        break;
      }
      const ssize_t got = ::read(connection, buffer.data(), buffer.size());
      if (got <= 0) {
        break;
      }
      request.append(buffer.data(), static_cast<std::size_t>(got));
    }
    const Answer answer = respond(served, request);
    m_seen = ++served;
    for (std::size_t sent = 0; sent < answer.bytes.size();) {
      const ssize_t wrote =
          ::send(connection, answer.bytes.data() + sent, answer.bytes.size() - sent, MSG_NOSIGNAL);
      if (wrote <= 0) {
        break;
      }
      sent += static_cast<std::size_t>(wrote);
    }
    if (answer.reset_after) {
      const linger reset{1, 0};  // close() then sends RST instead of FIN
      ::setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    } else {
      ::shutdown(connection, SHUT_WR);
    }
    ::close(connection);
  }
}

}  // namespace pressroom::testing
