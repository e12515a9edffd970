#include <cmath>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>

#include <unistd.h>

#include "cli.hpp"
#include "importer/import.hpp"

namespace pressroom::app {
namespace {

constexpr int k_exit_interrupted = 130;  // as a shell reports a Ctrl-C

extern "C" void on_import_interrupt(int /*signal*/) {
  importer::cancel_import();     // an atomic store: safe in a signal handler
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

std::string megabytes(double bytes) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << bytes / 1e6 << " MB";
  return text.str();
}

std::string duration(double seconds) {
  const long whole = std::lround(seconds);
  std::ostringstream text;
  if (whole >= 3600) {
    text << whole / 3600 << 'h' << std::setw(2) << std::setfill('0') << whole % 3600 / 60 << 'm';
  } else if (whole >= 60) {
    text << whole / 60 << 'm' << std::setw(2) << std::setfill('0') << whole % 60 << 's';
  } else {
    text << whole << 's';
  }
  return text.str();
}

nlohmann::ordered_json optional_id(const std::optional<std::int64_t>& id) {
  return id ? nlohmann::ordered_json(*id) : nlohmann::ordered_json(nullptr);
}

// Prints each outcome as it comes: a line per photo on stdout (or a JSON object), and a line
// per failure and per warning on stderr, so that a script can read both streams as they flow.
// On a terminal (and without --json) a progress bar stands below the lines.
class PrintingObserver final : public importer::ImportObserver {
 public:
  PrintingObserver(const LibraryLayout& layout, bool json)
      : m_layout(layout), m_json(json), m_bar(!json && ::isatty(STDOUT_FILENO) == 1) {}

  void release_read(const std::filesystem::path& input, std::int64_t release_id,
                    const std::string& title, std::size_t entries, bool /*known*/) override {
    const std::lock_guard lock(m_mutex);
    clear_bar();
    if (m_json) {
      std::cout << nlohmann::ordered_json{{"release",
                                           {{"input", input.string()},
                                            {"id", release_id == 0
                                                       ? nlohmann::ordered_json()
                                                       : nlohmann::ordered_json(release_id)},
                                            {"title", title},
                                            {"entries", entries}}}}
                << std::endl;
      return;
    }
    std::cout << "release";
    if (release_id != 0) {
      std::cout << " #" << release_id;
    }
    std::cout << "  " << (title.empty() ? "(no title)" : title) << "  ";
    if (entries > 0) {
      std::cout << '(' << entries << " photos)  ";
    }
    std::cout << input.string() << std::endl;
  }

  void entry_finished(const importer::ImportOutcome& outcome) override {
    const std::lock_guard lock(m_mutex);
    clear_bar();
    for (const std::string& warning : outcome.warnings) {
      print_error("warning: " + warning);
    }
    if (outcome.error) {
      print_error(*outcome.error);
      if (outcome.state == importer::OutcomeState::failed) {
        m_failures.push_back(outcome);
      }
    }
    if (m_json) {
      std::cout << outcome_json(outcome) << std::endl;  // flushed: a reading script sees progress
      return;
    }
    if (outcome.state == importer::OutcomeState::planned) {
      std::cout << "planned  ";
      if (outcome.position > 0) {
        std::cout << '#' << outcome.position << "  " << (outcome.conditional ? "conditional  " : "")
                  << outcome.url;
      } else {
        std::cout << outcome.input.string();
      }
      std::cout << std::endl;
      return;
    }
    if (outcome.photo) {
      const Photo& photo = *outcome.photo;
      std::cout << importer::to_string(outcome.state) << "  #" << photo.id << "  "
                << photo.sha256.substr(0, 12) << "  " << photo.display_width() << 'x'
                << photo.display_height() << "  "
                << (outcome.url.empty() ? outcome.input.string() : outcome.url) << std::endl;
    }
  }

