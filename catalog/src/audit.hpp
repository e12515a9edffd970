#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "database.hpp"

namespace pressroom::catalog {

// One row of the audit log, written in the transaction of the change it records.
struct AuditEntry {
  std::string_view who;
  std::string_view action;
  std::optional<std::int64_t> photo_id;
  std::optional<std::int64_t> release_id;
  std::string_view field;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

Result<void> write_audit(Database& database, const AuditEntry& entry);

}  // namespace pressroom::catalog
