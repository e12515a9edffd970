#include <iostream>
#include <string>

#include "cli.hpp"
#include "core/release.hpp"
#include "importer/release_parser.hpp"

namespace pressroom::app {
namespace {

using nlohmann::ordered_json;

// Absent values are null rather than "", so that scripts can test for them.
ordered_json optional_text(const std::string& value) {
  return value.empty() ? ordered_json(nullptr) : ordered_json(value);
}

ordered_json person_json(const Person& person) {
  return {{"name", person.name},
          {"role", optional_text(person.role)},
          {"place", optional_text(person.place)}};
}

ordered_json photo_entry_json(const ReleaseEntry& entry) {
  ordered_json people = ordered_json::array();
  for (const auto& person : entry.people) {
    people.push_back(person_json(person));
  }
  return {{"position", entry.position},
          {"caption", entry.caption},
          {"credit",
           {{"text", optional_text(entry.credit.text)},
            {"rights_holder", optional_text(entry.credit.rights_holder)},
            {"photographer", optional_text(entry.credit.photographer)}}},
          {"url", optional_text(entry.url)},
          {"people", people},
          {"licence_note", optional_text(entry.licence_note)},
          {"line", entry.line},
          {"warnings", entry.warnings}};
}

ordered_json item_json(const NewsItem& item) {
  return {{"title", item.title},
          {"subtitle", optional_text(item.subtitle)},
          {"date", optional_text(item.date)},
          {"date_end", optional_text(item.date_end)},
          {"time", optional_text(item.time)},
          {"time_end", optional_text(item.time_end)},
          {"location", optional_text(item.location)},
          {"body", item.body},
          {"line", item.line}};
}

// The stable JSON form of a parsed release (field names in the README).
ordered_json release_json(const Release& release, const std::string& source) {
  ordered_json titles = ordered_json::object();
  for (const auto& [language, title] : release.titles) {
    titles[language] = title;
  }
  ordered_json body = ordered_json::object();
  for (const auto& [language, text] : release.body) {
    body[language] = text;
  }
  const Contact& contact = release.contact;
  const bool has_contact =
      !contact.name.empty() || !contact.email.empty() || !contact.phone.empty();
  ordered_json items = ordered_json::array();
  for (const auto& item : release.items) {
    items.push_back(item_json(item));
  }
  ordered_json photos = ordered_json::array();
  for (const auto& entry : release.photos) {
    photos.push_back(photo_entry_json(entry));
  }
  return {{"kind", release.kind == ReleaseKind::news ? "news" : "release"},
          {"source", source},
          {"date", optional_text(release.date)},
          {"titles", titles},
          {"subtitle", optional_text(release.subtitle)},
          {"body", body},
          {"text_version_url", optional_text(release.text_version_url)},
          {"contact", has_contact ? ordered_json{{"name", optional_text(contact.name)},
                                                 {"email", optional_text(contact.email)},
                                                 {"phone", optional_text(contact.phone)}}
                                  : ordered_json(nullptr)},
          {"rights_holder", optional_text(release.rights_holder)},
          {"licence_grant", optional_text(release.licence_grant)},
          {"items", items},
          {"photos", photos},
          {"warnings", release.warnings}};
}

void print_field(const char* label, const std::string& value) {
  if (!value.empty()) {
    std::cout << label << ": " << value << '\n';
  }
}

void print_people(const std::vector<Person>& people) {
  std::cout << "     people:";
  const char* separator = " ";
  for (const auto& person : people) {
    std::cout << separator << person.name;
    std::string details = person.role;
    if (!person.place.empty()) {
      details += (details.empty() ? "" : ", ") + person.place;
    }
    if (!details.empty()) {
      std::cout << " (" << details << ")";
    }
    separator = "; ";
  }
  std::cout << '\n';
}

void print_table(const Release& release) {
  std::cout << (release.kind == ReleaseKind::news ? "news page" : "press release");
  if (!release.date.empty()) {
    std::cout << " of " << release.date;
  }
  std::cout << ": " << release.photos.size() << " photos, " << release.items.size()
            << " news items\n";
  for (const auto& [language, title] : release.titles) {
    print_field(("title (" + language + ")").c_str(), title);
  }
  print_field("subtitle", release.subtitle);
  for (const auto& [language, text] : release.body) {
    std::cout << "body (" << language << "): " << text.size() << " bytes\n";
  }
  print_field("text version", release.text_version_url);
  print_field("contact",
              release.contact.name +
                  (release.contact.email.empty() ? "" : " <" + release.contact.email + ">") +
                  (release.contact.phone.empty() ? "" : " " + release.contact.phone));
  print_field("rights holder", release.rights_holder);
  for (const auto& warning : release.warnings) {
    std::cout << "warning: " << warning << '\n';
  }
  for (const auto& item : release.items) {
    std::cout << "\n"
              << (item.date.empty() ? "(no date)" : item.date)
              << (item.date_end.empty() ? "" : " to " + item.date_end) << "  " << item.title
              << '\n';
    print_field("     subtitle", item.subtitle);
    print_field("     time", item.time + (item.time_end.empty() ? "" : "-" + item.time_end));
    print_field("     location", item.location);
  }
  for (const auto& entry : release.photos) {
    std::cout << '\n'
              << (entry.position < 10 ? " " : "") << entry.position << ". " << entry.caption
              << '\n';
    std::cout << "     credit: " << (entry.credit.text.empty() ? "-" : entry.credit.text);
    if (!entry.credit.rights_holder.empty() || !entry.credit.photographer.empty()) {
      std::cout << "  (rights holder: "
                << (entry.credit.rights_holder.empty() ? "-" : entry.credit.rights_holder)
                << ", photographer: "
                << (entry.credit.photographer.empty() ? "-" : entry.credit.photographer) << ")";
    }
    std::cout << '\n' << "     url: " << (entry.url.empty() ? "-" : entry.url) << '\n';
    if (!entry.people.empty()) {
      print_people(entry.people);
    }
    for (const auto& warning : entry.warnings) {
      std::cout << "     warning: " << warning << '\n';
    }
  }
}

}  // namespace

void add_release_command(CLI::App& app, ReleaseOptions& options) {
  CLI::App* release = app.add_subcommand("release", "Work with press releases");
  release->require_subcommand(1);
  CLI::App* parse = release->add_subcommand(
      "parse",
      "Print what a press release or news page says: date, titles, body, contact, and each "
      "photo entry with caption, credit, URL and the people shown");
  parse->add_option("FILE", options.file, "The release as text (UTF-8 or Latin-1)")->required();
}

int run_release_parse(const GlobalOptions& global, const ReleaseOptions& options) {
  auto release = importer::parse_release_file(options.file);
  if (!release) {
    print_error(release.error());
    return k_exit_bad_input;
  }
  if (global.json) {
    std::cout << release_json(*release, options.file) << '\n';
  } else {
    print_table(*release);
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
