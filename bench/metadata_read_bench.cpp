// Embedded-metadata read rate: reads every file of a set as the importer does (read_file, then
// read_embedded_metadata on the bytes) and prints files per second. bench/README.md ("Metadata
// reading") has the figures; bench/run-metadata-read compares them with exiftool and exiv2.
//
//   pressroom_metadata_bench [OPTIONS] PATH...
//     PATH                a file, or a folder (every regular file below it, recursively)
//     --list FILE         also every path in FILE, one a line (empty lines are skipped)
//     --threads N         readers working through the files together (1; 0: all cores)
//     --warmup-passes N   untimed passes that only read the files, to fill the page cache (1)
//     --passes N          timed passes, each printed on its own line (1)
//     --read-only         time read_file alone, without read_embedded_metadata
//     --per-file FILE     afterwards, time each file alone (one thread, best of 5) and write
//                         "microseconds<TAB>bytes<TAB>path" lines to FILE
//
// A timed pass covers reading the bytes and reading the metadata, not starting the process:
// one line "files=… ok=… failed=… seconds=… files_per_s=… mb_per_s=…" per pass. The exit code
// is 0 even when some files fail to parse (they are counted); 2 for bad arguments or
// unreadable files.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Larger than any photo a press office sends; read_file refuses more.
constexpr std::uint64_t k_max_file_bytes = std::uint64_t{2} << 30U;
constexpr int k_per_file_repeats = 5;

struct Options {
  std::vector<std::string> paths;  // files and folders, in the order given
  std::vector<std::string> lists;  // files listing paths, one a line
  unsigned threads = 1;            // 0: std::thread::hardware_concurrency()
  int warmup_passes = 1;
  int passes = 1;
  bool read_only = false;               // time the file reading alone
  std::optional<std::string> per_file;  // where to write the per-file times
};

struct PassResult {
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::string first_error;  // of the first failed file, to show what went wrong
  bool io_failed = false;   // some file could not be read at all
};

std::optional<int> parse_count(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--list" && has_value) {
      options.lists.emplace_back(args[++i]);
    } else if (arg == "--read-only") {
      options.read_only = true;
    } else if (arg == "--per-file" && has_value) {
      options.per_file = std::string(args[++i]);
    } else if ((arg == "--threads" || arg == "--warmup-passes" || arg == "--passes") && has_value) {
      const std::optional<int> count = parse_count(args[++i]);
      if (!count || (arg == "--passes" && *count == 0)) {
        std::cerr << "pressroom_metadata_bench: bad count for " << arg << ": " << args[i] << '\n';
        return std::nullopt;
      }
      if (arg == "--threads") {
        options.threads = static_cast<unsigned>(*count);
      } else if (arg == "--warmup-passes") {
        options.warmup_passes = *count;
      } else {
        options.passes = *count;
      }
    } else if (arg.starts_with("--")) {
      std::cerr << "pressroom_metadata_bench: unknown option or missing value: " << arg << '\n';
      return std::nullopt;
    } else {
      options.paths.emplace_back(arg);
    }
  }
  if (options.threads == 0) {
    options.threads = std::max(1U, std::thread::hardware_concurrency());
  }
  return options;
}

