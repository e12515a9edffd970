// backup and check: keeping the catalog safe. One file: both are about the catalog as a whole.
#include <iostream>

#include "cli.hpp"

namespace pressroom::app {

void add_maintenance_commands(CLI::App& app, MaintenanceOptions& options) {
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the catalog to DEST, consistently, while others may be writing it");
  backup->add_option("DEST", options.destination, "A new file")->required();
  CLI::App* check = app.add_subcommand(
      "check", "Check the catalog: SQLite's integrity check and the catalog's own rules");
  check->add_flag("--repair", options.repair,
                  "Rebuild the search index from the catalog (what check --repair can mend)");
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
  if (global.json) {
    nlohmann::ordered_json json;
    json["ok"] = report->problems.empty();
    json["photos"] = report->photos;
    json["indexed"] = report->indexed;
    json["pending"] = report->pending;
    json["problems"] = report->problems;
    std::cout << json << '\n';
  } else {
    for (const auto& problem : report->problems) {
      std::cout << "problem: " << problem << '\n';
    }
    std::cout << (report->problems.empty() ? "ok: " : "not ok: ") << report->photos << " photos, "
              << report->indexed << " in the search index\n";
  }
  return report->problems.empty() ? k_exit_ok : k_exit_some_failed;
}

}  // namespace pressroom::app
