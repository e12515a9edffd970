#include "spawned_process.hpp"

#include <csignal>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pressroom::testing {

SpawnedProcess::SpawnedProcess(const std::vector<std::string>& arguments,
                               const std::filesystem::path& out, const std::filesystem::path& err) {
  std::vector<std::string> command = arguments;
  std::vector<char*> argv;
  argv.reserve(command.size() + 1);
  for (std::string& argument : command) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    m_pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
}

SpawnedProcess::~SpawnedProcess() {
  if (m_pid > 0 && !m_exit_code) {
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
  }
}

void SpawnedProcess::send(int signal) const {
  if (m_pid > 0 && !m_exit_code) {
    ::kill(m_pid, signal);
  }
}

std::optional<int> SpawnedProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (m_exit_code || m_pid <= 0) {
    return m_exit_code;
  }
  // Glibc 2.36's <sys/pidfd.h> declares pidfd_open without extern "C": the system call.
  const auto process = static_cast<int>(::syscall(SYS_pidfd_open, m_pid, 0));
  if (process >= 0) {
    pollfd ended{process, POLLIN, 0};
    ::poll(&ended, 1, static_cast<int>(timeout.count()));
    ::close(process);
  }
  int status = 0;
  if (::waitpid(m_pid, &status, WNOHANG) != m_pid) {
    return std::nullopt;
  }
  m_exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return m_exit_code;
}

int SpawnedProcess::wait_for_number(const std::filesystem::path& file,
                                    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline &&
         !wait_for_exit(std::chrono::milliseconds(0))) {
    std::ifstream in(file);
    int number = 0;
    if (in >> number && number > 0) {
      return number;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return 0;
}

}  // namespace pressroom::testing
