#pragma once
// Group commit: many callers' writes in one transaction, one fsync. Callers submit a piece of
// work; a writer thread takes everything queued (up to a bound), runs it in one transaction and
// tells each caller the outcome. If that transaction fails, each piece is run again alone, so one
// caller's failure is never another's. A piece may run more than once (that retry, and the
// backend's own retries), so it must only write through the unit and assign — not append — its
// outputs.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/thread_role.hpp"
#include "core/transactor.hpp"

namespace corphub::core {

template <class Unit>
class GroupCommitter {
 public:
  using Work = std::function<Status(Unit&)>;
  // Called on the writer thread once the outcome is durable (or known to have failed).
  using Done = std::function<void(Status)>;

  struct Stats {
    std::size_t batches = 0;
    std::size_t pieces = 0;
    std::size_t weight = 0;           // rows, as the pieces declared them
    std::size_t retried = 0;          // batches that failed and were retried piece by piece
    std::int64_t work_ns = 0;         // running the pieces' work inside the transactions
    std::int64_t transaction_ns = 0;  // whole transactions: begin, the work, commit (fsync)
  };

  // A batch ends at `max_pieces` pieces or once their weights (rows written) reach `max_weight`.
  GroupCommitter(Transactor<Unit>& store, std::size_t max_pieces = 512,
                 std::size_t max_weight = 200000)
      : store_(store), max_pieces_(max_pieces), max_weight_(max_weight) {}
  ~GroupCommitter() { Stop(); }
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void Start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    after_stopping_ = false;
    thread_ = std::thread([this] {
      NameThread("corphub-commit");
      Loop();
    });
    after_thread_ = std::thread([this] {
      NameThread("corphub-publish");
      AfterLoop();
    });
  }
  // Runs what is queued (and what it queued to run after), then stops both threads.
  // Submitting after Stop runs the work inline.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      if (!thread_.joinable()) return;
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
    {
      std::lock_guard lock(after_mu_);
      after_stopping_ = true;
    }
    after_cv_.notify_all();
    after_thread_.join();
  }

  // Runs `fn` on a thread of its own, in the order given, so that what follows a commit (live
  // delivery, which reads the inbox) neither holds up the next batch nor the answer. Inline
  // when the committer is not running.
  void AfterCommit(std::function<void()> fn) {
    {
      std::lock_guard lock(after_mu_);
      if (after_thread_.joinable() && !after_stopping_) {
        after_.push_back(std::move(fn));
        after_cv_.notify_one();
        return;
      }
    }
    fn();
  }

  void Submit(Work work, Done done, std::size_t weight = 1) {
    {
      std::lock_guard lock(mu_);
      if (thread_.joinable() && !stopping_) {
        queue_.push_back(Piece{std::move(work), std::move(done), weight});
        cv_.notify_one();
        return;
      }
    }
    Status status = store_.Write(work);
    done(std::move(status));
  }

  Stats GetStats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

 private:
  struct Piece {
    Work work;
    Done done;
    std::size_t weight = 1;
  };

  void Loop() {
    for (;;) {
      std::vector<Piece> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left
        std::size_t weight = 0;
        while (!queue_.empty() && batch.size() < max_pieces_ &&
               (batch.empty() || weight + queue_.front().weight <= max_weight_)) {
          weight += queue_.front().weight;
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        ++stats_.batches;
        stats_.pieces += batch.size();
        stats_.weight += weight;
      }
      Run(batch);
    }
  }

  void AfterLoop() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(after_mu_);
        after_cv_.wait(lock, [&] { return after_stopping_ || !after_.empty(); });
        if (after_.empty()) return;  // stopping, and nothing left
        fn = std::move(after_.front());
        after_.pop_front();
      }
      fn();
    }
  }

  void Run(std::vector<Piece>& batch) {
    using Steady = std::chrono::steady_clock;
    const auto begun = Steady::now();
    Steady::duration work{};
    Status status = store_.Write([&](Unit& unit) -> Status {
      const auto started = Steady::now();
      for (auto& piece : batch) {
        Status s = piece.work(unit);
        if (!s) return s;
      }
      work = Steady::now() - started;
      return Ok();
    });
    {
      std::lock_guard lock(mu_);
      stats_.work_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(work).count();
      stats_.transaction_ns +=
          std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now() - begun).count();
      if (!status && batch.size() > 1) ++stats_.retried;
    }
    if (status || batch.size() == 1) {
      for (auto& piece : batch) piece.done(status);
      return;
    }
    for (auto& piece : batch) piece.done(store_.Write(piece.work));
  }

  Transactor<Unit>& store_;
  const std::size_t max_pieces_;
  const std::size_t max_weight_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Piece> queue_;
  std::thread thread_;
  bool stopping_ = false;
  std::mutex after_mu_;
  std::condition_variable after_cv_;
  std::deque<std::function<void()>> after_;
  std::thread after_thread_;
  bool after_stopping_ = false;
  Stats stats_;
};

}  // namespace corphub::core
