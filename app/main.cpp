// pressroom: the command line. Builds the CLI::App; each subcommand lives in its own file.
#include <exception>
#include <iostream>

#include "cli.hpp"
#include "core/embedded_metadata.hpp"
#include "importer/fetcher.hpp"
#include "thumbs/render.hpp"

namespace {

constexpr const char* k_exit_codes_help = R"(Exit codes:
  0  success (for import: every input imported or unchanged)
  1  some inputs failed (each named on stderr with the reason); the others were imported
     (import: photos that could not be read or fetched; failed entries of a release are kept
     in the catalog with their reason, and the next import of the release tries them again)
     (fetch: some URLs failed; the others were fetched; check: the catalog has problems;
     duplicates: some photos could not be compared; the others were grouped;
     thumbs rebuild: some photos failed, their original missing or unreadable or their
     perceptual hash not stored)
  2  wrong arguments, or a value the catalog refuses (an invalid date, an over-long caption);
     nothing was changed
  3  the library is missing or unusable
  4  the photo (or tag, person, saved search) asked for is not in the catalog; nothing was
     changed
  5  the input file is missing, unreadable or not usable (empty, binary, too large; for
     import: a path that does not exist, a folder without images, a text that is no press
     release), or the output file (export --zip) cannot be written; takes precedence over 1
  70 internal error (a bug: please report it)
  130 interrupted (Ctrl-C); what was finished is kept, partial files are removed)";

int run(int argc, char** argv) {
  using namespace pressroom::app;
  CLI::App app("pressroom: press photos from press releases into a credited, searchable archive",
               "pressroom");
  app.footer(k_exit_codes_help);
  app.require_subcommand(1);
  app.fallthrough();  // --library and --json after the subcommand too

  GlobalOptions global;
  app.add_option("--library", global.library, "Library folder")->envname("PRESSROOM_LIBRARY");
  app.add_flag("--json", global.json,
               "Print JSON on stdout, one object per line (field names in the README)");

  InitOptions init;
  ImportCommandOptions import;
  ShowOptions show;
  ExportOptions export_options;
  ReleaseOptions release;
  FetchCommandOptions fetch;
  SearchCommandOptions search;
  EditCommandOptions edit;
  HistoryOptions history;
  MaintenanceOptions maintenance;
  DuplicatesOptions duplicates;
  ThumbsOptions thumbs;
  EntryOptions entry;
  add_init_command(app, init);
  add_import_command(app, import);
  add_list_command(app);
  add_show_command(app, show);
  add_export_command(app, export_options);
  add_release_command(app, release);
  add_fetch_command(app, fetch);
  add_search_command(app, search);
  add_edit_commands(app, edit);
  add_history_command(app, history);
  add_maintenance_commands(app, maintenance);
  add_duplicates_command(app, duplicates);
  add_thumbs_command(app, thumbs);
  add_entry_command(app, entry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help, or the parse error
    return code == 0 ? k_exit_ok : k_exit_usage;
  }

  pressroom::initialize_metadata();
  pressroom::thumbs::initialize_logging();
  pressroom::importer::initialize_http();
  const auto* command = app.get_subcommands().front();
  const std::string name = command->get_name();
  if (name == "init") {
    return run_init(global, init);
  }
  if (name == "import") {
    return run_import(global, import);
  }
  if (name == "fetch") {
    return run_fetch(global, fetch);
  }
  if (name == "release") {
    return run_release_parse(global, release);
  }
  if (name == "list") {
    return run_list(global);
  }
  if (name == "search") {
    return run_search(global, search);
  }
  if (name == "tag" || name == "person" || name == "credit" || name == "licence" ||
      name == "caption") {
    return run_edit(global, edit);
  }
  if (name == "export") {
    return run_export(global, export_options);
  }
  if (name == "history") {
    return run_history(global, history);
  }
  if (name == "backup") {
    return run_backup(global, maintenance);
  }
  if (name == "check") {
    return run_check(global, maintenance);
  }
  if (name == "duplicates") {
    return run_duplicates(global, duplicates);
  }
  if (name == "thumbs") {
    return run_thumbs_rebuild(global, thumbs);
  }
  if (name == "entry") {
    return run_entry_set_url(global, entry);
  }
  return run_show(global, show);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    // A bug: library code reports failures as values. Say so rather than abort silently.
    std::cerr << "pressroom: internal error: " << error.what() << '\n';
    return 70;
  }
}