  void progress(const Progress& progress) override {
    if (!m_bar) {
      return;
    }
    const std::lock_guard lock(m_mutex);
    const double rate =
        progress.seconds > 0 ? static_cast<double>(progress.done) / progress.seconds : 0;
    std::cout << "\r\033[K" << progress.done << '/' << progress.total << " entries, "
              << megabytes(static_cast<double>(progress.bytes)) << ", "
              << megabytes(progress.seconds > 0
                               ? static_cast<double>(progress.bytes) / progress.seconds
                               : 0)
              << "/s, ";
    if (rate > 0 && progress.total > progress.done) {
      std::cout << "ETA " << duration(static_cast<double>(progress.total - progress.done) / rate)
                << ", ";
    }
    std::cout << progress.failed << " failed" << std::flush;
    m_shown = true;
  }

  void finish() {
    const std::lock_guard lock(m_mutex);
    clear_bar();
  }

  const std::vector<importer::ImportOutcome>& failures() const { return m_failures; }

 private:
  nlohmann::ordered_json outcome_json(const importer::ImportOutcome& outcome) const {
    nlohmann::ordered_json line{{"input", outcome.input.string()},
                                {"state", importer::to_string(outcome.state)}};
    if (!outcome.url.empty() || outcome.position > 0) {
      line["release"] = optional_id(outcome.release_id);
      line["entry"] = optional_id(outcome.entry_id);
      line["position"] = outcome.position;
      line["url"] = outcome.url;
      line["conditional"] = outcome.conditional;
      line["caption"] = outcome.caption;
      line["credit"] = outcome.credit;
    }
    line["warnings"] = outcome.warnings;
    if (outcome.photo) {
      line["photo"] = photo_json(*outcome.photo, m_layout);
    }
    if (outcome.error) {
      line["error"] = {
          {"code", to_string(outcome.error->code)},
          {"kind", outcome.fetch_failure ? nlohmann::ordered_json(to_string(*outcome.fetch_failure))
                                         : nlohmann::ordered_json()},
          {"message", to_string(*outcome.error)}};
    }
    return line;
  }

  void clear_bar() {
    if (m_shown) {
      std::cout << "\r\033[K" << std::flush;
      m_shown = false;
    }
  }

