// Migrations: applied once, versions tracked, a newer database refused, concurrent migrators.
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "storage/migration_files.hpp"
#include "storage/migrator.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

std::int64_t CountRows(Store& store, const std::string& table) {
  std::int64_t count = -1;
  auto status = store.ReadSql([&](Sql& sql) -> core::Status {
    auto rows = sql.Query("SELECT COUNT(*) FROM " + table);
    if (!rows.ok()) return std::move(rows).error();
    count = rows->at(0).GetInt64(0);
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return count;
}

TEST_P(StoreTest, MigrateIsIdempotentAndReachesTheKnownVersion) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto before = store->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(*before, 0);
  EXPECT_GE(store->KnownSchemaVersion(), 1);

  ASSERT_TRUE(store->Migrate().ok());
  auto after = store->SchemaVersion();
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(*after, store->KnownSchemaVersion());
  auto files = std::ssize(EmbeddedMigrations(store->Backend()));
  EXPECT_EQ(CountRows(*store, "schema_migrations"), files);

  auto again = store->Migrate();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(CountRows(*store, "schema_migrations"), files);
  EXPECT_EQ(*store->SchemaVersion(), store->KnownSchemaVersion());
  // The foundation's tables exist and are empty.
  EXPECT_EQ(CountRows(*store, "admin_accounts"), 0);
  EXPECT_EQ(CountRows(*store, "probe_rows"), 0);
}

TEST_P(StoreTest, NewerSchemaIsRefused) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const int known = store->KnownSchemaVersion();
  auto inserted = store->WriteSql([&](Sql& sql) -> core::Status {
    CORPHUB_TRY(
        sql.Exec("INSERT INTO schema_migrations (version, name, applied_at) "
                 "VALUES (?, 'from_the_future.sql', 0)",
                 {std::int64_t{known + 1}}));
    return core::Ok();
  });
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  const std::string expected = "database schema version " + std::to_string(known + 1) +
                               " is newer than this corphub supports (" + std::to_string(known) +
                               "); upgrade corphub";

  auto migrated = store->Migrate();
  ASSERT_FALSE(migrated.ok());
  EXPECT_EQ(migrated.error().kind, core::ErrorKind::kSchemaTooNew);
  EXPECT_EQ(migrated.error().message, expected);
  EXPECT_EQ(*store->SchemaVersion(), known + 1);

  store.reset();
  auto reopened = Store::Open(options_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().kind, core::ErrorKind::kSchemaTooNew);
  EXPECT_EQ(reopened.error().message, expected);
}

TEST_P(StoreTest, ConcurrentMigratorsOfOneFreshDatabaseAllSucceed) {
  // Several rounds, each on its own fresh database, to give a race room to show.
  for (int round = 0; round < 3; ++round) {
    StorageOptions options = round == 0 ? options_ : scratch_->Create();
    constexpr int kStores = 3;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kStores; ++i) {
      stores.push_back(OpenStore(options));
      ASSERT_NE(stores.back(), nullptr);
    }
    std::vector<core::Status> results(kStores);
    std::latch start(kStores);
    std::vector<std::thread> threads;
    for (int i = 0; i < kStores; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[static_cast<std::size_t>(i)] = stores[static_cast<std::size_t>(i)]->Migrate();
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& r : results) EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    EXPECT_EQ(*stores[0]->SchemaVersion(), stores[0]->KnownSchemaVersion());
    EXPECT_EQ(CountRows(*stores[0], "schema_migrations"),
              std::ssize(EmbeddedMigrations(stores[0]->Backend())));
  }
}

// The embedded files themselves: well named, and the same numbers in both dialects.
TEST(Migrations, BothDialectsHaveTheSameNumberedFiles) {
  auto sqlite = LoadMigrations(EmbeddedMigrations("sqlite"));
  auto postgres = LoadMigrations(EmbeddedMigrations("postgres"));
  ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
  ASSERT_TRUE(postgres.ok()) << postgres.error().message;
  ASSERT_FALSE(sqlite->empty());
  ASSERT_EQ(sqlite->size(), postgres->size());
  for (std::size_t i = 0; i < sqlite->size(); ++i) {
    EXPECT_EQ((*sqlite)[i].version, static_cast<int>(i + 1)) << "numbers have no gaps";
    EXPECT_EQ((*sqlite)[i].name, (*postgres)[i].name);
    EXPECT_FALSE((*sqlite)[i].sql.empty());
  }
  EXPECT_EQ((*sqlite)[0].name, "0001_foundation.sql");
}

TEST(Migrations, BadNamesAndRepeatedVersionsAreRejected) {
  const core::EmbeddedFile bad_name[] = {{"foundation.sql", "SELECT 1"}};
  auto r1 = LoadMigrations(bad_name);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().kind, core::ErrorKind::kInternal);

  const core::EmbeddedFile repeated[] = {{"0001_a.sql", "SELECT 1"}, {"0001_b.sql", "SELECT 1"}};
  EXPECT_FALSE(LoadMigrations(repeated).ok());

  const core::EmbeddedFile unordered[] = {{"0002_b.sql", "SELECT 2"}, {"0001_a.sql", "SELECT 1"}};
  auto r3 = LoadMigrations(unordered);
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ((*r3)[0].version, 1);
  EXPECT_EQ((*r3)[1].version, 2);
}

}  // namespace
}  // namespace corphub::storage::testing
