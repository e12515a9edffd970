#include <iostream>

#include "cli.hpp"

namespace pressroom::app {

void add_init_command(CLI::App& app, InitOptions& options) {
  CLI::App* command = app.add_subcommand(
      "init", "Create a library: catalog.sqlite, originals/ and renditions/ in LIBRARY");
  command->add_option("LIBRARY", options.library,
                      "Folder of the new library (new or empty); default: --library");
}

int run_init(const GlobalOptions& global, const InitOptions& options) {
  const std::string root = options.library.empty() ? global.library : options.library;
  if (root.empty()) {
    print_error("init: no library folder given: pressroom init LIBRARY");
    return k_exit_usage;
  }
  bool created = false;
  auto library = importer::Library::create(root, created);
  if (!library) {
    print_error(library.error());
    return k_exit_library;
  }
  auto count = library->catalog().photo_count();
  if (!count) {
    print_error(count.error());
    return k_exit_library;
  }
  if (global.json) {
    std::cout << nlohmann::ordered_json{{"library", library->layout().root().string()},
                                        {"created", created},
                                        {"schema_version", library->catalog().schema_version()},
                                        {"photos", *count}}
              << '\n';
  } else if (created) {
    std::cout << "created library " << library->layout().root().string() << '\n';
  } else {
    std::cout << "library " << library->layout().root().string() << " exists already (" << *count
              << " photos); nothing changed\n";
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
