#include "storage/sqlite/sqlite_database.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

#include "core/thread_role.hpp"

namespace corphub::storage::sqlite {
namespace {

class Transaction final : public Sql {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) {}

 protected:
  core::Result<std::int64_t> DoExec(std::string_view sql, const Params& params) override {
    return conn_.Exec(sql, params);
  }
  core::Result<std::vector<Row>> DoQuery(std::string_view sql, const Params& params) override {
    return conn_.Query(sql, params);
  }
  core::Status DoExecScript(std::string_view script) override { return conn_.ExecScript(script); }

 private:
  Connection& conn_;
};

// BEGIN, fn, COMMIT; any failure or exception rolls back.
core::Status RunTransaction(Connection& conn, std::string_view begin, const SqlFn& fn) {
  conn.RollbackQuietly();  // a previous transaction can never leak into this one
  CORPHUB_TRY(conn.Exec(begin, {}));
  Transaction tx(conn);
  core::Status status;
  try {
    status = fn(tx);
  } catch (...) {
    conn.RollbackQuietly();
    throw;
  }
  if (status.ok() && tx.first_error()) status = *tx.first_error();
  if (!status.ok()) {
    conn.RollbackQuietly();
    return status;
  }
  auto commit = conn.Exec("COMMIT", {});
  if (!commit.ok()) {
    conn.RollbackQuietly();
    return commit.error();
  }
  return core::Ok();
}

}  // namespace

core::Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                                   int readers,
                                                                   int busy_timeout_ms) {
  std::error_code ec;
  std::filesystem::path file = std::filesystem::absolute(path, ec);
  if (ec) file = path;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return core::MakeError(core::ErrorKind::kUnavailable,
                             "cannot create directory " + file.parent_path().string() +
                                 " for the SQLite database: " + ec.message());
    }
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(file.string(), busy_timeout_ms));
  auto writer = Connection::Open(db->path_, Role::kWriter, busy_timeout_ms);
  if (!writer.ok()) return std::move(writer).error();
  db->writer_ = std::move(writer).value();
  for (int i = 0; i < readers; ++i) {
    auto reader = Connection::Open(db->path_, Role::kReader, busy_timeout_ms);
    if (!reader.ok()) return std::move(reader).error();
    db->idle_readers_.push_back(std::move(reader).value());
  }
  db->reader_count_ = readers;
  auto checkpointer = Connection::Open(db->path_, Role::kWriter, busy_timeout_ms);
  if (!checkpointer.ok()) return std::move(checkpointer).error();
  db->checkpointer_ = std::move(checkpointer).value();
  SqliteDatabase* raw = db.get();
  db->checkpoints_ = std::jthread([raw](std::stop_token stop) {
    core::NameThread("corphub-ckpt");
    raw->Checkpoints(stop);
  });
  return db;
}

void SqliteDatabase::Checkpoints(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  while (!cv.wait_for(lock, stop, kCheckpointEvery, [] { return false; })) {
    if (stop.stop_requested()) return;
    // PASSIVE: copies what no reader still needs, never waits for the writer or readers. A
    // failure (the file is busy) is retried at the next tick.
    (void)checkpointer_->Query("PRAGMA wal_checkpoint(PASSIVE)", {});
  }
}

core::Status SqliteDatabase::Write(const SqlFn& fn) {
  std::unique_lock lock(writer_mu_, std::try_to_lock);
  if (!lock.owns_lock()) {
    ++waits_;
    if (!lock.try_lock_for(wait_timeout_)) {
      ++timeouts_;
      return core::MakeError(
          core::ErrorKind::kUnavailable,
          "the SQLite writer stayed busy for " + std::to_string(wait_timeout_.count()) + " ms");
    }
  }
  writer_in_use_ = true;
  struct InUse {
    std::atomic<bool>& flag;
    ~InUse() { flag = false; }
  } in_use{writer_in_use_};
  return RunTransaction(*writer_, "BEGIN IMMEDIATE", fn);
}

core::Status SqliteDatabase::Read(const SqlFn& fn) {
  auto conn = AcquireReader();
  if (!conn.ok()) return std::move(conn).error();
  struct Lease {
    SqliteDatabase& db;
    std::unique_ptr<Connection> conn;
    ~Lease() { db.ReleaseReader(std::move(conn)); }
  } lease{*this, std::move(conn).value()};
  // Deferred: the snapshot is taken by the first read and held until the end.
  return RunTransaction(*lease.conn, "BEGIN", fn);
}

core::Result<std::unique_ptr<Connection>> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(readers_mu_);
  if (idle_readers_.empty()) {
    ++waits_;
    if (!readers_cv_.wait_for(lock, wait_timeout_, [this] { return !idle_readers_.empty(); })) {
      ++timeouts_;
      return core::MakeError(core::ErrorKind::kUnavailable,
                             "all " + std::to_string(reader_count_) +
                                 " SQLite readers stayed busy for " +
                                 std::to_string(wait_timeout_.count()) + " ms");
    }
  }
  auto conn = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return conn;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(std::move(conn));
  }
  readers_cv_.notify_one();
}

PoolStats SqliteDatabase::Stats() const {
  PoolStats stats;
  std::lock_guard lock(readers_mu_);
  stats.max = 1 + reader_count_;
  stats.open = 1 + reader_count_;
  stats.in_use = (writer_in_use_ ? 1 : 0) + reader_count_ - static_cast<int>(idle_readers_.size());
  stats.waits = waits_;
  stats.timeouts = timeouts_;
  return stats;
}

}  // namespace corphub::storage::sqlite
