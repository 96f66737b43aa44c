#pragma once
// Offload(pool, fn): runs blocking `fn` on the worker pool and resumes the calling coroutine
// on its own executor with the result (or the exception fn threw).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>

namespace corphub::core {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads) : pool_(std::in_place, threads), threads_(threads) {}
  ~WorkerPool() { Stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  boost::asio::thread_pool::executor_type Executor() { return pool_->get_executor(); }
  std::size_t Threads() const { return threads_; }
  // Work posted and not yet finished (queued plus running).
  long Pending() const { return pending_.load(std::memory_order_relaxed); }
  // Waits for running work; work still queued is destroyed, not run (with the coroutines that
  // wait for it), so call Stop while what that work refers to (the server) is still alive.
  // Posting after Stop is a bug.
  void Stop() {
    if (!pool_) return;
    pool_->stop();
    pool_->join();
    pool_.reset();
  }

  template <class F>
  void Post(F&& f) {
    pending_.fetch_add(1, std::memory_order_relaxed);
    boost::asio::post(*pool_, [this, f = std::forward<F>(f)]() mutable {
      f();
      pending_.fetch_sub(1, std::memory_order_relaxed);
    });
  }

 private:
  std::optional<boost::asio::thread_pool> pool_;
  std::size_t threads_;
  std::atomic<long> pending_{0};
};

template <class F>
auto Offload(WorkerPool& pool, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  using Slot = std::conditional_t<std::is_void_v<R>, bool, std::optional<R>>;
  Slot slot{};
  std::exception_ptr failure;
  co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
      [&](auto handler) {
        auto resume_on = boost::asio::get_associated_executor(handler);
        pool.Post([&, handler = std::move(handler), resume_on]() mutable {
          try {
            if constexpr (std::is_void_v<R>) {
              fn();
            } else {
              slot.emplace(fn());
            }
          } catch (...) {
            failure = std::current_exception();
          }
          boost::asio::post(resume_on, std::move(handler));
        });
      },
      boost::asio::use_awaitable);
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<R>) co_return std::move(*slot);
}

}  // namespace corphub::core
