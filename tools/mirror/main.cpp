// pressroom-mirror: serves a folder over HTTPS on 127.0.0.1, standing in for a press service's
// web server, so that a release's real URLs can be fetched without internet (the importer maps
// their host to it with --connect-to). Runs until SIGTERM or SIGINT, --max-requests requests, or
// --idle-exit seconds without one.
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <httplib.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.hpp"
#include "file_server.hpp"

namespace {

using pressroom::Errc;
using pressroom::fail;
using pressroom::Result;
using Clock = std::chrono::steady_clock;

constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;  // the server could not start or stopped on its own
constexpr int k_exit_usage = 2;    // wrong arguments, or a file they name is unusable
// Sent by a worker thread to the main thread when the request limit is reached, or by the
// listening thread when it ends. Blocked in every thread and taken by sigtimedwait().
constexpr int k_wake_signal = SIGUSR1;

constexpr const char* k_exit_codes_help = R"(Exit codes:
  0  stopped by SIGTERM or SIGINT, after --max-requests requests, or after --idle-exit seconds
  1  the server could not listen (the port is in use) or write --port-file, or it failed
  2  wrong arguments, or a folder or file they name is missing or unusable)";

struct MirrorOptions {
  std::string root;                     // --root: the folder served
  std::string cert;                     // --cert: the server's certificate (chain), PEM
  std::string key;                      // --key: its private key, PEM, not encrypted
  int port = 0;                         // --port: on 127.0.0.1; 0 for any free port
  std::string log;                      // --log: appended to, one line per request; "" for none
  std::string port_file;                // --port-file: the port, written once serving; "" for none
  std::uint64_t max_requests = 100000;  // --max-requests: then the server exits
  int idle_exit_seconds = 0;  // --idle-exit: exit after so long without a request; 0 never
};

// What the worker threads tell the main thread.
struct Activity {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<Clock::rep> last_request{Clock::now().time_since_epoch().count()};
  std::atomic<bool> listener_ended{false};
};

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

void wake_main_thread() {
  ::kill(::getpid(), k_wake_signal);
}

Result<std::filesystem::path> served_root(const std::string& root) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::canonical(root, error);
  if (error) {
    return fail(Errc::invalid_input, "--root " + root, error.message());
  }
  if (!std::filesystem::is_directory(canonical, error)) {
    return fail(Errc::invalid_input, "--root " + root, "not a folder");
  }
  const std::filesystem::directory_iterator probe(canonical, error);
  if (error) {
    return fail(Errc::invalid_input, "--root " + root, "cannot be read: " + error.message());
  }
  return canonical;
}

// OpenSSL's queued errors, oldest first, as "library: reason; ...", and the queue emptied.
std::string openssl_errors() {
  std::string text;
  for (auto code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    const char* library = ERR_lib_error_string(code);
    const char* reason = ERR_reason_error_string(code);
    text += text.empty() ? "" : "; ";
    text += std::string(library != nullptr ? library : "OpenSSL") + ": " +
            (reason != nullptr ? reason : "error " + std::to_string(code));
  }
  return text.empty() ? "no reason given" : text;
}

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* certificate) const noexcept { X509_free(certificate); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};

// Whether `file` (given as `option`) is a readable PEM certificate, or private key when
// `is_key`. Checked before httplib loads them, which only reports that one of the two failed.
Result<void> check_pem(const std::string& option, const std::string& file, bool is_key) {
  const std::string subject = option + " " + file;
  const int descriptor = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    return fail(Errc::invalid_input, subject, "cannot be read: " + errno_text(errno));
  }
  ::close(descriptor);
  ERR_clear_error();
  const std::unique_ptr<BIO, BioFree> bio(BIO_new_file(file.c_str(), "r"));
  if (!bio) {
    return fail(Errc::invalid_input, subject, "cannot be read: " + openssl_errors());
  }
  // No passphrase callback would prompt on the terminal for an encrypted key: this one refuses.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return 0; };
  if (is_key) {
    const std::unique_ptr<EVP_PKEY, KeyFree> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    if (!key) {
      return fail(Errc::invalid_input, subject,
                  "not an unencrypted PEM private key (" + openssl_errors() + ")");
    }
  } else {
    const std::unique_ptr<X509, X509Free> certificate(
        PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    if (!certificate) {
      return fail(Errc::invalid_input, subject, "not a PEM certificate (" + openssl_errors() + ")");
    }
  }
  return {};
}

