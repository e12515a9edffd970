#include "audit.hpp"

namespace pressroom::catalog {

Result<void> write_audit(Database& database, const AuditEntry& entry) {
  auto statement = database.prepare(
      "INSERT INTO audit_log (who, action, photo_id, release_id, field, before, after) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!statement) {
    return fail(statement.error());
  }
  Result<void> bound = statement->bind(1, entry.who);
  const auto next = [&](int index, const auto& value) {
    if (bound) {
      bound = statement->bind(index, value);
    }
  };
  next(2, entry.action);
  next(3, entry.photo_id);
  next(4, entry.release_id);
  next(5, entry.field);
  next(6, entry.before);
  next(7, entry.after);
  if (!bound) {
    return bound;
  }
  return statement->run();
}

}  // namespace pressroom::catalog
