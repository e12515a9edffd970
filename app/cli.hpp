#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "core/library_layout.hpp"
#include "core/photo.hpp"
#include "importer/fetcher.hpp"
#include "importer/library.hpp"

namespace pressroom::app {

// Exit codes, documented in --help and the README. Scripts branch on them: keep them stable.
constexpr int k_exit_ok = 0;
constexpr int k_exit_some_failed = 1;  // some inputs failed; the others were done
constexpr int k_exit_usage = 2;        // wrong arguments
constexpr int k_exit_library = 3;      // the library is missing or unusable
constexpr int k_exit_not_found = 4;    // the photo asked for is not in the catalog
constexpr int k_exit_bad_input = 5;    // an input file unusable, or the output file unwritable

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

// Who the audit log names for this run: $PRESSROOM_USER, else the login name.
std::string current_user();

// The exit code for a failed catalog call: invalid_input → usage, not_found → not_found,
// anything else → library.
int exit_code_for(const Error& error);

// The catalog's view of a photo (caption, credit, licence, tags, people, releases) in JSON.
nlohmann::ordered_json details_json(const catalog::PhotoDetails& details, std::string_view today);

// The stable JSON form of a photo (field names in the README), with absolute paths of its
// files in `layout`.
nlohmann::ordered_json photo_json(const Photo& photo, const LibraryLayout& layout);

// Adds `--jobs N` to `command`: worker threads for the renditions, `jobs` set to the default
// (one per core) first.
void add_jobs_option(CLI::App& command, int& jobs);
// Whether `jobs` is at least 1; prints the reason when not (the caller returns k_exit_usage).
bool jobs_are_valid(int jobs);

// How a command reaches photo servers: what fetch and import share of the fetcher's options.
struct NetworkOptions {
  int per_host = 4;
  int retries = 3;
  std::vector<std::string> allow_hosts;
  bool allow_private = false;
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  std::string ca_file;
};
// Adds --per-host, --retries, --allow-host, --allow-private, --connect-to, --resolve and
// --cacert to `command`.
void add_network_options(CLI::App& command, NetworkOptions& options);
// Sets them on `fetcher` (FetchLimits::max_attempts is retries + 1).
void apply_network_options(const NetworkOptions& options, importer::FetcherOptions& fetcher);

// The subcommands: add_*() declares one on `app`; run_*() runs it and returns the exit code.
struct InitOptions {
  std::string library;
};
void add_init_command(CLI::App& app, InitOptions& options);
int run_init(const GlobalOptions& global, const InitOptions& options);

struct ImportCommandOptions {
  std::vector<std::string> paths;
  int jobs = 1;  // --jobs; add_import_command() sets the default, one per core
  std::string as = "detect";
  bool dry_run = false;
  bool retry_failed = false;
  int fetch_jobs = 8;
  NetworkOptions network;
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

// `pressroom export PHOTO... --out DIR [--size PX]`, `pressroom export --release ID --zip FILE`:
// credited copies for journalists (export_command.cpp).
struct ExportOptions {
  std::vector<std::string> photos;
  std::string out;
  int size = 0;  // long edge in pixels; 0: the original, not re-encoded
  std::int64_t release = 0;
  std::string zip;
  bool force = false;
};
void add_export_command(CLI::App& app, ExportOptions& options);
int run_export(const GlobalOptions& global, const ExportOptions& options);

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
  double connect_timeout = 10;
  double stall_timeout = 30;
  double transfer_timeout = 300;
  std::uint64_t max_bytes = 200ULL << 20U;
  double retry_delay = 0.5;
  NetworkOptions network;
  std::string etag;
  std::string last_modified;
};
void add_fetch_command(CLI::App& app, FetchCommandOptions& options);
int run_fetch(const GlobalOptions& global, const FetchCommandOptions& options);

// `pressroom search [QUERY...] [filters]`.
struct SearchCommandOptions {
  std::vector<std::string> words;
  std::string photographer;
  std::string rights_holder;
  std::string person;
  std::string tag;
  std::int64_t release = 0;
  std::string date_from;
  std::string date_to;
  std::string orientation;
  int min_width = 0;
  int min_height = 0;
  std::string licence;
  std::string sort = "relevance";
  std::string today;
  int page = 1;
  int per_page = 50;
  std::string save;
};
void add_search_command(CLI::App& app, SearchCommandOptions& options);
int run_search(const GlobalOptions& global, const SearchCommandOptions& options);

// The editing commands: tag, person, credit, licence, caption. Each changes the catalog in one
// transaction and writes the audit log.
struct EditCommandOptions {
  std::string action;               // "tag add", "person remove", "credit set", …
  std::vector<std::string> args;    // photos, then (for tag, person, caption) the value
  std::optional<int> position;      // person add --position
  std::string photographer;         // credit set
  std::string rights_holder;        // credit set
  std::string usage_terms;          // licence set
  bool editorial_only = false;      // licence set
  bool no_credit_required = false;  // licence set
  std::string valid_from;           // licence set --from
  std::string valid_until;          // licence set --until
};
void add_edit_commands(CLI::App& app, EditCommandOptions& options);
int run_edit(const GlobalOptions& global, const EditCommandOptions& options);

// `pressroom history PHOTO`: the audit log of one photo.
struct HistoryOptions {
  std::string photo;
};
void add_history_command(CLI::App& app, HistoryOptions& options);
int run_history(const GlobalOptions& global, const HistoryOptions& options);

// `pressroom duplicates [--max-distance N]`: groups of near-identical photos
// (duplicates_command.cpp). The default is measured in bench/README.md, "Near-duplicates".
constexpr int k_default_max_distance = 10;
struct DuplicatesOptions {
  int max_distance = k_default_max_distance;  // bits of the 64-bit perceptual hash
};
void add_duplicates_command(CLI::App& app, DuplicatesOptions& options);
int run_duplicates(const GlobalOptions& global, const DuplicatesOptions& options);

// `pressroom entry set-url ENTRY URL`: repairs the URL of a release's entry.
struct EntryOptions {
  std::int64_t entry = 0;
  std::string url;
};
void add_entry_command(CLI::App& app, EntryOptions& options);
int run_entry_set_url(const GlobalOptions& global, const EntryOptions& options);

// `pressroom backup DEST` and `pressroom check [--repair]`.
struct MaintenanceOptions {
  std::string destination;
  bool repair = false;
};
void add_maintenance_commands(CLI::App& app, MaintenanceOptions& options);
int run_backup(const GlobalOptions& global, const MaintenanceOptions& options);
int run_check(const GlobalOptions& global, const MaintenanceOptions& options);

// `pressroom thumbs rebuild [--size PX] [--jobs N]`: renditions made again (thumbs_command.cpp).
struct ThumbsOptions {
  int size = 0;  // long edge of the renditions to make; 0: every size
  int jobs = 1;  // --jobs; add_thumbs_command() sets the default, one per core
};
void add_thumbs_command(CLI::App& app, ThumbsOptions& options);
int run_thumbs_rebuild(const GlobalOptions& global, const ThumbsOptions& options);

}  // namespace pressroom::app
