#include <iostream>

#include "cli.hpp"
#include "importer/import.hpp"

namespace pressroom::app {
namespace {

// Prints each outcome as it comes: a line per photo on stdout (or a JSON object), and a line
// per failure and per warning on stderr, so that a script can read both streams as they flow.
class PrintingObserver final : public importer::ImportObserver {
 public:
  PrintingObserver(const LibraryLayout& layout, bool json) : m_layout(layout), m_json(json) {}

  void entry_finished(const importer::ImportOutcome& outcome) override {
    for (const std::string& warning : outcome.warnings) {
      print_error("warning: " + warning);
    }
    if (outcome.error) {
      print_error(*outcome.error);
    }
    if (m_json) {
      nlohmann::ordered_json line{{"input", outcome.input.string()},
                                  {"state", importer::to_string(outcome.state)},
                                  {"warnings", outcome.warnings}};
      if (outcome.photo) {
        line["photo"] = photo_json(*outcome.photo, m_layout);
      }
      if (outcome.error) {
        line["error"] = {{"code", to_string(outcome.error->code)},
                         {"message", to_string(*outcome.error)}};
      }
      std::cout << line << std::endl;  // flushed: a reading script sees progress
      return;
    }
    if (outcome.photo) {
      const Photo& photo = *outcome.photo;
      std::cout << importer::to_string(outcome.state) << "  #" << photo.id << "  "
                << photo.sha256.substr(0, 12) << "  " << photo.display_width() << 'x'
                << photo.display_height() << "  " << outcome.input.string() << std::endl;
    }
  }

 private:
  const LibraryLayout& m_layout;
  bool m_json;
};

}  // namespace

void add_import_command(CLI::App& app, ImportCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "import", "Import photos from files and folders (recursively) into the library");
  command->add_option("PATH", options.paths, "Image files and folders")->required();
  add_jobs_option(*command, options.jobs);
}

int run_import(const GlobalOptions& global, const ImportCommandOptions& options) {
  if (!jobs_are_valid(options.jobs)) {
    return k_exit_usage;
  }
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  const std::vector<std::filesystem::path> inputs(options.paths.begin(), options.paths.end());
  PrintingObserver observer(library->layout(), global.json);
  importer::ImportOptions import_options;
  import_options.who = current_user();
  import_options.jobs = options.jobs;
  const importer::ImportSummary summary =
      importer::import_paths(*library, inputs, observer, import_options);
  if (global.json) {
    std::cout << nlohmann::ordered_json{{"summary",
                                         {{"imported", summary.imported},
                                          {"unchanged", summary.unchanged},
                                          {"failed", summary.failed},
                                          {"skipped", summary.skipped}}}}
              << '\n';
  } else {
    std::cout << summary.imported << " imported, " << summary.unchanged << " unchanged, "
              << summary.failed << " failed";
    if (summary.skipped > 0) {
      std::cout << " (" << summary.skipped << " files in folders were not images, skipped)";
    }
    std::cout << '\n';
  }
  return summary.failed > 0 ? k_exit_some_failed : k_exit_ok;
}

}  // namespace pressroom::app
