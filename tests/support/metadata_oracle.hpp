#pragma once

// exiftool as the oracle for the metadata reader (issue 6): its reading of the fields
// EmbeddedMetadata holds, and ours, in one JSON shape, and where they differ.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/photo.hpp"

namespace pressroom::testing {

// exiftool's reading of `files` (one exiftool process per pass), each an object keyed by
// EmbeddedMetadata's member names, absent fields left out. How each field is derived from
// exiftool's tags, and where the comparison deliberately differs from exiftool's own choice,
// is written beside the code (metadata_oracle.cpp).
std::map<std::filesystem::path, nlohmann::json> exiftool_metadata(
    const std::vector<std::filesystem::path>& files);

// Our reading in the same shape.
nlohmann::json to_json(const EmbeddedMetadata& metadata);

// The fields where `ours` and `oracle` differ, one line each with both values; numbers are
// compared to 1e-6 relative.
std::vector<std::string> metadata_differences(const nlohmann::json& ours,
                                              const nlohmann::json& oracle);

}  // namespace pressroom::testing