// The files to read, in a fixed order: folders sorted, lists and arguments as given.
std::optional<std::vector<fs::path>> collect_files(const Options& options) {
  std::vector<fs::path> files;
  for (const std::string& list : options.lists) {
    std::ifstream in(list);
    if (!in) {
      std::cerr << "pressroom_metadata_bench: cannot open the list " << list << '\n';
      return std::nullopt;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) {
        files.emplace_back(line);
      }
    }
  }
  for (const std::string& path : options.paths) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      files.emplace_back(path);
      continue;
    }
    std::vector<fs::path> found;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path, error)) {
      if (entry.is_regular_file()) {
        found.push_back(entry.path());
      }
    }
    if (error) {
      std::cerr << "pressroom_metadata_bench: cannot list " << path << ": " << error.message()
                << '\n';
      return std::nullopt;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

// One pass over all files by `threads` readers, each taking the next unread file. With
// `parse` false the files are only read (the warm-up).
PassResult run_pass(const std::vector<fs::path>& files, unsigned threads, bool parse) {
  std::atomic<std::size_t> next{0};
  std::vector<PassResult> partial(threads);
  const auto work = [&](PassResult& result) {
    for (std::size_t index = next++; index < files.size(); index = next++) {
      const fs::path& file = files[index];
      auto bytes = pressroom::read_file(file, k_max_file_bytes);
      if (!bytes) {
        result.io_failed = true;
        if (result.first_error.empty()) {
          result.first_error = file.string() + ": " + bytes.error().message;
        }
        continue;
      }
      result.bytes += bytes->size();
      if (!parse) {
        continue;
      }
      const auto metadata = pressroom::read_embedded_metadata(*bytes, file.string());
      if (metadata) {
        ++result.ok;
      } else {
        ++result.failed;
        if (result.first_error.empty()) {
          result.first_error = file.string() + ": " + metadata.error().message;
        }
      }
    }
  };
  const Clock::time_point start = Clock::now();
  if (threads == 1) {
    work(partial.front());
  } else {
    std::vector<std::jthread> workers;
    workers.reserve(threads);
    for (PassResult& result : partial) {
      workers.emplace_back([&work, &result] { work(result); });
    }
  }  // the jthreads join here
  PassResult total;
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const PassResult& result : partial) {
    total.ok += result.ok;
    total.failed += result.failed;
    total.bytes += result.bytes;
    total.io_failed = total.io_failed || result.io_failed;
    if (total.first_error.empty()) {
      total.first_error = result.first_error;
    }
  }
  return total;
}

// Each file alone, best of k_per_file_repeats, read and parsed: what a file costs by itself.
bool write_per_file_times(const std::vector<fs::path>& files, const std::string& out_path) {
  std::ofstream out(out_path);
  if (!out) {
    std::cerr << "pressroom_metadata_bench: cannot write " << out_path << '\n';
    return false;
  }
  for (const fs::path& file : files) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t size = 0;
    for (int repeat = 0; repeat < k_per_file_repeats; ++repeat) {
      const Clock::time_point start = Clock::now();
      auto bytes = pressroom::read_file(file, k_max_file_bytes);
      if (!bytes) {
        break;
      }
      size = bytes->size();
      const auto metadata = pressroom::read_embedded_metadata(*bytes, file.string());
      static_cast<void>(metadata);
      best =
          std::min(best, std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    out << best << '\t' << size << '\t' << file.string() << '\n';
  }
  return static_cast<bool>(out);
}

int run(int argc, char** argv) {
  const std::optional<Options> options = parse_options(argc, argv);
  if (!options) {
    return 2;
  }
  const std::optional<std::vector<fs::path>> files = collect_files(*options);
  if (!files) {
    return 2;
  }
  if (files->empty()) {
    std::cerr << "usage: pressroom_metadata_bench [--threads N] [--warmup-passes N] [--passes N] "
                 "[--read-only] [--per-file OUT] [--list FILE] PATH...\n";
    return 2;
  }
  pressroom::initialize_metadata();
  for (int pass = 0; pass < options->warmup_passes; ++pass) {
    const PassResult warmup = run_pass(*files, options->threads, false);
    if (warmup.io_failed) {
      std::cerr << "pressroom_metadata_bench: " << warmup.first_error << '\n';
      return 2;
    }
  }
  for (int pass = 0; pass < options->passes; ++pass) {
    const PassResult result = run_pass(*files, options->threads, !options->read_only);
    if (result.io_failed) {
      std::cerr << "pressroom_metadata_bench: " << result.first_error << '\n';
      return 2;
    }
    std::printf(
        "%sthreads=%u files=%zu ok=%zu failed=%zu seconds=%.4f files_per_s=%.1f "
        "mb_per_s=%.1f\n",
        options->read_only ? "read-only " : "", options->threads, files->size(), result.ok,
        result.failed, result.seconds, static_cast<double>(files->size()) / result.seconds,
        static_cast<double>(result.bytes) / 1e6 / result.seconds);
    std::fflush(stdout);  // before std::cerr, which is not tied to stdout
    if (pass == 0 && result.failed > 0) {
      std::cerr << "first failure: " << result.first_error << '\n';
    }
  }
  if (options->per_file && !write_per_file_times(*files, *options->per_file)) {
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {  // last resort: a bug, or std::bad_alloc
    std::cerr << "pressroom_metadata_bench: " << error.what() << '\n';
    return 2;
  }
}
