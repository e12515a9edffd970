#include "importer/library_check.hpp"

#include <cerrno>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pressroom::importer {
namespace {

// strerror() is not thread-safe; the error_code's message is.
std::string reason(int error) {
  return std::error_code(error, std::generic_category()).message();
}

std::filesystem::path lock_file(const Library& library) {
  return library.layout().root() / "import.lock";
}

Result<int> open_lock(const Library& library) {
  const auto path = lock_file(library);
  const int descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor < 0) {
    return fail(Errc::io, path.string(), "cannot open the import lock: " + reason(errno));
  }
  return descriptor;
}

// The sha256 a library file is named by ("ab/abcdef….jpg" → "abcdef…"), or "" for a name that
// is not a library file's.
std::string hash_of(const std::filesystem::path& file) {
  std::string stem = file.stem().string();
  if (stem.size() != 64 || stem.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return "";
  }
  return stem;
}

bool is_temporary(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  return !name.empty() && name.front() == '.' && name.find(".tmp-") != std::string::npos;
}

}  // namespace

Result<ImportLock> ImportLock::shared(const Library& library) {
  auto descriptor = open_lock(library);
  if (!descriptor) {
    return fail(descriptor.error());
  }
  if (::flock(*descriptor, LOCK_SH) != 0) {
    const std::string why = reason(errno);
    ::close(*descriptor);
    return fail(Errc::io, lock_file(library).string(), "cannot take the import lock: " + why);
  }
  return ImportLock(*descriptor);
}

ImportLock::ImportLock(ImportLock&& other) noexcept
    : m_descriptor(std::exchange(other.m_descriptor, -1)) {}

ImportLock& ImportLock::operator=(ImportLock&& other) noexcept {
  if (this != &other) {
    if (m_descriptor >= 0) {
      ::close(m_descriptor);
    }
    m_descriptor = std::exchange(other.m_descriptor, -1);
  }
  return *this;
}

ImportLock::~ImportLock() {
  if (m_descriptor >= 0) {
    ::close(m_descriptor);  // releases the lock
  }
}

Result<FilesReport> check_library_files(Library& library, bool repair) {
  FilesReport report;
  auto photos = library.catalog().photos();
  if (!photos) {
    return fail(photos.error());
  }
  const LibraryLayout& layout = library.layout();
  std::set<std::filesystem::path> needed;
  for (const Photo& photo : *photos) {
    needed.insert(layout.original(photo.sha256, photo.type));
    for (const int size : LibraryLayout::k_rendition_sizes) {
      needed.insert(layout.rendition(size, photo.sha256));
    }
  }
  for (const auto& file : needed) {
    if (!std::filesystem::exists(file)) {
      report.missing.push_back(file.string());
    }
  }

  auto descriptor = open_lock(library);
  if (!descriptor) {
    return fail(descriptor.error());
  }
  const bool exclusive = ::flock(*descriptor, LOCK_EX | LOCK_NB) == 0;
  report.import_running = !exclusive;
  if (exclusive) {
    std::error_code error;
    for (const char* folder : {"incoming", "originals", "renditions"}) {
      const auto root = layout.root() / folder;
      if (!std::filesystem::exists(root)) {
        continue;
      }
      for (std::filesystem::recursive_directory_iterator walk(root, error), end;
           !error && walk != end; walk.increment(error)) {
        if (!walk->is_regular_file(error)) {
          continue;
        }
        const auto& file = walk->path();
        const bool leftover = std::string_view(folder) == "incoming" || is_temporary(file) ||
                              (!hash_of(file).empty() && !needed.contains(file));
        if (leftover) {
          report.leftovers.push_back(file.string());
        }
      }
      if (error) {
        ::close(*descriptor);
        return fail(Errc::io, root.string(), "cannot read the folder: " + error.message());
      }
    }
    if (repair) {
      for (const auto& file : report.leftovers) {
        if (std::filesystem::remove(file, error)) {
          report.removed.push_back(file);
        }
      }
    }
  }
  ::close(*descriptor);
  return report;
}

}  // namespace pressroom::importer
