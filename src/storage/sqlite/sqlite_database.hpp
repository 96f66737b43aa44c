#pragma once
// SQLite in WAL mode: one writer connection (writes are serialized by a mutex and BEGIN
// IMMEDIATE) and a pool of read-only connections, each Read a deferred BEGIN over one snapshot.
// A thread of its own copies the WAL back into the database (PASSIVE checkpoints, every
// kCheckpointEvery), so commits do not pay for checkpoints.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace corphub::storage::sqlite {

class SqliteDatabase final : public Database {
 public:
  // Creates the file's directory when missing. readers >= 1.
  static core::Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, int readers,
                                                            int busy_timeout_ms);

  core::Status Write(const SqlFn& fn) override;
  core::Status Read(const SqlFn& fn) override;
  std::string_view Backend() const override { return "sqlite"; }
  std::string Describe() const override { return "sqlite " + path_; }
  PoolStats Stats() const override;

 private:
  SqliteDatabase(std::string path, int busy_timeout_ms) noexcept
      : path_(std::move(path)), wait_timeout_(busy_timeout_ms) {}
  core::Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);

  std::string path_;
  std::chrono::milliseconds wait_timeout_;

  std::timed_mutex writer_mu_;  // held for a whole write transaction
  std::unique_ptr<Connection> writer_;
  std::atomic<bool> writer_in_use_{false};

  mutable std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int reader_count_ = 0;

  std::atomic<std::uint64_t> waits_{0};
  std::atomic<std::uint64_t> timeouts_{0};

  static constexpr std::chrono::milliseconds kCheckpointEvery{250};
  void Checkpoints(std::stop_token stop);
  std::unique_ptr<Connection> checkpointer_;
  std::jthread checkpoints_;  // last: stopped and joined before the connections close
};

}  // namespace corphub::storage::sqlite
