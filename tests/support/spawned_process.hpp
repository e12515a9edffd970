#pragma once

// A child process that runs beside a test (a server, an import to be killed), unlike
// run_process(), which waits for its child.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace pressroom::testing {

class SpawnedProcess {
 public:
  // Starts `arguments` (argv[0] is the program) with stdout into `out` and stderr into `err`
  // (both files, truncated). started() tells whether it could be started.
  SpawnedProcess(const std::vector<std::string>& arguments, const std::filesystem::path& out,
                 const std::filesystem::path& err);
  SpawnedProcess(const SpawnedProcess&) = delete;
  SpawnedProcess& operator=(const SpawnedProcess&) = delete;
  // Kills (SIGKILL) and reaps the process if it still runs.
  ~SpawnedProcess();

  bool started() const { return m_pid > 0; }
  pid_t pid() const { return m_pid; }
  void send(int signal) const;

  // The exit code (128 + N when killed by signal N) once the process has ended, waiting up to
  // `timeout` for it; nullopt while it runs.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  // The first whole number in `file` once the process has written one there (a port file);
  // 0 when the process exits first or none appears within `timeout`.
  int wait_for_number(const std::filesystem::path& file, std::chrono::milliseconds timeout);

 private:
  pid_t m_pid = -1;
  std::optional<int> m_exit_code;
};

}  // namespace pressroom::testing
