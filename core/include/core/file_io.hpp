#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
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

}  // namespace pressroom