// Writes the port to `file` through a temporary file and a rename, so that a reader sees no
// file or a whole one.
Result<void> write_port_file(const std::filesystem::path& file, int port) {
  const std::filesystem::path temporary = file.string() + ".tmp." + std::to_string(::getpid());
  std::ofstream out(temporary, std::ios::trunc);
  out << port << '\n';
  out.close();
  if (!out) {
    const int error = errno;
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return fail(Errc::io, "--port-file " + file.string(),
                "cannot write " + temporary.string() + ": " + errno_text(error));
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return fail(Errc::io, "--port-file " + file.string(), "cannot rename: " + error.message());
  }
  return {};
}

enum class StopReason { signal, max_requests, idle, listener_ended };

// Waits, in the main thread, for a reason to stop. The other threads block the signals waited
// for, so SIGTERM and SIGINT arrive here and never interrupt a response.
StopReason wait_for_stop(const sigset_t& signals, const Activity& activity,
                         const MirrorOptions& options) {
  while (true) {
    if (activity.listener_ended.load()) {
      return StopReason::listener_ended;
    }
    if (activity.requests.load() >= options.max_requests) {
      return StopReason::max_requests;
    }
    int got = 0;
    if (options.idle_exit_seconds > 0) {
      const Clock::time_point last{Clock::duration(activity.last_request.load())};
      const auto left = last + std::chrono::seconds(options.idle_exit_seconds) - Clock::now();
      if (left <= Clock::duration::zero()) {
        return StopReason::idle;
      }
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
      const timespec timeout{
          seconds.count(),
          std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds).count()};
      got = ::sigtimedwait(&signals, nullptr, &timeout);
    } else {
      got = ::sigwaitinfo(&signals, nullptr);
    }
    if (got == SIGTERM || got == SIGINT) {
      return StopReason::signal;
    }
    // The wake signal, a timeout or EINTR: look again.
  }
}

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::signal:
      return "signal";
    case StopReason::max_requests:
      return "--max-requests reached";
    case StopReason::idle:
      return "--idle-exit reached";
    case StopReason::listener_ended:
      return "the listener ended";
  }
  return "unknown";
}

int exit_code(const pressroom::Error& error) {
  std::cerr << "pressroom-mirror: " << to_string(error) << '\n';
  return error.code == Errc::invalid_input ? k_exit_usage : k_exit_failure;
}

