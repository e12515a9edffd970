#include <algorithm>
#include <iostream>

#include "cli.hpp"
#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"

namespace pressroom::app {
namespace {

// What the original says about itself (issue 6): the fields it has, in a stable order.
nlohmann::ordered_json embedded_json(const EmbeddedMetadata& metadata) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  const auto text = [&json](const char* field, const std::optional<std::string>& value) {
    if (value) {
      json[field] = *value;
    }
  };
  const auto list = [&json](const char* field, const std::vector<std::string>& value) {
    if (!value.empty()) {
      json[field] = value;
    }
  };
  const auto number = [&json](const char* field, const auto& value) {
    if (value) {
      json[field] = *value;
    }
  };
  text("title", metadata.title);
  text("headline", metadata.headline);
  text("caption", metadata.caption);
  list("creators", metadata.creators);
  text("credit_line", metadata.credit_line);
  text("copyright", metadata.copyright);
  text("usage_terms", metadata.usage_terms);
  text("web_statement", metadata.web_statement);
  text("source", metadata.source);
  list("keywords", metadata.keywords);
  list("hierarchical_keywords", metadata.hierarchical_keywords);
  list("people_shown", metadata.people_shown);
  text("event", metadata.event);
  text("city", metadata.city);
  text("sublocation", metadata.sublocation);
  text("state", metadata.state);
  text("country", metadata.country);
  text("alt_text", metadata.alt_text);
  text("lens", metadata.lens);
  number("exposure_time", metadata.exposure_time);
  number("f_number", metadata.f_number);
  number("iso", metadata.iso);
  number("focal_length", metadata.focal_length);
  number("gps_latitude", metadata.gps_latitude);
  number("gps_longitude", metadata.gps_longitude);
  number("gps_altitude", metadata.gps_altitude);
  if (metadata.iptc_digest != EmbeddedMetadata::IptcDigest::absent) {
    json["iptc_digest"] =
        metadata.iptc_digest == EmbeddedMetadata::IptcDigest::matches ? "matches" : "differs";
  }
  return json;
}

// Where the file and the catalog both say something and say it differently: the caption (the
// catalog's, and each release entry's), the headline, the credit line, the photographer, the
// usage terms and the people shown.
nlohmann::ordered_json disagreements(const catalog::PhotoDetails& details,
                                     const EmbeddedMetadata& file) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  const auto check = [&out](const char* field, const std::string& catalog_value,
                            const std::optional<std::string>& file_value) {
    if (!catalog_value.empty() && file_value &&
        single_line(catalog_value) != single_line(*file_value)) {
      out.push_back({{"field", field}, {"catalog", catalog_value}, {"file", *file_value}});
    }
  };
  check("caption", details.caption, file.caption);
  for (const auto& entry : details.entries) {
    if (entry.caption != details.caption) {
      check("release caption", entry.caption, file.caption);
    }
  }
  check("headline", details.headline.value_or(""), file.headline);
  if (details.credit) {
    check("credit_line", details.credit->credit_line, file.credit_line);
    const auto& photographer = details.credit->photographer;
    if (!photographer.empty() && !file.creators.empty() &&
        std::none_of(file.creators.begin(), file.creators.end(), [&](const std::string& name) {
          return single_line(name) == single_line(photographer);
        })) {
      std::string creators;
      for (const auto& name : file.creators) {
        creators += (creators.empty() ? "" : "; ") + name;
      }
      out.push_back({{"field", "photographer"}, {"catalog", photographer}, {"file", creators}});
    }
  }
  if (details.licence) {
    check("usage_terms", details.licence->usage_terms, file.usage_terms);
  }
  if (!details.people.empty() && !file.people_shown.empty()) {
    std::vector<std::string> ours;
    std::vector<std::string> theirs;
    std::string listed;
    for (const auto& person : details.people) {
      ours.push_back(single_line(person.name));
    }
    for (const auto& name : file.people_shown) {
      theirs.push_back(single_line(name));
      listed += (listed.empty() ? "" : "; ") + name;
    }
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    if (ours != theirs) {
      std::string catalog_listed;
      for (const auto& person : details.people) {
        catalog_listed += (catalog_listed.empty() ? "" : "; ") + person.name;
      }
      out.push_back({{"field", "people"}, {"catalog", catalog_listed}, {"file", listed}});
    }
  }
  return out;
}

}  // namespace

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
  // The original's own metadata, read now (the file is the truth about itself).
  // The library holds only what an import accepted; the limit guards against a swapped file.
  constexpr std::uint64_t k_max_original_bytes = 4ULL << 30U;
  const std::filesystem::path original = library->layout().original(photo->sha256, photo->type);
  auto bytes = read_file(original, k_max_original_bytes);
  auto embedded = bytes ? read_embedded_metadata(*bytes, original.string())
                        : Result<EmbeddedMetadata>(tl::make_unexpected(bytes.error()));
  if (embedded) {
    json["embedded"] = embedded_json(*embedded);
    json["disagreements"] = disagreements(*details, *embedded);
  } else {
    print_error(embedded.error());
    json["embedded"] = nullptr;
    json["disagreements"] = nlohmann::ordered_json::array();
  }
  if (global.json) {
    std::cout << json << '\n';
    return k_exit_ok;
  }
  for (const auto& [key, value] : json.items()) {
    if (key == "embedded" || key == "disagreements") {
      continue;
    }
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
  if (embedded) {
    std::cout << "in the file:\n";
    for (const auto& [key, value] : json["embedded"].items()) {
      std::cout << "  " << key << ": "
                << (value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
    }
    for (const auto& disagreement : json["disagreements"]) {
      std::cout << "DIFFERS " << disagreement["field"].get<std::string>() << ": catalog \""
                << disagreement["catalog"].get<std::string>() << "\", file \""
                << disagreement["file"].get<std::string>() << "\"\n";
    }
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
