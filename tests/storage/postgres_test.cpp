// PostgreSQL-only behaviour: lost connections are replaced, deadlocks are retried. Skipped
// unless CORPHUB_TEST_POSTGRES_URL is set.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "printers.hpp"
#include "scratch_database.hpp"
#include "storage/store.hpp"

namespace corphub::storage::testing {
namespace {

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresAdminUrl().empty()) GTEST_SKIP() << kNoPostgresReason;
    scratch_ = std::make_unique<ScratchDatabases>(TestBackend::kPostgres);
    options_ = scratch_->Create();
  }

  std::unique_ptr<Store> Open() {
    auto store = Store::Open(options_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    if (!store.ok()) return nullptr;
    auto migrated = (*store)->Migrate();
    EXPECT_TRUE(migrated.ok()) << migrated.error().message;
    return std::move(store).value();
  }

  static core::Result<std::int64_t> BackendPid(Store& store) {
    std::int64_t pid = 0;
    auto status = store.ReadSql([&](Sql& sql) -> core::Status {
      auto rows = sql.Query("SELECT pg_backend_pid()");
      if (!rows.ok()) return std::move(rows).error();
      pid = rows->at(0).GetInt64(0);
      return core::Ok();
    });
    if (!status.ok()) return std::move(status).error();
    return pid;
  }

  static void Terminate(std::int64_t pid) {
    PostgresAdminExec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  }

  std::unique_ptr<ScratchDatabases> scratch_;
  StorageOptions options_;
};

TEST_F(PostgresTest, SessionSettingsAreAddedAndTheUrlOverridesThem) {
  auto show = [](Store& store, const std::string& name) {
    std::string value;
    auto status = store.ReadSql([&](Sql& sql) -> core::Status {
      auto rows = sql.Query("SELECT current_setting(?)", {name});
      if (!rows.ok()) return std::move(rows).error();
      value = rows->at(0).GetString(0);
      return core::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return value;
  };
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(show(*store, "application_name"), "corphub");
  EXPECT_EQ(show(*store, "client_encoding"), "UTF8");
  EXPECT_EQ(show(*store, "transaction_isolation"), "repeatable read") << "Read's snapshot";

  if (options_.url.find("://") != std::string::npos) {
    options_.url += options_.url.find('?') == std::string::npos ? "?" : "&";
    options_.url += "application_name=mine";
  } else {
    options_.url += " application_name=mine";
  }
  auto mine = Open();
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(show(*mine, "application_name"), "mine");
}

TEST_F(PostgresTest, ConnectionKilledWhileIdleIsReplacedTransparently) {
  options_.pool_size = 1;
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto pid = BackendPid(*store);
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  Terminate(*pid);

  // BEGIN fails on the dead connection before anything ran, so it is retried on a new one.
  auto next = BackendPid(*store);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_NE(*next, *pid);
  EXPECT_EQ(store->Stats().open, 1);
  EXPECT_EQ(store->Stats().in_use, 0);
}

TEST_F(PostgresTest, ConnectionKilledInsideATransactionFailsItAndIsNotReused) {
  options_.pool_size = 1;
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::int64_t pid = 0;
  auto status = store->WriteSql([&](Sql& sql) -> core::Status {
    auto rows = sql.Query("SELECT pg_backend_pid()");
    if (!rows.ok()) return std::move(rows).error();
    pid = rows->at(0).GetInt64(0);
    Terminate(pid);
    CORPHUB_TRY(sql.Exec("INSERT INTO probe_rows (key, value) VALUES ('a', '1')"));
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, core::ErrorKind::kUnavailable) << status.error().message;

  auto next = BackendPid(*store);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_NE(*next, pid);
  EXPECT_TRUE(store->Ping().ok());
}

TEST_F(PostgresTest, DeadlockedWriteIsRetriedAsAWhole) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->WriteSql([](Sql& sql) -> core::Status {
                    CORPHUB_TRY(sql.Exec(
                        "INSERT INTO probe_rows (key, value) VALUES ('a', '0'), ('b', '0')"));
                    return core::Ok();
                  })
                  .ok());
  // Two writers lock a and b in opposite orders; PostgreSQL aborts one with 40P01 (after its
  // deadlock_timeout), whose Write runs fn again and then succeeds.
  std::atomic<int> runs{0};
  std::promise<void> first_holds_a;
  std::promise<void> second_holds_b;
  auto update = [](Sql& sql, const char* key) -> core::Status {
    CORPHUB_TRY(
        sql.Exec("UPDATE probe_rows SET value = value || 'x' WHERE key = ?", {std::string(key)}));
    return core::Ok();
  };
  std::atomic<int> first_runs{0};
  std::atomic<int> second_runs{0};
  core::Status first_status;
  core::Status second_status;
  std::thread first([&] {
    first_status = store->WriteSql([&](Sql& sql) -> core::Status {
      ++runs;
      bool choreographed = first_runs++ == 0;
      CORPHUB_TRY(update(sql, "a"));
      if (choreographed) {
        first_holds_a.set_value();
        second_holds_b.get_future().wait();
      }
      return update(sql, "b");
    });
  });
  std::thread second([&] {
    second_status = store->WriteSql([&](Sql& sql) -> core::Status {
      ++runs;
      bool choreographed = second_runs++ == 0;
      if (choreographed) first_holds_a.get_future().wait();
      CORPHUB_TRY(update(sql, "b"));
      if (choreographed) second_holds_b.set_value();
      return update(sql, "a");
    });
  });
  first.join();
  second.join();
  EXPECT_TRUE(first_status.ok()) << first_status.error().message;
  EXPECT_TRUE(second_status.ok()) << second_status.error().message;
  EXPECT_EQ(runs.load(), 3) << "one of the two ran again";

  std::vector<std::string> values;
  ASSERT_TRUE(store
                  ->ReadSql([&](Sql& sql) -> core::Status {
                    auto rows = sql.Query("SELECT value FROM probe_rows ORDER BY key");
                    if (!rows.ok()) return std::move(rows).error();
                    for (const Row& row : *rows) values.push_back(row.GetString(0));
                    return core::Ok();
                  })
                  .ok());
  EXPECT_EQ(values, (std::vector<std::string>{"0xx", "0xx"})) << "each update applied once";
}

}  // namespace
}  // namespace corphub::storage::testing
