#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "database.hpp"

namespace pressroom::catalog {

// Rows shared by releases.cpp and edits.cpp. All run inside the caller's transaction.

// Entries matching `where` (on table entries, with `id` bound to ?1), by release and position.
// `order` ends the query: ORDER BY and LIMIT.
Result<std::vector<EntryRecord>> read_entries(
    Database& database, std::string_view where, std::int64_t id,
    std::string_view order = " ORDER BY entries.release_id, entries.position");

// The person of this name: the exact (NFC) name, else the one person whose folded name is the
// same ("Hergenroder" finds "Hergenröder"). nullopt when there is none.
Result<std::optional<std::int64_t>> find_person(Database& database, std::string_view name);
// find_person, or a new person. `name` must be clean (clean_text).
Result<std::int64_t> person_id(Database& database, std::string_view name);

// The credit of these parts, found or made; empty parts are unknown, not both.
Result<std::int64_t> credit_id(Database& database, std::string_view photographer,
                               std::string_view rights_holder, std::string_view line);
Result<std::optional<CreditRecord>> read_credit(Database& database, std::optional<std::int64_t> id);
Result<std::optional<Licence>> read_licence(Database& database, std::optional<std::int64_t> id);

// Text forms of a credit and a licence for the audit log.
std::string describe(const CreditRecord& credit);
std::string describe(const Licence& licence);

// Gives the photo the entry's credit when it has none, and the entry's people when it shows
// nobody yet; each change is audited.
Result<void> adopt_entry_credit(Database& database, std::int64_t photo_id, std::int64_t entry_id,
                                std::string_view who);

}  // namespace pressroom::catalog
