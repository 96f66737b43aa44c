// PostgreSQL-only behaviour: session settings, lost connections are replaced, serialization
// failures and deadlocks are retried. Skipped
// unless CORPHUB_TEST_POSTGRES_URL is set.
#include <gtest/gtest.h>

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

// What PostgreSQL says when it aborts a transaction for a serialization failure or a
// deadlock, raised on demand so the test does not depend on timing.
core::Status Raise(Sql& sql, const char* condition) {
  CORPHUB_TRY(sql.Exec(std::string("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '") +
                       condition + "'; END $$"));
  return core::Ok();
}

TEST_F(PostgresTest, SerializationFailuresAndDeadlocksAreRetriedAsAWhole) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  int key = 0;
  for (const char* condition : {"serialization_failure", "deadlock_detected"}) {
    int runs = 0;
    const std::string k = "k" + std::to_string(++key);
    auto status = store->WriteSql([&](Sql& sql) -> core::Status {
      ++runs;
      CORPHUB_TRY(sql.Exec("INSERT INTO probe_rows (key, value) VALUES (?, ?)",
                           {k, "run " + std::to_string(runs)}));
      if (runs == 1) return Raise(sql, condition);
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << condition << ": " << status.error().message;
    EXPECT_EQ(runs, 2) << condition;
    // The first run was rolled back before the second: one row, written by the second run.
    std::vector<std::string> values;
    ASSERT_TRUE(store
                    ->ReadSql([&](Sql& sql) -> core::Status {
                      auto rows = sql.Query("SELECT value FROM probe_rows WHERE key = ?", {k});
                      if (!rows.ok()) return std::move(rows).error();
                      for (const Row& row : *rows) values.push_back(row.GetString(0));
                      return core::Ok();
                    })
                    .ok());
    EXPECT_EQ(values, (std::vector<std::string>{"run 2"})) << condition;
  }
}

TEST_F(PostgresTest, RetriesAreBoundedAndOtherErrorsAreNotRetried) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  int runs = 0;
  auto always = store->WriteSql([&](Sql& sql) {
    ++runs;
    return Raise(sql, "deadlock_detected");
  });
  ASSERT_FALSE(always.ok());
  EXPECT_EQ(always.error().kind, core::ErrorKind::kUnavailable) << always.error().message;
  EXPECT_NE(always.error().message.find("40P01"), std::string::npos) << always.error().message;
  EXPECT_EQ(runs, 4) << "the first run and three retries";

  runs = 0;
  auto other = store->WriteSql([&](Sql& sql) {
    ++runs;
    return Raise(sql, "check_violation");
  });
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, core::ErrorKind::kInternal);
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace corphub::storage::testing
