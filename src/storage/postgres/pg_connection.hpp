#pragma once
// One libpq connection. Not thread-safe: the pool lends it to one transaction at a time. Once a
// connection-class error is seen it is broken for good and the pool discards it.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "storage/postgres/conninfo.hpp"
#include "storage/row.hpp"
#include "storage/value.hpp"

struct pg_conn;
struct pg_result;

namespace corphub::storage::postgres {

struct ConnectSettings {
  std::string conninfo;  // URI or keyword string, as the operator wrote it
  int connect_timeout_s = 5;
};

class PgConnection {
 public:
  // Blocks for at most connect_timeout_s per host. The error says where it tried and why:
  // "cannot connect to PostgreSQL at host:port/db as user: <reason>", without the password.
  static core::Result<std::unique_ptr<PgConnection>> Connect(const ConnectSettings& settings);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  core::Result<std::int64_t> Exec(std::string_view sql, const Params& params);
  core::Result<std::vector<Row>> Query(std::string_view sql, const Params& params);
  core::Status ExecScript(std::string_view script);

  // Forgets the previous transaction's failure (called at BEGIN).
  void ResetFailure() { failed_sqlstate_.clear(); }
  // SQLSTATE of the first statement that failed since ResetFailure(); empty if none.
  const std::string& failed_sqlstate() const { return failed_sqlstate_; }
  bool FailedRetryably() const;

  bool Usable() const;  // not broken, and idle (outside a transaction)
  bool broken() const { return broken_; }
  void RollbackQuietly();
  const Target& target() const { return target_; }

 private:
  PgConnection(pg_conn* conn, Target target, std::string password)
      : conn_(conn), target_(std::move(target)), password_(std::move(password)) {}
  // Runs a statement; a null or failed result becomes an error (and may mark this broken).
  core::Result<std::unique_ptr<pg_result, void (*)(pg_result*)>> Run(std::string_view op,
                                                                     std::string_view sql,
                                                                     const Params& params);
  core::Error Failure(pg_result* result, std::string_view op, std::string_view sql);
  // The name of the session's prepared statement for `sql` (prepared now when it is new), so
  // a statement is parsed once per connection rather than on every call.
  core::Result<std::string> Prepared(std::string_view op, const std::string& sql, int params);

  pg_conn* conn_;
  Target target_;
  std::string password_;  // to redact server messages, never shown
  bool broken_ = false;
  std::string failed_sqlstate_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::size_t next_statement_ = 0;
};

}  // namespace corphub::storage::postgres
