#include "core/file_io.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pressroom {
namespace {

std::string system_reason(int error_number) {
  return std::generic_category().message(error_number);
}

}  // namespace

FileDescriptor::~FileDescriptor() {
  close();
}

int FileDescriptor::close() {
  const int result = m_fd >= 0 ? ::close(m_fd) : 0;
  m_fd = -1;
  return result;
}

Result<void> write_all(int fd, std::span<const std::byte> bytes, const std::string& subject) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(Errc::io, subject, "cannot write: " + system_reason(errno));
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return {};
}

Result<std::vector<std::byte>> read_file(const std::filesystem::path& path,
                                         std::uint64_t max_bytes) {
  const std::string subject = path.string();
  // O_NONBLOCK keeps open() from waiting forever on a FIFO; fstat() then rejects it.
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (file.get() < 0) {
    const int error_number = errno;
    if (error_number == ENOENT) {
      return fail(Errc::not_found, subject, "no such file");
    }
    return fail(Errc::io, subject, "cannot open: " + system_reason(error_number));
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) {
    return fail(Errc::io, subject, "cannot stat: " + system_reason(errno));
  }
  if (S_ISDIR(info.st_mode)) {
    return fail(Errc::invalid_input, subject, "is a folder, not a file");
  }
  if (!S_ISREG(info.st_mode)) {
    return fail(Errc::invalid_input, subject, "not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) {
    return fail(Errc::too_large, subject,
                "file is " + std::to_string(size) + " bytes, over the limit of " +
                    std::to_string(max_bytes));
  }
  std::vector<std::byte> bytes(static_cast<std::size_t>(size));
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = ::read(file.get(), bytes.data() + filled, bytes.size() - filled);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(Errc::io, subject, "cannot read: " + system_reason(errno));
    }
    if (got == 0) {
      break;  // the file shrank while we read it; keep what is there
    }
    filled += static_cast<std::size_t>(got);
  }
  bytes.resize(filled);
  return bytes;
}

Result<void> write_file_atomically(const std::filesystem::path& path,
                                   std::span<const std::byte> bytes) {
  const std::string subject = path.string();
  const std::filesystem::path folder = path.parent_path();
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    return fail(Errc::io, folder.string(), "cannot create folder: " + error.message());
  }
  // Unique among threads and processes: the pid and a per-process counter.
  static std::atomic<unsigned long> counter{0};
  const std::filesystem::path temporary =
      folder / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter.fetch_add(1)));
  FileDescriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                             S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH));
  if (file.get() < 0) {
    return fail(Errc::io, temporary.string(), "cannot create: " + system_reason(errno));
  }
  auto written = write_all(file.get(), bytes, temporary.string());
  if (written && ::fsync(file.get()) != 0) {
    written = fail(Errc::io, temporary.string(), "cannot fsync: " + system_reason(errno));
  }
  if (written && file.close() != 0) {
    written = fail(Errc::io, temporary.string(), "cannot close: " + system_reason(errno));
  }
  if (written && ::rename(temporary.c_str(), path.c_str()) != 0) {
    written = fail(Errc::io, subject, "cannot rename into place: " + system_reason(errno));
  }
  if (!written) {
    ::unlink(temporary.c_str());
    return written;
  }
  // The rename is durable only once the folder's entry is on disk.
  const FileDescriptor directory(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0 || ::fsync(directory.get()) != 0) {
    return fail(Errc::io, folder.string(), "cannot fsync folder: " + system_reason(errno));
  }
  return {};
}

}  // namespace pressroom
