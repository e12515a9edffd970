#include <iostream>

#include "cli.hpp"

namespace pressroom::app {

void add_history_command(CLI::App& app, HistoryOptions& options) {
  CLI::App* command = app.add_subcommand("history", "Show every change to a photo, oldest first");
  command->add_option("PHOTO", options.photo, "The photo's id or sha256 (prefix)")->required();
}

int run_history(const GlobalOptions& global, const HistoryOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto& catalog = library->catalog();
  auto photo = catalog.lookup(options.photo);
  if (!photo) {
    print_error(photo.error());
    return exit_code_for(photo.error());
  }
  auto records = catalog.history(photo->id);
  if (!records) {
    print_error(records.error());
    return exit_code_for(records.error());
  }
  const auto optional = [](const auto& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  for (const auto& record : *records) {
    if (global.json) {
      nlohmann::ordered_json json;
      json["id"] = record.id;
      json["at"] = record.at;
      json["who"] = record.who;
      json["action"] = record.action;
      json["photo_id"] = optional(record.photo_id);
      json["release_id"] = optional(record.release_id);
      json["field"] = record.field;
      json["before"] = optional(record.before);
      json["after"] = optional(record.after);
      std::cout << json << '\n';
      continue;
    }
    std::cout << record.at << "  " << record.who << "  " << record.action;
    if (record.before) {
      std::cout << "  before: " << *record.before;
    }
    if (record.after) {
      std::cout << "  after: " << *record.after;
    }
    std::cout << '\n';
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