int serve(const MirrorOptions& options) {
  auto root = served_root(options.root);
  if (!root) {
    return exit_code(root.error());
  }
  for (const auto& [option, file, is_key] :
       {std::tuple{"--cert", options.cert, false}, std::tuple{"--key", options.key, true}}) {
    if (auto checked = check_pem(option, file, is_key); !checked) {
      return exit_code(checked.error());
    }
  }
  std::ofstream log;
  if (!options.log.empty()) {
    log.open(options.log, std::ios::app);
    if (!log.is_open()) {
      return exit_code({Errc::invalid_input, "--log " + options.log,
                        "cannot be opened for appending: " + errno_text(errno)});
    }
  }
  if (!options.port_file.empty()) {
    // A port file left by an earlier run must not pass for this one's before it is ready.
    std::error_code ignored;
    std::filesystem::remove(options.port_file, ignored);
  }

  // Before any thread exists, so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (const int signal : {SIGTERM, SIGINT, k_wake_signal}) {
    sigaddset(&signals, signal);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-body is httplib's write error

  ERR_clear_error();
  httplib::SSLServer server(options.cert.c_str(), options.key.c_str());
  if (!server.is_valid()) {
    return exit_code({Errc::invalid_input, "--cert " + options.cert + " with --key " + options.key,
                      "the key does not fit the certificate (" + openssl_errors() + ")"});
  }
  // httplib's default sets SO_REUSEPORT, which would let a second server bind a port a first
  // one listens on; SO_REUSEADDR alone only reuses ports in TIME_WAIT.
  server.set_socket_options([](socket_t socket) {
    const int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // A stop waits for each open connection's keep-alive wait to end; keep it short.
  server.set_keep_alive_timeout(1);
  // Without it each response's last small write waits for the client's delayed ACK (40 ms).
  server.set_tcp_nodelay(true);

  pressroom::mirror::FileServer files(*root, std::move(log));
  Activity activity;
  server.Get(".*", [&files](const httplib::Request& request, httplib::Response& response) {
    files.handle(request, response);
  });
  server.set_post_routing_handler(pressroom::mirror::FileServer::finish);
  server.set_logger([&files, &activity, &options](const httplib::Request& request,
                                                  const httplib::Response& response) {
    files.log(request, response);
    activity.last_request.store(Clock::now().time_since_epoch().count());
    if (activity.requests.fetch_add(1) + 1 == options.max_requests) {
      wake_main_thread();
    }
  });

  errno = 0;
  int port = options.port;
  bool bound = false;
  if (port == 0) {
    port = server.bind_to_any_port("127.0.0.1");
    bound = port > 0;
  } else {
    bound = server.bind_to_port("127.0.0.1", port);
  }
  if (!bound) {
    const int error = errno;
    return exit_code({Errc::io, "127.0.0.1:" + std::to_string(options.port),
                      "cannot listen: " + (error != 0 ? errno_text(error) : "no reason given")});
  }
  std::thread listener([&server, &activity] {
    server.listen_after_bind();
    activity.listener_ended.store(true);
    wake_main_thread();
  });
  // httplib's stop() does nothing until listen_after_bind() has begun: wait for that before
  // anything may call it. Connections made meanwhile wait in the bound socket's backlog.
  while (!server.is_running() && !activity.listener_ended.load()) {
    std::this_thread::yield();
  }
  const auto stop = [&server, &listener] {
    server.stop();
    listener.join();
  };
  if (activity.listener_ended.load()) {
    listener.join();
    return exit_code({Errc::io, "127.0.0.1:" + std::to_string(port), "cannot accept connections"});
  }
  if (!options.port_file.empty()) {
    if (auto written = write_port_file(options.port_file, port); !written) {
      stop();
      return exit_code(written.error());
    }
  }
  std::cout << "pressroom-mirror: serving " << root->string() << " on https://127.0.0.1:" << port
            << std::endl;

  const StopReason reason = wait_for_stop(signals, activity, options);
  const bool ended_itself = activity.listener_ended.load();
  stop();
  if (!options.port_file.empty()) {
    std::error_code ignored;
    std::filesystem::remove(options.port_file, ignored);
  }
  if (ended_itself) {
    std::cerr << "pressroom-mirror: 127.0.0.1:" << port
              << ": the server stopped accepting connections on its own\n";
    return k_exit_failure;
  }
  std::cout << "pressroom-mirror: stopped (" << to_string(reason) << ") after "
            << activity.requests.load() << " requests" << std::endl;
  return k_exit_ok;
}

int run(int argc, char** argv) {
  CLI::App app(
      "pressroom-mirror: serves a folder over HTTPS on 127.0.0.1, standing in for a press "
      "service's web server (GET and HEAD, ETag, Last-Modified, 304)",
      "pressroom-mirror");
  app.footer(k_exit_codes_help);
  MirrorOptions options;
  app.add_option("--root", options.root, "Folder served: /a/b.jpg is ROOT/a/b.jpg")->required();
  app.add_option("--cert", options.cert, "Server certificate (chain), PEM")->required();
  app.add_option("--key", options.key, "Its private key, PEM, not encrypted")->required();
  app.add_option("--port", options.port, "Port on 127.0.0.1 (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--log", options.log,
                 "Append a line per request: METHOD, PATH, STATUS, BODY_BYTES_SENT, "
                 "IF-NONE-MATCH (or -), tab-separated");
  app.add_option("--port-file", options.port_file,
                 "Write the port here once serving (atomically; removed at exit)");
  app.add_option("--max-requests", options.max_requests, "Exit after this many requests")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--idle-exit", options.idle_exit_seconds,
                 "Exit after this many seconds without a request (0: never)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? k_exit_ok : k_exit_usage;
  }
  return serve(options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "pressroom-mirror: internal error: " << error.what() << '\n';
    return k_exit_failure;
  }
}
