// backup and check: keeping the catalog safe. One file: both are about the catalog as a whole.
#include <iostream>
#include <set>

#include "cli.hpp"
#include "importer/library_check.hpp"

namespace pressroom::app {

void add_maintenance_commands(CLI::App& app, MaintenanceOptions& options) {
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the catalog to DEST, consistently, while others may be writing it");
  backup->add_option("DEST", options.destination, "A new file")->required();
  CLI::App* check = app.add_subcommand(
      "check", "Check the catalog: SQLite's integrity check and the catalog's own rules");
  check->add_flag("--repair", options.repair,
                  "Rebuild the search index from the catalog, and remove what an interrupted "
                  "import left (fetched files, temporary files, files of photos never "
                  "committed)");
}

int run_backup(const GlobalOptions& global, const MaintenanceOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  if (auto done = library->catalog().backup(options.destination, current_user()); !done) {
    print_error(done.error());
    return done.error().code == Errc::invalid_input ? k_exit_usage : k_exit_library;
  }
  if (global.json) {
    std::cout << nlohmann::ordered_json{{"backup", options.destination}} << '\n';
  } else {
    std::cout << "catalog copied to " << options.destination << '\n';
  }
  return k_exit_ok;
}

int run_check(const GlobalOptions& global, const MaintenanceOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto& catalog = library->catalog();
  if (options.repair) {
    if (auto rebuilt = catalog.rebuild_search_index(); !rebuilt) {
      print_error(rebuilt.error());
      return k_exit_library;
    }
  }
  auto report = catalog.check();
  if (!report) {
    print_error(report.error());
    return k_exit_library;
  }
  auto files = importer::check_library_files(*library, options.repair);
  if (!files) {
    print_error(files.error());
    return k_exit_library;
  }
  for (const auto& file : files->missing) {
    report->problems.push_back("missing file of a photo (import the photo again): " + file);
  }
  const std::set<std::string> removed(files->removed.begin(), files->removed.end());
  for (const auto& file : files->leftovers) {
    if (!removed.contains(file)) {
      report->problems.push_back("left by an interrupted import (check --repair removes it): " +
                                 file);
    }
  }
  if (global.json) {
    nlohmann::ordered_json json;
    json["ok"] = report->problems.empty();
    json["photos"] = report->photos;
    json["indexed"] = report->indexed;
    json["pending"] = report->pending;
    json["problems"] = report->problems;
    json["removed"] = files->removed;
    json["import_running"] = files->import_running;
    std::cout << json << '\n';
  } else {
    for (const auto& file : files->removed) {
      std::cout << "removed: " << file << " (left by an interrupted import)\n";
    }
    if (files->import_running) {
      std::cout << "an import is running: its files were not checked for leftovers\n";
    }
    for (const auto& problem : report->problems) {
      std::cout << "problem: " << problem << '\n';
    }
    std::cout << (report->problems.empty() ? "ok: " : "not ok: ") << report->photos << " photos, "
              << report->indexed << " in the search index\n";
  }
  return report->problems.empty() ? k_exit_ok : k_exit_some_failed;
}

}  // namespace pressroom::app
