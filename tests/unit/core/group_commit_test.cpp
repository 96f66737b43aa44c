// core::GroupCommitter over an in-memory "store": pieces share transactions, a failed batch is
// retried piece by piece, and what runs after a commit keeps commit order off the writer.
#include "core/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace corphub::core {
namespace {

// A unit is a list of applied values; a transaction applies its writes only when fn succeeds.
struct Unit {
  std::vector<int> writes;
};

class MemoryStore final : public Transactor<Unit> {
 public:
  Status Write(const std::function<Status(Unit&)>& fn) override {
    Unit u;
    Status s = fn(u);
    std::lock_guard lock(mu_);
    ++transactions_;
    if (s) applied_.insert(applied_.end(), u.writes.begin(), u.writes.end());
    return s;
  }
  Status Read(const std::function<Status(Unit&)>& fn) override {
    Unit u;
    return fn(u);
  }
  std::vector<int> Applied() {
    std::lock_guard lock(mu_);
    return applied_;
  }
  int Transactions() {
    std::lock_guard lock(mu_);
    return transactions_;
  }

 private:
  std::mutex mu_;
  std::vector<int> applied_;
  int transactions_ = 0;
};

TEST(GroupCommitterTest, AFailingPieceFailsAloneAndTheOthersAreCommitted) {
  MemoryStore store;
  GroupCommitter<Unit> committer(store);
  // Hold the writer so the next pieces queue up into one batch.
  std::promise<void> release;
  auto held = release.get_future().share();
  std::promise<Status> first_done;
  committer.Start();
  committer.Submit(
      [held](Unit& u) {
        held.wait();
        u.writes.push_back(0);
        return Ok();
      },
      [&](Status s) { first_done.set_value(s); });
  std::vector<std::promise<Status>> done(3);
  for (int i = 1; i <= 3; ++i) {
    committer.Submit(
        [i](Unit& u) -> Status {
          if (i == 2) return MakeError(ErrorKind::kInvalidArgument, "two fails");
          u.writes.push_back(i);
          return Ok();
        },
        [&done, i](Status s) { done[static_cast<std::size_t>(i - 1)].set_value(s); });
  }
  release.set_value();
  EXPECT_TRUE(first_done.get_future().get().ok());
  EXPECT_TRUE(done[0].get_future().get().ok());
  EXPECT_FALSE(done[1].get_future().get().ok());
  EXPECT_TRUE(done[2].get_future().get().ok());
  committer.Stop();
  EXPECT_EQ(store.Applied(), (std::vector<int>{0, 1, 3}));
  const auto stats = committer.GetStats();
  EXPECT_EQ(stats.pieces, 4u);
  EXPECT_EQ(stats.retried, 1u);
}

TEST(GroupCommitterTest, AfterCommitRunsInOrderOnAnotherThreadAndStopDrainsIt) {
  MemoryStore store;
  GroupCommitter<Unit> committer(store);
  committer.Start();
  std::mutex mu;
  std::vector<int> order;
  std::atomic<bool> on_writer{false};
  std::atomic<std::thread::id> writer;
  for (int i = 0; i < 50; ++i) {
    committer.Submit(
        [&writer, i](Unit& u) {
          writer.store(std::this_thread::get_id());
          u.writes.push_back(i);
          return Ok();
        },
        [&, i](Status s) {
          ASSERT_TRUE(s.ok());
          committer.AfterCommit([&, i] {
            if (std::this_thread::get_id() == writer.load()) on_writer = true;
            std::this_thread::sleep_for(std::chrono::microseconds(200));  // slower than commits
            std::lock_guard lock(mu);
            order.push_back(i);
          });
        });
  }
  committer.Stop();  // waits for the writer, then for everything queued after it
  std::vector<int> expected(50);
  for (int i = 0; i < 50; ++i) expected[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(order, expected);
  EXPECT_FALSE(on_writer) << "what follows a commit must not hold up the writer";

  bool inline_ran = false;
  committer.AfterCommit([&] { inline_ran = true; });
  EXPECT_TRUE(inline_ran) << "stopped: it runs at once";
}

}  // namespace
}  // namespace corphub::core
