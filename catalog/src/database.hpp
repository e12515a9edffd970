#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "core/error.hpp"

namespace pressroom::catalog {

// One prepared statement, finalized by the destructor. Use it only on its connection's thread.
class Statement {
 public:
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  // 1-based, as in SQLite. SQLite copies text. nullopt binds NULL.
  Result<void> bind(int index, std::string_view text);
  Result<void> bind(int index, const std::optional<std::string>& text);
  Result<void> bind(int index, std::int64_t number);
  Result<void> bind(int index, const std::optional<std::int64_t>& number);
  Result<bool> step();  // true: a row is ready; false: done
  // Runs a statement that returns no rows (INSERT, UPDATE, DELETE).
  Result<void> run();
  // Ready to run again, with every parameter NULL.
  void reset();
  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  std::int64_t column_int(int index) const;
  std::optional<std::int64_t> column_optional_int(int index) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
  Result<void> check_bind(int code);

  sqlite3* m_db;  // not owned: the Database outlives its statements
  std::unique_ptr<sqlite3_stmt, Finalize> m_stmt;
};

// One SQLite connection. Move-only; closed by the destructor.
class Database {
 public:
  enum class Mode { open_existing, create_if_missing };
  // Errors: not_found (Mode::open_existing and no file), database.
  static Result<Database> open(const std::filesystem::path& file, Mode mode);

  sqlite3* handle() const { return m_db.get(); }
  const std::string& name() const { return m_name; }

  Result<void> execute(std::string_view sql);  // one or more statements, no results
  Result<Statement> prepare(std::string_view sql) { return Statement::prepare(m_db.get(), sql); }
  // Runs `body` in BEGIN IMMEDIATE … COMMIT; rolls back when `body` fails or COMMIT does.
  Result<void> transaction(const std::function<Result<void>()>& body);

 private:
  struct Close {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
  };
  Database(std::unique_ptr<sqlite3, Close> db, std::string name)
      : m_db(std::move(db)), m_name(std::move(name)) {}

  std::unique_ptr<sqlite3, Close> m_db;
  std::string m_name;  // the file, for error subjects
};

// The connection's last error as an Error with code database.
Error database_error(sqlite3* db, std::string_view what);

}  // namespace pressroom::catalog
