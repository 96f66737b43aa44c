// Store as the app uses it: many threads, connection pools and their stats, the I/O-thread
// guard, Ping, Backend and Describe.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/thread_role.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using diagnostics::ProbeUnit;
using ProbeTransactor = core::Transactor<ProbeUnit>;

TEST_P(StoreTest, FourThreadsTimesTwoHundredWritesAllLand) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  constexpr int kThreads = 4;
  constexpr int kWrites = 200;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto s = probes.Write([&](ProbeUnit& unit) { return unit.Probes().Insert(key, key); });
        if (!s.ok()) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int f : failures) EXPECT_EQ(f, 0);

  std::vector<std::string> keys;
  ASSERT_TRUE(probes
                  .Read([&](ProbeUnit& unit) -> core::Status {
                    keys = *unit.Probes().Keys();
                    return core::Ok();
                  })
                  .ok());
  std::set<std::string> expected;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWrites; ++i)
      expected.insert("t" + std::to_string(t) + "-" + std::to_string(i));
  }
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), expected);
  EXPECT_EQ(keys.size(), expected.size());
}

TEST_P(StoreTest, StatsDescribeThePool) {
  options_.sqlite_readers = 3;
  options_.pool_size = 5;
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  PoolStats idle = store->Stats();
  EXPECT_EQ(idle.in_use, 0);
  if (GetParam() == TestBackend::kSqlite) {
    EXPECT_EQ(idle.max, 4);  // the writer and three readers
    EXPECT_EQ(idle.open, 4);
  } else {
    EXPECT_EQ(idle.max, 5);
    EXPECT_GE(idle.open, 1);  // Open connected once; the rest open on demand
    EXPECT_LE(idle.open, 5);
  }
  PoolStats during_write;
  PoolStats during_read;
  ProbeTransactor& probes = *store;
  auto write = probes.Write([&](ProbeUnit&) {
    during_write = store->Stats();
    return core::Ok();
  });
  auto read = probes.Read([&](ProbeUnit&) {
    during_read = store->Stats();
    return core::Ok();
  });
  ASSERT_TRUE(write.ok());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(during_write.in_use, 1);
  EXPECT_EQ(during_read.in_use, 1);
  EXPECT_EQ(store->Stats().in_use, 0);
  EXPECT_EQ(store->Stats().timeouts, 0u);
}

TEST_P(StoreTest, BusyPoolTimesOutWithUnavailable) {
  options_.sqlite_readers = 1;
  options_.pool_size = 1;
  options_.busy_timeout_ms = 100;
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;

  for (bool write : {true, false}) {
    std::promise<void> holding;
    std::promise<void> release;
    auto run = [&](ProbeUnit&) {
      holding.set_value();
      release.get_future().wait();
      return core::Ok();
    };
    std::thread holder([&] { EXPECT_TRUE((write ? probes.Write(run) : probes.Read(run)).ok()); });
    holding.get_future().wait();
    const PoolStats before = store->Stats();
    EXPECT_EQ(before.in_use, 1);

    auto noop = [](ProbeUnit&) { return core::Ok(); };
    core::Status blocked = write ? probes.Write(noop) : probes.Read(noop);
    release.set_value();
    holder.join();

    ASSERT_FALSE(blocked.ok()) << (write ? "write" : "read");
    EXPECT_EQ(blocked.error().kind, core::ErrorKind::kUnavailable) << blocked.error().message;
    const PoolStats after = store->Stats();
    EXPECT_EQ(after.timeouts, before.timeouts + 1);
    EXPECT_GE(after.waits, before.waits + 1);
    EXPECT_EQ(after.in_use, 0);
    // Once the holder is done, the same call goes through.
    EXPECT_TRUE((write ? probes.Write(noop) : probes.Read(noop)).ok());
  }
}

TEST_P(StoreTest, BlockingCallsOnAnIoThreadThrow) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  core::Transactor<admin::AdminUnit>& admins = *store;
  int thrown = 0;
  std::thread io([&] {
    core::MarkIoThread();
    auto expect_throw = [&](auto&& call) {
      try {
        (void)call();
      } catch (const std::logic_error&) {
        ++thrown;
      }
    };
    expect_throw([&] { return store->Ping(); });
    expect_throw([&] { return store->Migrate(); });
    expect_throw([&] { return store->SchemaVersion(); });
    expect_throw([&] { return probes.Write([](ProbeUnit&) { return core::Ok(); }); });
    expect_throw([&] { return probes.Read([](ProbeUnit&) { return core::Ok(); }); });
    expect_throw([&] { return admins.Write([](admin::AdminUnit&) { return core::Ok(); }); });
    expect_throw([&] { return store->ReadSql([](Sql&) { return core::Ok(); }); });
    expect_throw([&] { return Store::Open(options_); });
  });
  io.join();
  EXPECT_EQ(thrown, 8);
  EXPECT_TRUE(store->Ping().ok()) << "this thread is not an I/O thread";
}

TEST_P(StoreTest, PingBackendAndDescribe) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto ping = store->Ping();
  EXPECT_TRUE(ping.ok()) << ping.error().message;
  EXPECT_EQ(store->Backend(), NameOf(GetParam()));
  const std::string description = store->Describe();
  if (GetParam() == TestBackend::kSqlite) {
    EXPECT_EQ(description,
              "sqlite " + (std::filesystem::path(options_.data_dir) / "corphub.db").string());
  } else {
    EXPECT_TRUE(description.starts_with("postgres ")) << description;
    EXPECT_NE(description.find("corphub_t_"), std::string::npos) << description;
  }
}

}  // namespace
}  // namespace corphub::storage::testing
