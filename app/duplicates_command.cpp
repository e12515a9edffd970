#include <cstdint>
#include <iomanip>
#include <iostream>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "thumbs/perceptual_hash.hpp"

namespace pressroom::app {
namespace {

// A thumbnail is a few tens of kilobytes; anything far larger is not one of ours.
constexpr std::uint64_t k_max_thumbnail_bytes = 16ULL << 20U;

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

// Photos imported before the importer stored hashes get one from their stored thumbnail (the
// same upright 256 px picture render() hashes, a JPEG encode apart: bench/README.md measures
// the difference), stored so that the next run reads it. Returns false when some photo could
// not be hashed (each named on stderr); those are left out of the grouping.
bool fill_missing_hashes(std::vector<Photo>& photos, catalog::Catalog& catalog,
                         const LibraryLayout& layout) {
  bool complete = true;
  std::vector<std::pair<std::int64_t, std::uint64_t>> computed;
  for (Photo& photo : photos) {
    if (photo.perceptual_hash) {
      continue;
    }
    const auto thumbnail = layout.rendition(LibraryLayout::k_rendition_sizes.front(), photo.sha256);
    const std::string subject = "photo " + std::to_string(photo.id);
    auto bytes = read_file(thumbnail, k_max_thumbnail_bytes);
    auto hash = bytes ? thumbs::perceptual_hash_of_jpeg(*bytes, thumbnail.string())
                      : Result<std::uint64_t>(fail(bytes.error()));
    if (!hash) {
      print_error(subject + ": not compared (" + to_string(hash.error()) +
                  "); importing its file again writes the thumbnail again");
      complete = false;
      continue;
    }
    photo.perceptual_hash = *hash;
    computed.emplace_back(photo.id, *hash);
  }
  if (!computed.empty()) {
    // Storing is a cache: a read-only or busy catalog only means computing them again next time.
    if (auto stored = catalog.fill_missing_perceptual_hashes(computed); !stored) {
      print_error("the hashes computed now were not stored: " + to_string(stored.error()));
    }
  }
  return complete;
}

}  // namespace

void add_duplicates_command(CLI::App& app, DuplicatesOptions& options) {
  CLI::App* command = app.add_subcommand(
      "duplicates",
      "List groups of near-identical photos (a series of similar shots, a re-encoded or "
      "slightly cropped copy), so that the best of each can be picked");
  command
      ->add_option("--max-distance", options.max_distance,
                   "Photos whose 64-bit perceptual hashes differ in at most this many bits are "
                   "near-identical, and so are chains of them (default " +
                       std::to_string(k_default_max_distance) +
                       "; 0: the same picture, re-encoded or resized)")
      ->check(CLI::Range(0, 64));
}

int run_duplicates(const GlobalOptions& global, const DuplicatesOptions& options) {
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  auto& catalog = library->catalog();
  auto photos = catalog.photos();
  if (!photos) {
    print_error(photos.error());
    return k_exit_library;
  }
  const bool complete = fill_missing_hashes(*photos, catalog, library->layout());

  std::vector<const Photo*> hashed;  // in id order, as catalog.photos() returns them
  std::vector<std::uint64_t> hashes;
  for (const Photo& photo : *photos) {
    if (photo.perceptual_hash) {
      hashed.push_back(&photo);
      hashes.push_back(*photo.perceptual_hash);
    }
  }
  const auto groups = thumbs::near_duplicate_groups(hashes, options.max_distance);

  std::size_t photos_in_groups = 0;
  for (std::size_t number = 1; number <= groups.size(); ++number) {
    const auto& members = groups[number - 1];
    photos_in_groups += members.size();
    const std::uint64_t first_hash = hashes[members.front()];
    nlohmann::ordered_json listed = nlohmann::ordered_json::array();
    for (const std::size_t index : members) {
      const Photo& photo = *hashed[index];
      auto details = catalog.details(photo.id);
      if (!details) {
        print_error(details.error());
        return exit_code_for(details.error());
      }
      nlohmann::ordered_json entry;
      entry["id"] = photo.id;
      entry["sha256"] = photo.sha256;
      entry["original_name"] = photo.original_name;
      entry["bytes"] = photo.byte_size;
      entry["display_width"] = photo.display_width();
      entry["display_height"] = photo.display_height();
      entry["date_taken"] = photo.date_taken ? nlohmann::ordered_json(*photo.date_taken)
                                             : nlohmann::ordered_json(nullptr);
      entry["perceptual_hash"] = to_hex16(hashes[index]);
      entry["distance"] = thumbs::hash_distance(first_hash, hashes[index]);
      entry["caption"] = details->caption;
      entry["credit"] = details->credit ? nlohmann::ordered_json(details->credit->credit_line)
                                        : nlohmann::ordered_json(nullptr);
      entry["thumbnail"] = library->layout()
                               .rendition(LibraryLayout::k_rendition_sizes.front(), photo.sha256)
                               .string();
      listed.push_back(std::move(entry));
    }
    if (global.json) {
      nlohmann::ordered_json group;
      group["group"] = number;
      group["max_distance"] = options.max_distance;
      group["photos"] = std::move(listed);
      std::cout << group << '\n';
      continue;
    }
    std::cout << "group " << number << ": " << members.size() << " photos\n";
    for (const auto& entry : listed) {
      const std::string size = std::to_string(entry["display_width"].get<int>()) + "x" +
                               std::to_string(entry["display_height"].get<int>());
      const std::string credit =
          entry["credit"].is_null() ? std::string("-") : entry["credit"].get<std::string>();
      std::cout << "  " << std::left << std::setw(6) << entry["id"].get<std::int64_t>()
                << std::setw(4) << entry["distance"].get<int>() << std::setw(11) << size
                << std::setw(28) << shortened(entry["original_name"].get<std::string>(), 26)
                << shortened(entry["caption"].get<std::string>(), 50) << "  "
                << shortened(credit, 40) << '\n';
    }
  }
  if (!global.json) {
    std::cout << groups.size() << (groups.size() == 1 ? " group" : " groups") << " of "
              << photos_in_groups << " near-identical photos among " << hashes.size()
              << " (max distance " << options.max_distance << ")\n";
  }
  return complete ? k_exit_ok : k_exit_some_failed;
}

}  // namespace pressroom::app
