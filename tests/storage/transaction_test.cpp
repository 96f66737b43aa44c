// Write and Read: commit, rollback on error and on exception, unique keys, snapshots.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using diagnostics::ProbeUnit;
using ProbeTransactor = core::Transactor<ProbeUnit>;

std::int64_t ProbeCount(ProbeTransactor& tx) {
  std::int64_t count = -1;
  auto status = tx.Read([&](ProbeUnit& unit) -> core::Status {
    auto n = unit.Probes().Count();
    if (!n.ok()) return std::move(n).error();
    count = *n;
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return count;
}

core::Status InsertProbe(ProbeTransactor& tx, const std::string& key) {
  return tx.Write([&](ProbeUnit& unit) { return unit.Probes().Insert(key, "v-" + key); });
}

TEST_P(StoreTest, WriteCommitsWhenFnReturnsOk) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  ASSERT_TRUE(InsertProbe(probes, "a").ok());
  EXPECT_EQ(ProbeCount(probes), 1);

  // Committed means it is in the database, not in this object: a new Store sees it.
  store.reset();
  auto reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(ProbeCount(*reopened), 1);
}

TEST_P(StoreTest, WriteRollsBackWhenFnReturnsAnError) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  auto status = probes.Write([](ProbeUnit& unit) -> core::Status {
    CORPHUB_TRY(unit.Probes().Insert("a", "1"));
    CORPHUB_TRY(unit.Probes().Insert("b", "2"));
    return core::MakeError(core::ErrorKind::kConflict, "changed my mind");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, core::ErrorKind::kConflict);
  EXPECT_EQ(status.error().message, "changed my mind");
  EXPECT_EQ(ProbeCount(probes), 0);
}

TEST_P(StoreTest, WriteRollsBackWhenFnThrows) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  auto throwing = [](ProbeUnit& unit) -> core::Status {
    EXPECT_TRUE(unit.Probes().Insert("a", "1").ok());
    EXPECT_TRUE(unit.Probes().Insert("b", "2").ok());
    throw std::runtime_error("bug");
  };
  EXPECT_THROW((void)probes.Write(throwing), std::runtime_error);
  EXPECT_EQ(ProbeCount(probes), 0);
  // The connection is clean afterwards: the next write commits on its own.
  ASSERT_TRUE(InsertProbe(probes, "c").ok());
  EXPECT_EQ(ProbeCount(probes), 1);
}

TEST_P(StoreTest, UniqueViolationIsAlreadyExists) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  ASSERT_TRUE(InsertProbe(probes, "a").ok());
  auto again = InsertProbe(probes, "a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, core::ErrorKind::kAlreadyExists) << again.error().message;
  EXPECT_EQ(ProbeCount(probes), 1);
}

TEST_P(StoreTest, SwallowedStatementErrorStillRollsBack) {
  // A failed statement aborts the transaction on both backends alike.
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  ASSERT_TRUE(InsertProbe(probes, "a").ok());
  auto status = probes.Write([](ProbeUnit& unit) -> core::Status {
    EXPECT_TRUE(unit.Probes().Insert("b", "2").ok());
    auto dup = unit.Probes().Insert("a", "again");
    EXPECT_FALSE(dup.ok());
    auto after = unit.Probes().Insert("c", "3");
    EXPECT_FALSE(after.ok()) << "statements after a failure fail too";
    return core::Ok();  // ignores both
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, core::ErrorKind::kAlreadyExists);
  EXPECT_EQ(ProbeCount(probes), 1);
}

TEST_P(StoreTest, ReadsSeeCommittedWrites) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  EXPECT_EQ(ProbeCount(probes), 0);
  ASSERT_TRUE(InsertProbe(probes, "k1").ok());
  ASSERT_TRUE(InsertProbe(probes, "k2").ok());
  std::vector<std::string> keys;
  auto status = probes.Read([&](ProbeUnit& unit) -> core::Status {
    auto k = unit.Probes().Keys();
    if (!k.ok()) return std::move(k).error();
    keys = *k;
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(keys, (std::vector<std::string>{"k1", "k2"}));

  // So does another Store (another process) on the same database.
  auto other = OpenStore();
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(ProbeCount(*other), 2);
}

TEST_P(StoreTest, ReadSeesOneSnapshotThroughout) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  std::int64_t first = -1;
  std::int64_t second = -1;
  core::Status concurrent_write;
  auto status = probes.Read([&](ProbeUnit& unit) -> core::Status {
    first = *unit.Probes().Count();
    // Another transaction commits while this one is open.
    std::thread writer([&] { concurrent_write = InsertProbe(probes, "late"); });
    writer.join();
    second = *unit.Probes().Count();
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_TRUE(concurrent_write.ok()) << concurrent_write.error().message;
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0) << "a Read must not see a write committed after it began";
  EXPECT_EQ(ProbeCount(probes), 1);
}

TEST_P(StoreTest, ReadCannotWrite) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ProbeTransactor& probes = *store;
  auto status = probes.Read([](ProbeUnit& unit) { return unit.Probes().Insert("a", "1"); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(ProbeCount(probes), 0);
}

}  // namespace
}  // namespace corphub::storage::testing
