// tag, person, credit, licence and caption: the press office's edits. One file because they
// share the same shape: name photos, change one thing, print what changed.
#include <iostream>

#include "cli.hpp"

namespace pressroom::app {
namespace {

constexpr const char* k_photos_help =
    "Photos: ids, sha256 prefixes (6+ digits), or @NAME for a saved search";

CLI::App* edit_subcommand(CLI::App& parent, EditCommandOptions& options, const std::string& name,
                          const std::string& help) {
  CLI::App* command = parent.add_subcommand(name, help);
  const std::string action = parent.get_name() + " " + name;
  command->callback([&options, action] { options.action = action; });
  return command;
}

void print_result(const GlobalOptions& global, const EditCommandOptions& options,
                  const std::vector<std::int64_t>& photos, int changed,
                  const std::string& summary) {
  if (global.json) {
    nlohmann::ordered_json json;
    json["action"] = options.action;
    json["photos"] = photos;
    json["changed"] = changed;
    std::cout << json << '\n';
    return;
  }
  std::cout << summary << " (" << changed << " of " << photos.size()
            << (photos.size() == 1 ? " photo" : " photos") << " changed)\n";
}

std::optional<std::string> optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

void add_edit_commands(CLI::App& app, EditCommandOptions& options) {
  CLI::App* tag = app.add_subcommand("tag", "Add or remove a tag (levels with |: Event|Fair)");
  tag->require_subcommand(1);
  for (const auto* name : {"add", "remove"}) {
    edit_subcommand(*tag, options, name, std::string(name) + " a tag: PHOTO... TAG")
        ->add_option("PHOTO... TAG", options.args, k_photos_help)
        ->required()
        ->expected(2, 100'000);
  }

  CLI::App* person = app.add_subcommand("person", "Add or remove a person shown in a photo");
  person->require_subcommand(1);
  CLI::App* person_add =
      edit_subcommand(*person, options, "add", "Name a person shown: PHOTO NAME");
  person_add->add_option("PHOTO NAME", options.args)->required()->expected(2);
  person_add->add_option("--position", options.position, "1 is leftmost (default: rightmost)")
      ->check(CLI::Range(1, 1000));
  edit_subcommand(*person, options, "remove", "Remove a person shown: PHOTO NAME")
      ->add_option("PHOTO NAME", options.args)
      ->required()
      ->expected(2);

  CLI::App* credit = app.add_subcommand("credit", "Set who made and who owns photos");
  credit->require_subcommand(1);
  CLI::App* credit_set =
      edit_subcommand(*credit, options, "set",
                      "Set the credit of PHOTO...: the credit line is built from the two names");
  credit_set->add_option("PHOTO", options.args, k_photos_help)->required();
  credit_set->add_option("--photographer", options.photographer, "The photographer");
  credit_set->add_option("--rights-holder", options.rights_holder, "Who holds the rights");

  CLI::App* licence = app.add_subcommand("licence", "Set the terms under which photos may be used");
  licence->require_subcommand(1);
  CLI::App* licence_set = edit_subcommand(*licence, options, "set", "Set the licence of PHOTO...");
  licence_set->add_option("PHOTO", options.args, k_photos_help)->required();
  licence_set->add_option("--usage-terms", options.usage_terms, "The terms, as text")->required();
  licence_set->add_flag("--editorial-only", options.editorial_only, "Editorial use only");
  licence_set->add_flag("--no-credit-required", options.no_credit_required,
                        "Use without naming the credit");
  licence_set->add_option("--from", options.valid_from,
                          "Embargo: usable from this day (YYYY-MM-DD)");
  licence_set->add_option("--until", options.valid_until,
                          "Expiry: usable until this day, inclusive (YYYY-MM-DD)");

  CLI::App* caption = app.add_subcommand("caption", "Correct a photo's caption");
  caption->require_subcommand(1);
  edit_subcommand(*caption, options, "set", "Set the caption: PHOTO TEXT")
      ->add_option("PHOTO TEXT", options.args)
      ->required()
      ->expected(2);
}

int run_edit(const GlobalOptions& global, const EditCommandOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto& catalog = library->catalog();
  const bool value_last = options.action.rfind("tag ", 0) == 0 ||
                          options.action.rfind("person ", 0) == 0 ||
                          options.action == "caption set";
  std::vector<std::string> names = options.args;
  std::string value;
  if (value_last) {
    value = names.back();
    names.pop_back();
  }
  auto photos = catalog.resolve_photos(names);
  if (!photos) {
    print_error(photos.error());
    std::cerr << "pressroom: nothing was changed\n";
    return exit_code_for(photos.error());
  }
  if (photos->empty()) {
    print_error("the saved search names no photos; nothing changed");
    return k_exit_not_found;
  }
  const std::string who = current_user();
  Result<int> changed = 0;
  std::string summary;
  if (options.action == "tag add") {
    changed = catalog.add_tag(*photos, value, who);
    summary = "tagged with " + value;
  } else if (options.action == "tag remove") {
    changed = catalog.remove_tag(*photos, value, who);
    summary = "removed the tag " + value;
  } else if (options.action == "person add" || options.action == "person remove") {
    if (photos->size() != 1) {
      print_error("person " + options.action.substr(7) +
                  " takes one photo (the position is per photo)");
      return k_exit_usage;
    }
    const bool add = options.action == "person add";
    changed = add ? catalog.add_person(photos->front(), value, options.position, who)
                  : catalog.remove_person(photos->front(), value, who);
    summary = (add ? "shows " : "no longer shows ") + value;
  } else if (options.action == "credit set") {
    changed = catalog.set_credit(*photos, options.photographer, options.rights_holder, who);
    summary = "credit set to " + credit_line(options.rights_holder, options.photographer);
  } else if (options.action == "licence set") {
    Licence licence;
    licence.usage_terms = options.usage_terms;
    licence.editorial_only = options.editorial_only;
    licence.credit_required = !options.no_credit_required;
    licence.valid_from = optional_text(options.valid_from);
    licence.valid_until = optional_text(options.valid_until);
    changed = catalog.set_licence(*photos, licence, who);
    summary = "licence set";
  } else {
    if (photos->size() != 1) {
      print_error("caption set takes one photo");
      return k_exit_usage;
    }
    changed = catalog.set_caption(photos->front(), value, who);
    summary = "caption set";
  }
  if (!changed) {
    print_error(changed.error());
    std::cerr << "pressroom: nothing was changed\n";
    return exit_code_for(changed.error());
  }
  print_result(global, options, *photos, *changed, summary);
  return k_exit_ok;
}

}  // namespace pressroom::app
