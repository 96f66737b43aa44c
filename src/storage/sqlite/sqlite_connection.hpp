#pragma once
// One SQLite connection with its prepared-statement cache. Not thread-safe: SqliteDatabase lends
// each connection to one transaction at a time.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "storage/row.hpp"
#include "storage/value.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace corphub::storage::sqlite {

enum class Role { kWriter, kReader };

class Connection {
 public:
  // The writer creates the file if missing and sets WAL, synchronous=FULL and foreign keys;
  // a reader is query_only.
  static core::Result<std::unique_ptr<Connection>> Open(const std::string& path, Role role,
                                                        int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  core::Result<std::int64_t> Exec(std::string_view sql, const Params& params);
  core::Result<std::vector<Row>> Query(std::string_view sql, const Params& params);
  core::Status ExecScript(std::string_view script);

  bool InTransaction() const;
  // Ends an open transaction, if any; errors are ignored (SQLite then rolls back itself).
  void RollbackQuietly();

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using StatementCache =
      std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>>;

  explicit Connection(sqlite3* db) : db_(db) {}
  core::Result<sqlite3_stmt*> Prepare(std::string_view sql);
  core::Status Bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params);
  core::Error LastError(int rc, std::string_view op, std::string_view sql) const;

  sqlite3* db_;
  StatementCache cache_;
};

}  // namespace corphub::storage::sqlite
