#pragma once
// A bounded pool of PostgreSQL connections, opened lazily. A caller waits at most wait_timeout
// for a free slot, then gets kUnavailable. Broken connections are discarded, never lent again.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "storage/storage_options.hpp"

namespace corphub::storage::postgres {

class PgPool {
 public:
  using ConnectFn = std::function<core::Result<std::unique_ptr<PgConnection>>()>;

  // A connection lent to one caller; returned to the pool (or discarded) when destroyed.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    PgConnection& operator*() const { return *conn_; }
    PgConnection* operator->() const { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  PgPool(ConnectFn connect, int max, std::chrono::milliseconds wait_timeout);

  // Adds an already open connection (the one Open made to check the target).
  void Adopt(std::unique_ptr<PgConnection> conn);
  core::Result<Lease> Acquire();
  PoolStats Stats() const;

 private:
  void Release(std::unique_ptr<PgConnection> conn);

  ConnectFn connect_;
  const int max_;
  const std::chrono::milliseconds wait_timeout_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;    // idle + lent + being opened
  int in_use_ = 0;  // lent + being opened
  std::uint64_t waits_ = 0;
  std::uint64_t timeouts_ = 0;
};

}  // namespace corphub::storage::postgres
