#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/library_layout.hpp"
#include "core/photo.hpp"
#include "importer/library.hpp"

namespace pressroom::app {

// Exit codes, documented in --help and the README. Scripts branch on them: keep them stable.
constexpr int k_exit_ok = 0;
constexpr int k_exit_some_failed = 1;  // some inputs failed; the others were done
constexpr int k_exit_usage = 2;        // wrong arguments
constexpr int k_exit_library = 3;      // the library is missing or unusable
constexpr int k_exit_not_found = 4;    // the photo asked for is not in the catalog
constexpr int k_exit_bad_input = 5;    // the input file is missing, unreadable or not usable text

// Options every command takes.
struct GlobalOptions {
  std::string library;  // --library DIR, or PRESSROOM_LIBRARY
  bool json = false;    // --json: machine-readable output on stdout
};

// Prints "pressroom: <error>" on stderr.
void print_error(const Error& error);
void print_error(const std::string& message);

// The library the options name, opened. Prints the reason and returns nullopt when there is
// none; `exit_code` is then the code to return.
std::optional<importer::Library> open_library(const GlobalOptions& options, int& exit_code);

// The stable JSON form of a photo (field names in the README), with absolute paths of its
// files in `layout`.
nlohmann::ordered_json photo_json(const Photo& photo, const LibraryLayout& layout);

// The subcommands: add_*() declares one on `app`; run_*() runs it and returns the exit code.
struct InitOptions {
  std::string library;
};
void add_init_command(CLI::App& app, InitOptions& options);
int run_init(const GlobalOptions& global, const InitOptions& options);

struct ImportCommandOptions {
  std::vector<std::string> paths;
};
void add_import_command(CLI::App& app, ImportCommandOptions& options);
int run_import(const GlobalOptions& global, const ImportCommandOptions& options);

void add_list_command(CLI::App& app);
int run_list(const GlobalOptions& global);

struct ShowOptions {
  std::string photo;
};
void add_show_command(CLI::App& app, ShowOptions& options);
int run_show(const GlobalOptions& global, const ShowOptions& options);

// `pressroom release parse FILE`: prints what a press release or news page says.
struct ReleaseOptions {
  std::string file;
};
void add_release_command(CLI::App& app, ReleaseOptions& options);
int run_release_parse(const GlobalOptions& global, const ReleaseOptions& options);

// `pressroom fetch URL... --out DIR`: the fetcher on its own (defaults as in FetcherOptions).
struct FetchCommandOptions {
  std::vector<std::string> urls;
  std::string out;
  int jobs = 8;
  int per_host = 4;
  double connect_timeout = 10;
  double stall_timeout = 30;
  double transfer_timeout = 300;
  std::uint64_t max_bytes = 200ULL << 20U;
  int retries = 3;
  double retry_delay = 0.5;
  std::vector<std::string> allow_hosts;
  bool allow_private = false;
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  std::string ca_file;
  std::string etag;
  std::string last_modified;
};
void add_fetch_command(CLI::App& app, FetchCommandOptions& options);
int run_fetch(const GlobalOptions& global, const FetchCommandOptions& options);

}  // namespace pressroom::app
