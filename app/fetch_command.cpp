#include <algorithm>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "cli.hpp"
#include "importer/fetcher.hpp"

namespace pressroom::app {
namespace {

using importer::FetchOutcome;
using importer::FetchResult;

constexpr int k_exit_interrupted = 130;  // as a shell reports a Ctrl-C
constexpr std::size_t k_max_name_bytes = 120;

importer::Fetcher* g_running_fetcher = nullptr;

extern "C" void on_interrupt(int /*signal*/) {
  if (g_running_fetcher != nullptr) {
    g_running_fetcher->cancel();  // an atomic store: safe in a signal handler
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

// The last path segment of a URL as a file name that is safe on Linux, Windows and macOS:
// letters (UTF-8 ones too), digits, '.', '-' and '_'; anything else, path separators and
// control characters among them, becomes '_'. "" when nothing usable is left.
std::string file_name_from_url(const std::string& url) {
  const std::string segment = percent_decoded(importer::last_path_segment(url));
  std::string name;
  for (const char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = std::isalnum(byte) != 0 || c == '.' || c == '-' || c == '_' || byte >= 0x80;
    name += keep ? c : '_';
  }
  name.erase(0, name.find_first_not_of('.'));  // no hidden files, no ".."
  while (!name.empty() && name.back() == '.') {
    name.pop_back();  // Windows drops trailing dots
  }
  if (name.size() > k_max_name_bytes) {
    const auto dot = name.rfind('.');
    const std::string extension =
        dot != std::string::npos && name.size() - dot <= 6 ? name.substr(dot) : "";
    std::size_t keep = k_max_name_bytes - extension.size();
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0U) == 0x80) {
      --keep;  // do not cut a UTF-8 sequence
    }
    name = name.substr(0, keep) + extension;
  }
  return name;
}

std::string folded(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return text;
}

// One file name per URL, unique within the batch even on a case-insensitive file system:
// "a.jpg", "a-2.jpg", …; "photo-N" for a URL without a usable name.
std::vector<std::filesystem::path> destinations(const std::vector<std::string>& urls,
                                                const std::filesystem::path& out) {
  std::vector<std::filesystem::path> paths;
  std::set<std::string> taken;
  for (std::size_t index = 0; index < urls.size(); ++index) {
    std::string name = file_name_from_url(urls[index]);
    if (name.empty()) {
      name = "photo-" + std::to_string(index + 1);
    }
    const auto dot = name.rfind('.');
    const std::string stem = dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
    const std::string extension = stem.size() == name.size() ? "" : name.substr(dot);
    std::string candidate = name;
    for (int suffix = 2; taken.contains(folded(candidate)); ++suffix) {
      candidate = stem;
      candidate.append("-").append(std::to_string(suffix)).append(extension);
    }
    taken.insert(folded(candidate));
    paths.push_back(out / candidate);
  }
  return paths;
}

std::string megabytes(std::uint64_t bytes) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / 1e6 << " MB";
  return text.str();
}

nlohmann::ordered_json optional_text(const std::string& value) {
  return value.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value);
}

nlohmann::ordered_json result_json(const FetchResult& result, const std::filesystem::path& file) {
  const bool fetched = result.outcome == FetchOutcome::fetched;
  return {{"url", result.url},
          {"final_url", result.final_url},
          {"outcome", importer::to_string(result.outcome)},
          {"status", result.status},
          {"http_version", optional_text(result.http_version)},
          {"file", fetched ? nlohmann::ordered_json(file.string()) : nullptr},
          {"bytes", result.bytes},
          {"sha256", optional_text(result.sha256)},
          {"type", result.type ? nlohmann::ordered_json(to_string(*result.type)) : nullptr},
          {"etag", optional_text(result.etag)},
          {"last_modified", optional_text(result.last_modified)},
          {"attempts", result.attempts},
          {"seconds", std::round(result.seconds * 1000) / 1000},
          {"error_kind", result.outcome == FetchOutcome::failed
                             ? nlohmann::ordered_json(importer::to_string(result.failure))
                             : nullptr},
          {"error", optional_text(result.error)}};
}

// The live line on a terminal: rewritten in place, cleared before any other output.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : m_enabled(enabled) {}
  void show(const importer::FetchProgress& progress) {
    if (!m_enabled) {
      return;
    }
    const double rate =
        progress.seconds > 0 ? static_cast<double>(progress.bytes) / progress.seconds : 0;
    std::cout << "\r\033[K" << progress.done << '/' << progress.total << " done, "
              << megabytes(progress.bytes) << ", " << megabytes(static_cast<std::uint64_t>(rate))
              << "/s, " << progress.failed << " failed" << std::flush;
    m_shown = true;
  }
  void clear() {
    if (m_shown) {
      std::cout << "\r\033[K" << std::flush;
      m_shown = false;
    }
  }

 private:
  bool m_enabled;
  bool m_shown = false;
};

}  // namespace

