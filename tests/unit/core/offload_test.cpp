#include "core/offload.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace corphub::core {
namespace {

namespace asio = boost::asio;

// Runs `body` as a coroutine on `io` until it finishes; rethrows what escaped it.
void RunCoroutine(asio::io_context& io, std::function<asio::awaitable<void>()> body) {
  std::exception_ptr escaped;
  bool finished = false;
  asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) {
    escaped = e;
    finished = true;
  });
  io.run();
  ASSERT_TRUE(finished) << "io_context ran out of work before the coroutine finished";
  if (escaped) std::rethrow_exception(escaped);
}

TEST(OffloadTest, RunsOnAPoolThreadAndResumesOnTheIoThread) {
  asio::io_context io;
  WorkerPool pool(2);
  const auto io_thread = std::this_thread::get_id();  // io.run() runs here
  std::thread::id fn_thread;
  std::thread::id resumed_thread;
  bool resumed_in_io_context = false;
  int result = 0;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    result = co_await Offload(pool, [&] {
      fn_thread = std::this_thread::get_id();
      return 6 * 7;
    });
    resumed_thread = std::this_thread::get_id();
    resumed_in_io_context = io.get_executor().running_in_this_thread();
  });
  EXPECT_EQ(result, 42);
  EXPECT_NE(fn_thread, std::thread::id{});
  EXPECT_NE(fn_thread, io_thread);
  EXPECT_EQ(resumed_thread, io_thread);
  EXPECT_TRUE(resumed_in_io_context);
}

TEST(OffloadTest, ReturnsMoveOnlyValues) {
  asio::io_context io;
  WorkerPool pool(1);
  std::unique_ptr<std::string> got;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    got = co_await Offload(pool, [] { return std::make_unique<std::string>("from the pool"); });
  });
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, "from the pool");
}

TEST(OffloadTest, PropagatesExceptionsToTheIoThread) {
  asio::io_context io;
  WorkerPool pool(1);
  const auto io_thread = std::this_thread::get_id();
  std::string caught;
  std::thread::id caught_on;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    try {
      co_await Offload(pool, []() -> int { throw std::runtime_error("disk on fire"); });
    } catch (const std::runtime_error& e) {
      caught = e.what();
      caught_on = std::this_thread::get_id();
    }
  });
  EXPECT_EQ(caught, "disk on fire");
  EXPECT_EQ(caught_on, io_thread);
}

TEST(OffloadTest, VoidFunctionsWork) {
  asio::io_context io;
  WorkerPool pool(1);
  const auto io_thread = std::this_thread::get_id();
  std::thread::id fn_thread;
  bool resumed = false;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    co_await Offload(pool, [&] { fn_thread = std::this_thread::get_id(); });
    resumed = true;
  });
  EXPECT_TRUE(resumed);
  EXPECT_NE(fn_thread, std::thread::id{});
  EXPECT_NE(fn_thread, io_thread);
}

TEST(OffloadTest, VoidFunctionsPropagateExceptions) {
  asio::io_context io;
  WorkerPool pool(1);
  bool caught = false;
  RunCoroutine(io, [&]() -> asio::awaitable<void> {
    try {
      co_await Offload(pool, [] { throw std::logic_error("bug"); });
    } catch (const std::logic_error&) {
      caught = true;
    }
  });
  EXPECT_TRUE(caught);
}

TEST(OffloadTest, ManySequentialAndConcurrentCallsComplete) {
  asio::io_context io;
  WorkerPool pool(2);
  constexpr int kCoroutines = 8;
  constexpr int kEach = 25;
  long total = 0;
  int finished = 0;
  for (int c = 0; c < kCoroutines; ++c) {
    asio::co_spawn(
        io,
        [&, c]() -> asio::awaitable<void> {
          for (int i = 0; i < kEach; ++i) {
            total += co_await Offload(pool, [c, i] { return c * 1000 + i; });
          }
          ++finished;
        },
        asio::detached);
  }
  io.run();
  long expected = 0;
  for (int c = 0; c < kCoroutines; ++c) {
    for (int i = 0; i < kEach; ++i) expected += c * 1000 + i;
  }
  EXPECT_EQ(finished, kCoroutines);
  EXPECT_EQ(total, expected);  // `total` is touched only on the io thread
  pool.Stop();
  EXPECT_EQ(pool.Pending(), 0);
}

TEST(OffloadTest, PendingCountsRunningWorkAndReturnsToZero) {
  asio::io_context io;
  WorkerPool pool(1);
  EXPECT_EQ(pool.Threads(), 1u);
  EXPECT_EQ(pool.Pending(), 0);
  std::promise<void> started;
  std::promise<void> release;
  auto release_future = release.get_future();
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await Offload(pool, [&] {
          started.set_value();
          release_future.wait();
        });
        done = true;
      },
      asio::detached);
  std::thread io_thread([&] { io.run(); });
  started.get_future().wait();
  EXPECT_EQ(pool.Pending(), 1);  // running, not finished
  release.set_value();
  io_thread.join();
  EXPECT_TRUE(done);
  pool.Stop();  // joins the pool thread, so its bookkeeping is complete
  EXPECT_EQ(pool.Pending(), 0);
}

}  // namespace
}  // namespace corphub::core
