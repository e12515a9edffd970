#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "database.hpp"

namespace pressroom::catalog {

// The full-text index of the catalog, a Xapian database beside the SQLite file
// ("catalog.sqlite-search/"). SQLite is the truth; the index is derived from it and can always
// be rebuilt. Changes reach it through the search_pending table, which triggers fill in the
// same transaction as the change: update() indexes what is pending, commits the index, and
// only then removes what it indexed. A crash between the two leaves work pending, not lost.
// Xapian lets one process write at a time; a second one finds the index locked and leaves
// the pending work to the first.
class SearchIndex {
 public:
  // `directory` empty: an index in memory (for a ":memory:" catalog). When the index on disk
  // is missing or was built for another catalog (a restored backup), every photo is marked
  // pending so that it is built again. Errors: database.
  static Result<std::unique_ptr<SearchIndex>> open(Database& database,
                                                   const std::filesystem::path& directory);
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;
  SearchIndex(SearchIndex&&) = delete;
  SearchIndex& operator=(SearchIndex&&) = delete;
  ~SearchIndex();

  // Indexes every pending photo, and compacts the index after a large catch-up. Errors:
  // database (SQLite or Xapian failed).
  Result<void> update(Database& database);
  // Empties the index, indexes every photo again and compacts it.
  Result<void> rebuild(Database& database);
  // Replaces the index by a compacted copy (on disk; in memory there is nothing to do).
  Result<void> compact();
  // `person_ids`: for query.person, the people whose names have all its words.
  Result<SearchPage> search(const SearchQuery& query, const std::vector<std::int64_t>& person_ids);
  Result<std::int64_t> document_count();

 private:
  struct State;
  // update() without the compaction; `indexed` counts the documents written.
  Result<void> catch_up(Database& database, std::int64_t& indexed);
  // One attempt; throws Xapian::DatabaseModifiedError for search() to retry.
  Result<SearchPage> search_once(const SearchQuery& query,
                                 const std::vector<std::int64_t>& person_ids);
  explicit SearchIndex(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

// The query text with every word folded for search and the operators (AND, OR, NOT, XOR,
// NEAR) kept as they are written, upper case: "Straße NOT Köln" → "strasse NOT koln".
std::string fold_query(std::string_view text);

}  // namespace pressroom::catalog