void add_fetch_command(CLI::App& app, FetchCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "fetch",
      "Fetch photos over HTTP(S) into a folder: in parallel, with retries, resuming short "
      "bodies, refusing what is not an image, and refusing private addresses unless allowed");
  command->add_option("URL", options.urls, "http or https URLs of photos")->required();
  command->add_option("--out", options.out, "Folder for the photos (created if missing)")
      ->required();
  command->add_option("--jobs", options.jobs, "Transfers at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  command->add_option("--connect-timeout", options.connect_timeout, "Seconds to open a connection")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--stall-timeout", options.stall_timeout,
                   "Seconds without a byte before a transfer counts as stalled")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--timeout", options.transfer_timeout, "Seconds for one whole attempt")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--max-size", options.max_bytes, "Largest photo, in bytes (200M, 1G, …)")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  command
      ->add_option("--retry-delay", options.retry_delay,
                   "Seconds before the first retry; doubled for each next one, with jitter")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  add_network_options(*command, options.network);
  command->add_option("--etag", options.etag,
                      "ETag of an earlier fetch (one URL only): 304 means unchanged");
  command->add_option("--last-modified", options.last_modified,
                      "Last-Modified of an earlier fetch (one URL only)");
}

int run_fetch(const GlobalOptions& global, const FetchCommandOptions& options) {
  if ((!options.etag.empty() || !options.last_modified.empty()) && options.urls.size() != 1) {
    print_error("--etag and --last-modified belong to one URL; " +
                std::to_string(options.urls.size()) + " were given");
    return k_exit_usage;
  }
  importer::FetcherOptions fetcher_options;
  fetcher_options.jobs = options.jobs;
  apply_network_options(options.network, fetcher_options);
  auto& limits = fetcher_options.limits;
  const auto milliseconds = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  };
  limits.connect_timeout = milliseconds(options.connect_timeout);
  limits.stall_timeout = milliseconds(options.stall_timeout);
  limits.transfer_timeout = milliseconds(options.transfer_timeout);
  limits.max_bytes = options.max_bytes;
  limits.first_retry_delay = milliseconds(options.retry_delay);
  auto fetcher = importer::Fetcher::create(std::move(fetcher_options));
  if (!fetcher) {
    print_error(fetcher.error());
    return k_exit_usage;
  }

  const std::filesystem::path out(options.out);
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error || !std::filesystem::is_directory(out)) {
    print_error(options.out + ": cannot make the folder (" +
                (error ? error.message() : "not a folder") + ")");
    return k_exit_bad_input;
  }
  const auto paths = destinations(options.urls, out);
  std::vector<importer::FetchRequest> requests;
  for (std::size_t index = 0; index < options.urls.size(); ++index) {
    requests.push_back({options.urls[index], paths[index], options.etag, options.last_modified});
  }

  ProgressLine progress(::isatty(STDOUT_FILENO) == 1 && !global.json);
  std::size_t failed = 0;
  bool interrupted = false;
  const auto on_result = [&](const FetchResult& result) {
    progress.clear();
    const auto& file = paths[result.index];
    if (result.outcome == FetchOutcome::failed) {
      ++failed;
      interrupted = interrupted || result.failure == importer::FetchFailure::cancelled;
      print_error(result.error);
    }
    if (global.json) {
      std::cout << result_json(result, file) << std::endl;  // flushed: scripts read as it flows
    } else if (result.outcome == FetchOutcome::fetched) {
      std::cout << "fetched    " << file.string() << "  " << result.bytes << " bytes  "
                << to_string(*result.type) << "  " << result.sha256.substr(0, 12) << "  "
                << result.url << std::endl;
    } else if (result.outcome == FetchOutcome::unchanged) {
      std::cout << "unchanged  " << result.url << std::endl;
    }
  };
  g_running_fetcher = &*fetcher;
  const auto previous = std::signal(SIGINT, on_interrupt);
  fetcher->fetch(requests, on_result,
                 [&progress](const importer::FetchProgress& state) { progress.show(state); });
  std::signal(SIGINT, previous);
  g_running_fetcher = nullptr;
  progress.clear();
  if (!global.json) {
    std::cout << requests.size() - failed << " of " << requests.size() << " fetched or unchanged, "
              << failed << " failed\n";
  }
  if (interrupted) {
    return k_exit_interrupted;
  }
  return failed > 0 ? k_exit_some_failed : k_exit_ok;
}

}  // namespace pressroom::app
