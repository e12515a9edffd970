#include "test_support.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <poll.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pressroom::testing {

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(PRESSROOM_FIXTURE_DIR) / name;
}

std::filesystem::path release_fixture(const std::string& name) {
  return std::filesystem::path(PRESSROOM_RELEASE_DIR) / name;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

TempDir::TempDir() {
  std::random_device random;
  m_path = std::filesystem::temp_directory_path() /
           ("pressroom-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

ProcessResult run_process(const std::vector<std::string>& arguments,
                          const std::map<std::string, std::string>& environment,
                          int timeout_seconds) {
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0 || ::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    return {};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string key = text.substr(0, text.find('='));
    if (environment.find(key) == environment.end()) {
      env_strings.push_back(text);
    }
  }
  for (const auto& [key, value] : environment) {
    env_strings.push_back(key);
    env_strings.back().append("=").append(value);
  }
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (const auto& argument : arguments) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (auto& entry : env_strings) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ProcessResult result;
  if (spawned != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = "cannot start " + arguments.front();
    return result;
  }
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_pipes = 2;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool killed = false;
  while (open_pipes > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0) {
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      std::array<char, 65536> buffer{};
      const ssize_t got = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      } else {
        sinks[i]->append(buffer.data(), static_cast<std::size_t>(got));
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) {
      ::close(fd.fd);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  if (killed) {
    result.err += "\n[killed after " + std::to_string(timeout_seconds) + " s]";
  }
  return result;
}

ProcessResult run_pressroom(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& environment) {
  std::vector<std::string> command{PRESSROOM_BINARY};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return run_process(command, environment);
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    if (end > start) {
      lines.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    }
    start = end + 1;
  }
  return lines;
}

nlohmann::json exiftool(const std::filesystem::path& file, const std::vector<std::string>& tags) {
  std::vector<std::string> command{"/usr/bin/exiftool", "-json", "-n"};
  for (const auto& tag : tags) {
    command.push_back("-" + tag);
  }
  command.push_back(file.string());
  const ProcessResult result = run_process(command);
  const auto parsed = nlohmann::json::parse(result.out, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array() || parsed.empty()) {
    return nlohmann::json::object();
  }
  return parsed.front();
}

cv::Mat load_image(const std::filesystem::path& file) {
  return cv::imread(file.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
}

cv::Mat decode_image(std::span<const std::byte> bytes) {
  const cv::Mat input(1, static_cast<int>(bytes.size()), CV_8UC1,
                      const_cast<std::byte*>(bytes.data()));  // NOLINT: imdecode only reads
  return cv::imdecode(input, cv::IMREAD_COLOR);
}

cv::Mat resized(const cv::Mat& image, cv::Size size) {
  cv::Mat result;
  cv::resize(image, result, size, 0, 0, cv::INTER_AREA);
  return result;
}

std::vector<std::byte> fixture_bytes(const std::string& name) {
  const std::string text = read_text(fixture(name));
  EXPECT_FALSE(text.empty()) << "cannot read the fixture " << name;
  std::vector<std::byte> bytes(text.size());
  std::transform(text.begin(), text.end(), bytes.begin(), [](char c) { return std::byte(c); });
  return bytes;
}

double mean_abs_difference(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) {
    return 255.0;
  }
  cv::Mat difference;
  cv::absdiff(a, b, difference);
  const cv::Scalar mean = cv::mean(difference);
  return (mean[0] + mean[1] + mean[2]) / 3.0;
}

std::string sql(const std::filesystem::path& file, const std::string& statement) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* prepared = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, statement.c_str(), -1, &prepared, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << statement << ": " << sqlite3_errmsg(db);
  } else if (const int code = sqlite3_step(prepared); code == SQLITE_ROW) {
    if (sqlite3_column_text(prepared, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(prepared, 0));
    }
  } else if (code != SQLITE_DONE) {
    ADD_FAILURE() << statement << ": " << sqlite3_errmsg(db);
  }
  sqlite3_finalize(prepared);
  sqlite3_close(db);
  return out;
}

}  // namespace pressroom::testing
