#include "storage/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <utility>

#include "storage/sql.hpp"

namespace corphub::storage::sqlite {
namespace {

// Beyond this many distinct statements the cache starts over (repository SQL is a fixed set;
// this only bounds a caller that builds SQL text dynamically).
constexpr std::size_t kMaxCachedStatements = 256;

core::ErrorKind KindOf(int extended_rc) {
  if (extended_rc == SQLITE_CONSTRAINT_UNIQUE || extended_rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return core::ErrorKind::kAlreadyExists;
  }
  switch (extended_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
      return core::ErrorKind::kUnavailable;
    default:
      return core::ErrorKind::kInternal;
  }
}

// Resets the statement and drops its bindings (they point into the caller's Params).
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(stmt, i)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_BLOB: {
      const void* p = sqlite3_column_blob(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), n);
    }
    default: {
      const unsigned char* p = sqlite3_column_text(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
    }
  }
}

}  // namespace

core::Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Role role,
                                                           int busy_timeout_ms) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == Role::kWriter) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return core::MakeError(core::ErrorKind::kUnavailable,
                           "cannot open SQLite database at " + path + ": " + reason);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  std::unique_ptr<Connection> conn(new Connection(db));

  auto fail = [&path](const core::Error& e) {
    return core::MakeError(e.kind, "cannot set up SQLite database at " + path + ": " + e.message);
  };
  if (role == Role::kWriter) {
    auto mode = conn->Query("PRAGMA journal_mode=WAL", {});
    if (!mode.ok()) return fail(mode.error());
    if (mode->empty() || (*mode)[0].GetString(0) != "wal") {
      return core::MakeError(core::ErrorKind::kUnavailable,
                             "cannot switch SQLite database at " + path + " to WAL mode");
    }
    // A 64 MiB page cache for the writer (SQLite's default is 2 MiB): a large import touches
    // every index of members at once, and re-reading evicted pages is what made it slow.
    // Checkpoints run on a thread of their own (SqliteDatabase); the writer checkpoints itself
    // only when the WAL passes 10,000 pages, as a backstop, so a commit rarely waits for one.
    for (const char* pragma :
         {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-65536",
          "PRAGMA wal_autocheckpoint=10000", "PRAGMA temp_store=MEMORY"}) {
      auto r = conn->Exec(pragma, {});
      if (!r.ok()) return fail(r.error());
    }
  } else {
    for (const char* pragma :
         {"PRAGMA query_only=1", "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-16384"}) {
      auto r = conn->Exec(pragma, {});
      if (!r.ok()) return fail(r.error());
    }
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

core::Result<sqlite3_stmt*> Connection::Prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return LastError(rc, "prepare", sql);
  std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (stmt == nullptr || rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    return core::MakeError(
        core::ErrorKind::kInternal,
        "sqlite prepare: want exactly one statement in `" + StatementHead(sql) + "`");
  }
  if (cache_.size() >= kMaxCachedStatements) {
    for (auto& [text, cached] : cache_) sqlite3_finalize(cached);
    cache_.clear();
  }
  cache_.emplace(std::string(sql), stmt);
  return stmt;
}

core::Status Connection::Bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params) {
  int want = sqlite3_bind_parameter_count(stmt);
  if (want != static_cast<int>(params.size())) {
    return core::MakeError(core::ErrorKind::kInternal, "sqlite bind: `" + StatementHead(sql) +
                                                           "` takes " + std::to_string(want) +
                                                           " parameters, got " +
                                                           std::to_string(params.size()));
  }
  for (int i = 0; i < want; ++i) {
    const Value& v = params[static_cast<std::size_t>(i)];
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i + 1, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // No destructor (SQLITE_STATIC): the text outlives the step, the binding is cleared after.
      rc = sqlite3_bind_text64(stmt, i + 1, s->data(), s->size(), nullptr, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, i + 1);
    }
    if (rc != SQLITE_OK) return LastError(rc, "bind", sql);
  }
  return core::Ok();
}

core::Result<std::int64_t> Connection::Exec(std::string_view sql, const Params& params) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  ResetOnExit reset(*stmt);
  CORPHUB_TRY(Bind(*stmt, sql, params));
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = sqlite3_step(*stmt);
  if (rc != SQLITE_DONE) return LastError(rc, "exec", sql);
  return std::int64_t{sqlite3_changes64(db_)};
}

core::Result<std::vector<Row>> Connection::Query(std::string_view sql, const Params& params) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return std::move(stmt).error();
  ResetOnExit reset(*stmt);
  CORPHUB_TRY(Bind(*stmt, sql, params));
  std::vector<Row> rows;
  int columns = sqlite3_column_count(*stmt);
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    std::vector<Value> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) cells.push_back(ColumnValue(*stmt, i));
    rows.emplace_back(std::move(cells));
  }
  if (rc != SQLITE_DONE) return LastError(rc, "query", sql);
  return rows;
}

core::Status Connection::ExecScript(std::string_view script) {
  std::string text(script);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text as sqlite3_errmsg, which LastError reads
  if (rc != SQLITE_OK) return LastError(rc, "script", script);
  return core::Ok();
}

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Connection::RollbackQuietly() {
  if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

core::Error Connection::LastError(int rc, std::string_view op, std::string_view sql) const {
  int extended = sqlite3_extended_errcode(db_);
  if ((extended & 0xff) != (rc & 0xff)) extended = rc;
  return core::MakeError(KindOf(extended), "sqlite " + std::string(op) + " `" + StatementHead(sql) +
                                               "`: " + sqlite3_errmsg(db_));
}

}  // namespace corphub::storage::sqlite
