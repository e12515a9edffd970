#include "database.hpp"

namespace pressroom::catalog {

Error database_error(sqlite3* db, std::string_view what) {
  const char* file = sqlite3_db_filename(db, "main");
  const std::string subject = (file != nullptr && *file != '\0') ? file : ":memory:";
  return Error{Errc::database, subject, std::string(what) + ": " + sqlite3_errmsg(db)};
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int code = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  Statement statement(db, stmt);  // owns stmt from here, on every path
  if (code != SQLITE_OK) {
    return fail(database_error(db, "cannot prepare a statement"));
  }
  return statement;
}

Result<void> Statement::check_bind(int code) {
  if (code != SQLITE_OK) {
    return fail(database_error(m_db, "cannot bind a value"));
  }
  return {};
}

Result<void> Statement::bind(int index, std::string_view text) {
  return check_bind(sqlite3_bind_text(m_stmt.get(), index, text.data(),
                                      static_cast<int>(text.size()), SQLITE_TRANSIENT));
}

Result<void> Statement::bind(int index, const std::optional<std::string>& text) {
  if (!text) {
    return check_bind(sqlite3_bind_null(m_stmt.get(), index));
  }
  return bind(index, std::string_view(*text));
}

Result<void> Statement::bind(int index, std::int64_t number) {
  return check_bind(sqlite3_bind_int64(m_stmt.get(), index, number));
}

Result<void> Statement::bind(int index, const std::optional<std::int64_t>& number) {
  if (!number) {
    return check_bind(sqlite3_bind_null(m_stmt.get(), index));
  }
  return bind(index, *number);
}

Result<void> Statement::run() {
  auto done = step();
  if (!done) {
    return fail(done.error());
  }
  return {};
}

void Statement::reset() {
  sqlite3_reset(m_stmt.get());
  sqlite3_clear_bindings(m_stmt.get());
}

Result<bool> Statement::step() {
  const int code = sqlite3_step(m_stmt.get());
  if (code == SQLITE_ROW) {
    return true;
  }
  if (code == SQLITE_DONE) {
    return false;
  }
  return fail(database_error(m_db, "statement failed"));
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(m_stmt.get(), index);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), index))};
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (sqlite3_column_type(m_stmt.get(), index) == SQLITE_NULL) {
    return std::nullopt;
  }
  return column_text(index);
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(m_stmt.get(), index);
}

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
  if (sqlite3_column_type(m_stmt.get(), index) == SQLITE_NULL) {
    return std::nullopt;
  }
  return column_int(index);
}

Result<Database> Database::open(const std::filesystem::path& file, Mode mode) {
  const std::string name = file.string();
  if (mode == Mode::open_existing && name != ":memory:" && !std::filesystem::exists(file)) {
    return fail(Errc::not_found, name, "no such catalog");
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == Mode::create_if_missing) {
    flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* raw = nullptr;
  const int code = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, Close> db(raw);  // sqlite3_open_v2 may allocate even on failure
  if (code != SQLITE_OK) {
    const std::string reason = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(code);
    return fail(Errc::database, name, "cannot open the catalog: " + reason);
  }
  sqlite3_extended_result_codes(raw, 1);
  // Another process (a second import, a reader) may hold the write lock for a moment.
  sqlite3_busy_timeout(raw, 10'000);
  return Database(std::move(db), name);
}

Result<void> Database::execute(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message != nullptr ? message : sqlite3_errmsg(m_db.get());
    sqlite3_free(message);
    return fail(Errc::database, m_name, reason);
  }
  return {};
}

Result<void> Database::transaction(const std::function<Result<void>()>& body) {
  if (auto begun = execute("BEGIN IMMEDIATE"); !begun) {
    return begun;
  }
  auto done = body();
  if (done) {
    done = execute("COMMIT");
  }
  if (!done) {
    // Best effort: after a failed COMMIT SQLite may have rolled back already.
    (void)execute("ROLLBACK");
  }
  return done;
}

}  // namespace pressroom::catalog
