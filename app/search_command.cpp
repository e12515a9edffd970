#include <iostream>
#include <map>

#include "cli.hpp"
#include "core/rights.hpp"

namespace pressroom::app {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

// One line of a caption for a table: at most `width` characters (UTF-8 aware).
std::string shortened(const std::string& text, std::size_t width) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U && ++characters > width) {
      return text.substr(0, i) + "…";
    }
  }
  return text;
}

}  // namespace

void add_search_command(CLI::App& app, SearchCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "search",
      "Search the catalog: words (all must occur), \"phrases\", prefix*, AND, OR, NOT, -word; "
      "case and accents do not matter (strasse finds Straße)");
  command->add_option("QUERY", options.words, "The search words; none: every photo");
  command->add_option("--photographer", options.photographer,
                      "Only photos whose photographer's name has all these words");
  command->add_option("--rights-holder", options.rights_holder,
                      "Only photos whose rights holder's name has all these words");
  command->add_option("--person", options.person,
                      "Only photos showing a person whose name has all these words");
  command->add_option("--tag", options.tag, "Only photos with this tag or one of its sub-tags");
  command->add_option("--release", options.release, "Only photos of this release (its id)")
      ->check(CLI::PositiveNumber);
  command->add_option("--from", options.date_from, "Taken on or after this day (YYYY-MM-DD)");
  command->add_option("--to", options.date_to, "Taken on or before this day (YYYY-MM-DD)");
  command->add_option("--orientation", options.orientation, "As displayed")
      ->check(CLI::IsMember({"landscape", "portrait", "square"}));
  command->add_option("--min-width", options.min_width, "At least this wide, in pixels")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--min-height", options.min_height, "At least this high, in pixels")
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--licence", options.licence,
                   "The licence state today: usable (includes photos without terms), "
                   "embargoed, expired")
      ->check(CLI::IsMember({"usable", "embargoed", "expired"}));
  command->add_option("--sort", options.sort, "relevance (default), newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  command->add_option("--page", options.page, "Which page, from 1")->check(CLI::PositiveNumber);
  command->add_option("--per-page", options.per_page, "Photos per page (default 50)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--today", options.today,
                      "The day the licence state is judged on (default: today, UTC)");
  command->add_option("--save", options.save,
                      "Save every photo found as @NAME, for tag, credit and licence commands");
}

int run_search(const GlobalOptions& global, const SearchCommandOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto& catalog = library->catalog();
  catalog::SearchQuery query;
  query.text = joined(options.words);
  query.photographer = options.photographer;
  query.rights_holder = options.rights_holder;
  query.person = options.person;
  query.tag = options.tag;
  if (options.release > 0) {
    query.release = options.release;
  }
  query.date_from = options.date_from;
  query.date_to = options.date_to;
  static const std::map<std::string, catalog::Orientation> k_orientations{
      {"", catalog::Orientation::any},
      {"landscape", catalog::Orientation::landscape},
      {"portrait", catalog::Orientation::portrait},
      {"square", catalog::Orientation::square}};
  static const std::map<std::string, catalog::LicenceFilter> k_licences{
      {"", catalog::LicenceFilter::any},
      {"usable", catalog::LicenceFilter::usable},
      {"embargoed", catalog::LicenceFilter::embargoed},
      {"expired", catalog::LicenceFilter::expired}};
  static const std::map<std::string, catalog::SearchOrder> k_orders{
      {"relevance", catalog::SearchOrder::relevance},
      {"newest", catalog::SearchOrder::newest},
      {"oldest", catalog::SearchOrder::oldest}};
  query.orientation = k_orientations.at(options.orientation);
  query.licence = k_licences.at(options.licence);
  query.order = k_orders.at(options.sort);
  query.min_width = options.min_width;
  query.min_height = options.min_height;
  query.today = options.today;
  query.limit = options.per_page;
  query.offset = (options.page - 1) * options.per_page;

  auto page = catalog.search(query);
  if (!page) {
    print_error(page.error());
    return exit_code_for(page.error());
  }
  std::optional<std::int64_t> saved;
  if (!options.save.empty()) {
    auto count = catalog.save_search(options.save, query, current_user());
    if (!count) {
      print_error(count.error());
      return exit_code_for(count.error());
    }
    saved = *count;
  }
  const std::string today = options.today.empty() ? today_utc() : options.today;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const auto& hit : page->hits) {
    auto details = catalog.details(hit.photo_id);
    if (!details) {
      print_error(details.error());
      return exit_code_for(details.error());
    }
    nlohmann::ordered_json result;
    result["id"] = hit.photo_id;
    result["sha256"] = details->photo.sha256;
    result["score"] = hit.score;
    result["date_taken"] = details->photo.date_taken
                               ? nlohmann::ordered_json(*details->photo.date_taken)
                               : nlohmann::ordered_json(nullptr);
    result["display_width"] = details->photo.display_width();
    result["display_height"] = details->photo.display_height();
    const nlohmann::ordered_json catalog_view = details_json(*details, today);
    for (const auto& [key, value] : catalog_view.items()) {
      result[key] = value;
    }
    results.push_back(std::move(result));
  }
  const std::int64_t pages = (page->total + options.per_page - 1) / std::max(options.per_page, 1);
  if (global.json) {
    nlohmann::ordered_json out;
    out["query"] = query.text;
    out["total"] = page->total;
    out["total_exact"] = page->total_exact;
    out["page"] = options.page;
    out["per_page"] = options.per_page;
    out["pages"] = pages;
    if (saved) {
      out["saved_as"] = "@" + options.save;
      out["saved"] = *saved;
    }
    out["results"] = results;
    std::cout << out << '\n';
    return k_exit_ok;
  }
  std::cout << (page->total_exact ? "" : "about ") << page->total
            << (page->total == 1 ? " photo" : " photos");
  if (pages > 1) {
    std::cout << ", page " << options.page << " of " << pages;
  }
  std::cout << '\n';
  for (const auto& result : results) {
    const auto credit = result["credit"].is_null()
                            ? std::string("-")
                            : result["credit"]["credit_line"].get<std::string>();
    std::cout << result["id"].get<std::int64_t>() << "  "
              << result["sha256"].get<std::string>().substr(0, 10) << "  "
              << shortened(result["caption"].get<std::string>(), 70) << "  " << credit << '\n';
  }
  if (saved) {
    std::cout << "saved " << *saved << " photos as @" << options.save << '\n';
  }
  return k_exit_ok;
}

}  // namespace pressroom::app
