#include "storage/postgres/pg_database.hpp"

#include <chrono>
#include <thread>
#include <utility>

#include "core/log.hpp"

namespace corphub::storage::postgres {
namespace {

// Runs of fn for one Write: the first and up to three retries after 40001/40P01.
constexpr int kWriteAttempts = 4;
// Pauses before the retries. A victim that retried at once would often take the contested row
// again before the surviving transaction got it (PostgreSQL grants an aborted holder's row to
// whoever asks first) and deadlock anew; a short pause lets the survivor finish.
constexpr std::chrono::milliseconds kRetryPause[kWriteAttempts - 1] = {
    std::chrono::milliseconds(10), std::chrono::milliseconds(40), std::chrono::milliseconds(100)};

class Transaction final : public Sql {
 public:
  explicit Transaction(PgConnection& conn) : conn_(conn) {}
  bool TakesArrays() const override { return true; }

 protected:
  core::Result<std::int64_t> DoExec(std::string_view sql, const Params& params) override {
    return conn_.Exec(sql, params);
  }
  core::Result<std::vector<Row>> DoQuery(std::string_view sql, const Params& params) override {
    return conn_.Query(sql, params);
  }
  core::Status DoExecScript(std::string_view script) override { return conn_.ExecScript(script); }

 private:
  PgConnection& conn_;
};

}  // namespace

core::Result<std::unique_ptr<PgDatabase>> PgDatabase::Open(const PgOptions& options) {
  ConnectSettings settings{options.conninfo, options.connect_timeout_s};
  auto first = PgConnection::Connect(settings);
  if (!first.ok()) return std::move(first).error();
  Target target = (*first)->target();
  auto pool = std::make_unique<PgPool>([settings] { return PgConnection::Connect(settings); },
                                       options.pool_size,
                                       std::chrono::milliseconds(options.wait_timeout_ms));
  pool->Adopt(std::move(first).value());
  return std::unique_ptr<PgDatabase>(new PgDatabase(std::move(target), std::move(pool)));
}

core::Result<PgPool::Lease> PgDatabase::Begin(std::string_view begin) {
  // An idle connection can have died unnoticed (server restart, network); nothing has run on it
  // yet, so BEGIN is tried again on another one, at most once per slot plus a fresh connection.
  core::Error last;
  for (int attempt = 0; attempt <= Stats().max; ++attempt) {
    auto lease = pool_->Acquire();
    if (!lease.ok()) return std::move(lease).error();
    (*lease)->ResetFailure();
    auto r = (*lease)->Exec(begin, {});
    if (r.ok()) return std::move(lease).value();
    if (!(*lease)->broken()) return r.error();
    last = r.error();
  }
  return last;
}

core::Status PgDatabase::RunOnce(std::string_view begin, const SqlFn& fn, bool& retryable) {
  retryable = false;
  auto lease = Begin(begin);
  if (!lease.ok()) return std::move(lease).error();
  PgConnection& conn = **lease;
  Transaction tx(conn);
  core::Status status;
  try {
    status = fn(tx);
  } catch (...) {
    conn.RollbackQuietly();
    throw;
  }
  if (status.ok() && tx.first_error()) status = *tx.first_error();
  if (status.ok()) {
    auto commit = conn.Exec("COMMIT", {});
    if (commit.ok()) return core::Ok();
    status = commit.error();
    if (conn.broken()) {
      return core::MakeError(core::ErrorKind::kUnavailable,
                             "the PostgreSQL connection was lost during COMMIT; the transaction "
                             "may or may not have been committed: " +
                                 status.error().message);
    }
  }
  retryable = conn.FailedRetryably();
  conn.RollbackQuietly();
  return status;
}

core::Status PgDatabase::Write(const SqlFn& fn) {
  for (int attempt = 1;; ++attempt) {
    bool retryable = false;
    core::Status status = RunOnce("BEGIN", fn, retryable);
    if (!retryable || attempt == kWriteAttempts) return status;
    core::Logger("storage")->debug("postgres write attempt {} of {} failed, retrying: {}", attempt,
                                   kWriteAttempts, status.error().message);
    // Never on an I/O thread: Store asserts that before any Write.
    std::this_thread::sleep_for(kRetryPause[attempt - 1]);
  }
}

core::Status PgDatabase::Read(const SqlFn& fn) {
  bool retryable = false;
  return RunOnce("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn, retryable);
}

}  // namespace corphub::storage::postgres
