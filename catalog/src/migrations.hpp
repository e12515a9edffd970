#pragma once

#include <span>
#include <string_view>

namespace pressroom::catalog {

// The schema, one step per migration. Migration N (1-based) brings a catalog from
// PRAGMA user_version N-1 to N. Never edit a step that has shipped: add the next one.
std::span<const std::string_view> migrations();

}  // namespace pressroom::catalog
