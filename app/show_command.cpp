#include <iostream>

#include "cli.hpp"
#include "core/rights.hpp"

namespace pressroom::app {

void add_show_command(CLI::App& app, ShowOptions& options) {
  CLI::App* command = app.add_subcommand("show", "Show one photo of the catalog");
  command
      ->add_option("ID|HASH", options.photo,
                   "The photo's id, sha256, or a sha256 prefix of at least 6 digits")
      ->required();
}

int run_show(const GlobalOptions& global, const ShowOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto photo = library->catalog().lookup(options.photo);
  if (!photo) {
    print_error(photo.error());
    switch (photo.error().code) {
      case Errc::not_found:
        return k_exit_not_found;
      case Errc::invalid_input:
        return k_exit_usage;
      default:
        return k_exit_library;
    }
  }
  nlohmann::ordered_json json = photo_json(*photo, library->layout());
  auto details = library->catalog().details(photo->id);
  if (!details) {
    print_error(details.error());
    return k_exit_library;
  }
  const nlohmann::ordered_json catalog_view = details_json(*details, today_utc());
  for (const auto& [key, value] : catalog_view.items()) {
    json[key] = value;
  }
  if (global.json) {
    std::cout << json << '\n';
    return k_exit_ok;
  }
  for (const auto& [key, value] : json.items()) {
    if (key == "files") {
      for (const auto& [kind, path] : value.items()) {
        std::cout << kind << ": " << path.get<std::string>() << '\n';
      }
    } else if (value.is_string()) {
      std::cout << key << ": " << value.get<std::string>() << '\n';
    } else if (value.is_null()) {
      std::cout << key << ": -\n";
    } else {
      std::cout << key << ": " << value.dump() << '\n';
    }
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
