#include "storage/postgres/pg_pool.hpp"

#include <utility>

namespace corphub::storage::postgres {

PgPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

PgPool::PgPool(ConnectFn connect, int max, std::chrono::milliseconds wait_timeout)
    : connect_(std::move(connect)), max_(max), wait_timeout_(wait_timeout) {}

void PgPool::Adopt(std::unique_ptr<PgConnection> conn) {
  std::lock_guard lock(mu_);
  ++open_;
  idle_.push_back(std::move(conn));
}

core::Result<PgPool::Lease> PgPool::Acquire() {
  std::vector<std::unique_ptr<PgConnection>> discarded;  // closed after the lock is released
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + wait_timeout_;
  bool waited = false;
  while (true) {
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->Usable()) {
        ++in_use_;
        return Lease(this, std::move(conn));
      }
      --open_;
      discarded.push_back(std::move(conn));
    }
    if (open_ < max_) {
      ++open_;
      ++in_use_;
      lock.unlock();
      auto conn = connect_();
      if (conn.ok()) return Lease(this, std::move(conn).value());
      lock.lock();
      --open_;
      --in_use_;
      cv_.notify_one();
      return std::move(conn).error();
    }
    if (!waited) {
      waited = true;
      ++waits_;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_) {
      ++timeouts_;
      return core::MakeError(core::ErrorKind::kUnavailable,
                             "all " + std::to_string(max_) +
                                 " PostgreSQL connections stayed busy for " +
                                 std::to_string(wait_timeout_.count()) + " ms");
    }
  }
}

void PgPool::Release(std::unique_ptr<PgConnection> conn) {
  {
    std::lock_guard lock(mu_);
    --in_use_;
    if (conn->Usable()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  cv_.notify_one();
  // A discarded connection is closed here, outside the lock.
}

PoolStats PgPool::Stats() const {
  std::lock_guard lock(mu_);
  return PoolStats{open_, in_use_, max_, waits_, timeouts_};
}

}  // namespace corphub::storage::postgres
