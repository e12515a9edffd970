#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace pressroom {

// Reads the whole regular file at `path`.
// Errors: not_found (no such file, or a dangling link), invalid_input (not a regular file: a
// folder, a FIFO, a device), too_large (more than `max_bytes`), io (any other refusal, with the
// system's reason).
Result<std::vector<std::byte>> read_file(const std::filesystem::path& path,
                                         std::uint64_t max_bytes);

// Writes `bytes` to `path` so that a reader never sees half a file under the final name: the
// bytes go to a temporary file in the same folder, which is fsynced and renamed over `path`,
// and the folder is fsynced. Missing parent folders are created. An existing file at `path` is
// replaced. Errors: io, with the system's reason. Thread-safe for distinct paths.
Result<void> write_file_atomically(const std::filesystem::path& path,
                                   std::span<const std::byte> bytes);

// Owns a POSIX file descriptor and closes it on every path out of a scope. Move-only.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    std::swap(m_fd, other.m_fd);
    return *this;
  }
  ~FileDescriptor();

  int get() const { return m_fd; }
  bool is_open() const { return m_fd >= 0; }
  // Closes now and returns close()'s result (0, or -1 with errno): close() is where some file
  // systems report write errors. Closing a closed descriptor returns 0.
  int close();

 private:
  int m_fd = -1;
};

// Writes all of `bytes` to `fd`, again after EINTR and short writes.
// Errors: io, on `subject`, with the system's reason.
Result<void> write_all(int fd, std::span<const std::byte> bytes, const std::string& subject);

}  // namespace pressroom
