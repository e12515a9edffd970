#include <iomanip>
#include <iostream>

#include "cli.hpp"

namespace pressroom::app {

void add_list_command(CLI::App& app) {
  app.add_subcommand("list", "List the photos in the catalog, oldest import first");
}

int run_list(const GlobalOptions& global) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto photos = library->catalog().photos();
  if (!photos) {
    print_error(photos.error());
    return k_exit_library;
  }
  if (global.json) {
    for (const Photo& photo : *photos) {
      std::cout << photo_json(photo, library->layout()) << '\n';
    }
    return k_exit_ok;
  }
  std::cout << std::left << std::setw(6) << "ID" << std::setw(14) << "SHA256" << std::setw(11)
            << "SIZE" << std::setw(21) << "TAKEN" << std::setw(28) << "CAMERA"
            << "NAME\n";
  for (const Photo& photo : *photos) {
    const std::string size =
        std::to_string(photo.display_width()) + "x" + std::to_string(photo.display_height());
    const std::string camera = photo.camera_model.value_or("-");
    std::cout << std::setw(6) << photo.id << std::setw(14) << photo.sha256.substr(0, 12)
              << std::setw(11) << size << std::setw(21) << photo.date_taken.value_or("-")
              << std::setw(28) << camera << photo.original_name << '\n';
  }
  std::cout << photos->size() << " photos\n";
  return k_exit_ok;
}

}  // namespace pressroom::app
