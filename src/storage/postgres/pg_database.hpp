#pragma once
// PostgreSQL over a bounded pool. Write is BEGIN ... COMMIT (READ COMMITTED), retried as a whole
// on serialization failures and deadlocks; Read is a REPEATABLE READ READ ONLY transaction, so
// every statement in it sees the same snapshot.
#include <memory>
#include <string>

#include "storage/database.hpp"
#include "storage/postgres/pg_pool.hpp"

namespace corphub::storage::postgres {

struct PgOptions {
  std::string conninfo;
  int pool_size = 8;
  int connect_timeout_s = 5;
  int wait_timeout_ms = 5000;
};

class PgDatabase final : public Database {
 public:
  // Connects once, so that a wrong or unreachable target fails here with one clear message.
  static core::Result<std::unique_ptr<PgDatabase>> Open(const PgOptions& options);

  core::Status Write(const SqlFn& fn) override;
  core::Status Read(const SqlFn& fn) override;
  std::string_view Backend() const override { return "postgres"; }
  std::string Describe() const override { return "postgres " + target_.ToString(); }
  PoolStats Stats() const override { return pool_->Stats(); }

 private:
  PgDatabase(Target target, std::unique_ptr<PgPool> pool)
      : target_(std::move(target)), pool_(std::move(pool)) {}
  // A pooled connection inside a fresh transaction opened with `begin`.
  core::Result<PgPool::Lease> Begin(std::string_view begin);
  core::Status RunOnce(std::string_view begin, const SqlFn& fn, bool& retryable);

  Target target_;
  std::unique_ptr<PgPool> pool_;
};

}  // namespace corphub::storage::postgres