  const LibraryLayout& m_layout;
  bool m_json;
  bool m_bar;
  bool m_shown = false;
  std::mutex m_mutex;  // the fetching thread reports progress too
  std::vector<importer::ImportOutcome> m_failures;
};

void print_summary(const importer::ImportSummary& summary,
                   const std::vector<importer::ImportOutcome>& failures) {
  std::cout << '\n';
  const auto row = [](const char* label, auto value) {
    std::cout << "  " << std::left << std::setw(12) << label << std::right << std::setw(8) << value
              << '\n';
  };
  if (summary.planned > 0) {
    row("planned", summary.planned);
  }
  row("imported", summary.imported);
  row("unchanged", summary.unchanged);
  row("failed", summary.failed);
  if (summary.interrupted > 0) {
    row("interrupted", summary.interrupted);
  }
  if (summary.skipped > 0) {
    row("skipped", summary.skipped);  // files in folders that are not images
  }
  row("fetched", megabytes(static_cast<double>(summary.bytes_fetched)));
  row("time", duration(summary.seconds));
  if (!failures.empty()) {
    std::cout << "\nFailed:\n";
    for (const auto& failure : failures) {
      std::cout << "  ";
      if (failure.entry_id) {
        std::cout << "entry " << *failure.entry_id << " (release " << *failure.release_id
                  << ", photo " << failure.position << "): ";
      }
      std::cout << to_string(*failure.error) << '\n';
    }
  }
  // The line scripts and the README quote.
  std::cout << '\n'
            << summary.imported << " imported, " << summary.unchanged << " unchanged, "
            << summary.failed << " failed";
  if (summary.skipped > 0) {
    std::cout << " (" << summary.skipped << " files in folders were not images, skipped)";
  }
  std::cout << '\n';
}

}  // namespace

void add_import_command(CLI::App& app, ImportCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "import",
      "Import photos: image files, folders (recursively), and press releases or news pages "
      "(text files), whose photo lists are fetched over HTTP(S)");
  command->add_option("INPUT", options.paths,
                      "Image files, folders, press releases and manifests (CSV, JSON lines, "
                      "URL lists)");
  add_jobs_option(*command, options.jobs);
  command
      ->add_option("--as", options.as,
                   "What every input is: detect (folders and images by extension or content, "
                   "manifests by their first lines, other files are releases), files, release, "
                   "urls, csv, jsonl")
      ->capture_default_str()
      ->check(CLI::IsMember({"detect", "files", "release", "urls", "csv", "jsonl"}));
  command->add_flag("--retry-failed", options.retry_failed,
                    "Also try again every entry of the catalog whose URL has given no photo "
                    "(after `entry set-url` has repaired a wrong one)");
  command->add_flag("--dry-run", options.dry_run,
                    "Read the inputs and print what would be done; fetch and write nothing");
  command->add_option("--fetch-jobs", options.fetch_jobs, "Transfers at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  // A host that --connect-to or --resolve names may be at the address given there.
  add_network_options(*command, options.network);
}

int run_import(const GlobalOptions& global, const ImportCommandOptions& options) {
  if (!jobs_are_valid(options.jobs)) {
    return k_exit_usage;
  }
  importer::ImportOptions import_options;
  import_options.who = current_user();
  import_options.jobs = options.jobs;
  import_options.dry_run = options.dry_run;
  if (options.paths.empty() && !options.retry_failed) {
    print_error("import: give INPUT (files, folders, releases, manifests) or --retry-failed");
    return k_exit_usage;
  }
  import_options.retry_failed = options.retry_failed;
  static const std::map<std::string, importer::InputKind> k_kinds{
      {"detect", importer::InputKind::detect},   {"files", importer::InputKind::files},
      {"release", importer::InputKind::release}, {"urls", importer::InputKind::urls},
      {"csv", importer::InputKind::csv},         {"jsonl", importer::InputKind::jsonl}};
  import_options.as = k_kinds.at(options.as);
  importer::FetcherOptions& fetcher = import_options.fetcher;
  fetcher.jobs = options.fetch_jobs;
  apply_network_options(options.network, fetcher);
  // The user who says where a host is (--connect-to, --resolve) allows it to be there.
  for (const auto* entries : {&options.network.connect_to, &options.network.resolve}) {
    for (const std::string& entry : *entries) {
      fetcher.policy.allowed_hosts.push_back(entry.substr(0, entry.find(':')));
    }
  }

  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  const std::vector<std::filesystem::path> inputs(options.paths.begin(), options.paths.end());
  PrintingObserver observer(library->layout(), global.json);
  importer::reset_import_cancel();
  const auto previous = std::signal(SIGINT, on_import_interrupt);
  const importer::ImportSummary summary =
      importer::import_paths(*library, inputs, observer, import_options);
  std::signal(SIGINT, previous);
  observer.finish();
  if (global.json) {
    std::cout << nlohmann::ordered_json{{"summary",
                                         {{"imported", summary.imported},
                                          {"unchanged", summary.unchanged},
                                          {"failed", summary.failed},
                                          {"skipped", summary.skipped},
                                          {"planned", summary.planned},
                                          {"interrupted", summary.interrupted},
                                          {"unusable_inputs", summary.unusable},
                                          {"bytes_fetched", summary.bytes_fetched},
                                          {"seconds", summary.seconds}}}}
              << '\n';
  } else {
    print_summary(summary, observer.failures());
  }
  if (summary.interrupted > 0) {
    return k_exit_interrupted;
  }
  if (summary.unusable > 0) {
    return k_exit_bad_input;
  }
  return summary.failed > 0 ? k_exit_some_failed : k_exit_ok;
}

}  // namespace pressroom::app
