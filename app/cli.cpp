#include "cli.hpp"

#include <iostream>

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

}  // namespace pressroom::app
