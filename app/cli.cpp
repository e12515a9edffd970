#include "cli.hpp"

#include <cstdlib>
#include <iostream>
#include <vector>

#include <pwd.h>
#include <unistd.h>

#include "importer/work_queue.hpp"

namespace pressroom::app {

void print_error(const Error& error) {
  print_error(to_string(error));
}

void print_error(const std::string& message) {
  std::cerr << "pressroom: " << message << '\n';
}

std::optional<importer::Library> open_library(const GlobalOptions& options, int& exit_code) {
  if (options.library.empty()) {
    print_error("no library given: use --library DIR or set PRESSROOM_LIBRARY");
    exit_code = k_exit_usage;
    return std::nullopt;
  }
  auto library = importer::Library::open(options.library);
  if (!library) {
    print_error(library.error());
    exit_code = k_exit_library;
    return std::nullopt;
  }
  exit_code = k_exit_ok;
  return std::move(*library);
}

void add_jobs_option(CLI::App& command, int& jobs) {
  jobs = importer::default_jobs();
  command
      .add_option("--jobs", jobs,
                  "Worker threads that render (and write) the renditions, at least 1; default: "
                  "one per core")
      ->option_text("N")
      ->capture_default_str();
}

bool jobs_are_valid(int jobs) {
  if (jobs >= 1) {
    return true;
  }
  print_error("--jobs " + std::to_string(jobs) + ": must be at least 1 (worker threads)");
  return false;
}

std::string current_user() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read on the main thread, before any other exists
  if (const char* user = std::getenv("PRESSROOM_USER"); user != nullptr && *user != '\0') {
    return user;
  }
  std::vector<char> buffer(4096);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr && found->pw_name != nullptr) {
    return found->pw_name;
  }
  return "uid " + std::to_string(geteuid());
}

int exit_code_for(const Error& error) {
  switch (error.code) {
    case Errc::invalid_input:
      return k_exit_usage;
    case Errc::not_found:
      return k_exit_not_found;
    default:
      return k_exit_library;
  }
}

nlohmann::ordered_json details_json(const catalog::PhotoDetails& details, std::string_view today) {
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json json;
  json["caption"] = details.caption;
  json["caption_edited"] = details.caption_edited;
  json["headline"] = optional(details.headline);
  json["place"] = optional(details.place);
  json["status"] = details.status;
  if (details.credit) {
    json["credit"] = {{"photographer", details.credit->photographer},
                      {"rights_holder", details.credit->rights_holder},
                      {"credit_line", details.credit->credit_line}};
  } else {
    json["credit"] = nullptr;
  }
  if (details.licence) {
    json["licence"] = {{"usage_terms", details.licence->usage_terms},
                       {"editorial_only", details.licence->editorial_only},
                       {"credit_required", details.licence->credit_required},
                       {"valid_from", optional(details.licence->valid_from)},
                       {"valid_until", optional(details.licence->valid_until)},
                       {"state", to_string(licence_state(*details.licence, today))}};
  } else {
    json["licence"] = nullptr;
  }
  json["tags"] = details.tags;
  auto people = nlohmann::ordered_json::array();
  for (const auto& person : details.people) {
    people.push_back({{"name", person.name}, {"position", person.position}});
  }
  json["people"] = people;
  auto entries = nlohmann::ordered_json::array();
  for (const auto& entry : details.entries) {
    entries.push_back({{"release_id", entry.release_id},
                       {"release_title", entry.release_title},
                       {"release_date", optional(entry.release_date)},
                       {"position", entry.position},
                       {"caption", entry.caption},
                       {"credit", entry.credit},
                       {"url", entry.url},
                       {"licence_note", entry.licence_note},
                       {"warnings", entry.warnings}});
  }
  json["releases"] = entries;
  return json;
}

nlohmann::ordered_json photo_json(const Photo& photo, const LibraryLayout& layout) {
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  files["original"] = layout.original(photo.sha256, photo.type).string();
  files["thumbnail"] =
      layout.rendition(LibraryLayout::k_rendition_sizes.front(), photo.sha256).string();
  files["preview"] =
      layout.rendition(LibraryLayout::k_rendition_sizes.back(), photo.sha256).string();
  return nlohmann::ordered_json{
      {"id", photo.id},
      {"sha256", photo.sha256},
      {"type", std::string(to_string(photo.type))},
      {"bytes", photo.byte_size},
      {"width", photo.width},
      {"height", photo.height},
      {"orientation", photo.orientation},
      {"display_width", photo.display_width()},
      {"display_height", photo.display_height()},
      {"date_taken", optional(photo.date_taken)},
      {"date_taken_offset", optional(photo.date_taken_offset)},
      {"camera_make", optional(photo.camera_make)},
      {"camera_model", optional(photo.camera_model)},
      {"original_name", photo.original_name},
      {"imported_from", photo.imported_from},
      {"imported_at", photo.imported_at},
      {"files", files},
  };
}

void add_network_options(CLI::App& command, NetworkOptions& options) {
  command.add_option("--per-host", options.per_host, "Transfers at once to one host")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command
      .add_option("--retries", options.retries,
                  "Retries after a connection error, a stall, 429 or 5xx")
      ->capture_default_str()
      ->check(CLI::Range(0, 20));
  command
      .add_option("--allow-host", options.allow_hosts,
                  "Allow this URL host to be at a private or loopback address")
      ->allow_extra_args(false);
  command.add_flag("--allow-private", options.allow_private,
                   "Allow every private and loopback address (never link-local or cloud "
                   "metadata)");
  command
      .add_option("--connect-to", options.connect_to,
                  "HOST:PORT:ADDR:PORT - connect there instead, as curl --connect-to")
      ->allow_extra_args(false);
  command
      .add_option("--resolve", options.resolve,
                  "HOST:PORT:ADDR - use this address for the host, as curl --resolve")
      ->allow_extra_args(false);
  command.add_option("--cacert", options.ca_file, "Trust the CA certificates in this PEM file")
      ->check(CLI::ExistingFile);
}

void apply_network_options(const NetworkOptions& options, importer::FetcherOptions& fetcher) {
  fetcher.per_host = options.per_host;
  fetcher.limits.max_attempts = options.retries + 1;
  fetcher.policy.allow_private = options.allow_private;
  fetcher.policy.allowed_hosts = options.allow_hosts;
  fetcher.connect_to = options.connect_to;
  fetcher.resolve = options.resolve;
  fetcher.ca_file = options.ca_file;
}

}  // namespace pressroom::app
