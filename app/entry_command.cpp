// `pressroom entry set-url ENTRY URL`: repairs the URL of a release's photo entry, so that the
// next `import --retry-failed` (or import of the release) fetches the photo from there.
#include <iostream>

#include "cli.hpp"

namespace pressroom::app {

void add_entry_command(CLI::App& app, EntryOptions& options) {
  CLI::App* entry = app.add_subcommand("entry", "Repair a release's photo entry");
  entry->require_subcommand(1);
  CLI::App* set_url = entry->add_subcommand(
      "set-url", "Give the entry another URL (import --retry-failed then fetches it)");
  set_url->add_option("ENTRY", options.entry, "The entry's id (import names it when it fails)")
      ->required();
  set_url->add_option("URL", options.url, "The photo's URL")->required();
}

int run_entry_set_url(const GlobalOptions& global, const EntryOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  if (auto set = library->catalog().set_entry_url(options.entry, options.url, current_user());
      !set) {
    print_error(set.error());
    return exit_code_for(set.error());
  }
  if (global.json) {
    std::cout << nlohmann::ordered_json{{"entry", options.entry}, {"url", options.url}} << '\n';
  } else {
    std::cout << "entry " << options.entry << ": " << options.url << '\n';
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
