// The repositories, written once over Sql, behave the same on every backend.
#include <gtest/gtest.h>

#include <chrono>

#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using admin::AdminAccount;
using admin::AdminUnit;
using diagnostics::ProbeUnit;

AdminAccount Account(const std::string& username, bool must_change, std::int64_t created) {
  AdminAccount a;
  a.username = username;
  a.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$" + username;
  a.role = admin::AdminRole::kSuper;
  a.must_change_password = must_change;
  a.created_at = core::TimePoint{std::chrono::seconds{created}};
  return a;
}

TEST_P(StoreTest, AdminRepositoryRoundTrip) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  core::Transactor<AdminUnit>& admins = *store;
  const AdminAccount root = Account("root", true, 1'700'000'123);
  const AdminAccount ops = Account("ops.team-1", false, 1'800'000'000);
  std::int64_t root_id = 0;
  std::int64_t ops_id = 0;
  auto written = admins.Write([&](AdminUnit& unit) -> core::Status {
    auto a = unit.Admins().Insert(root);
    if (!a.ok()) return std::move(a).error();
    auto b = unit.Admins().Insert(ops);
    if (!b.ok()) return std::move(b).error();
    root_id = *a;
    ops_id = *b;
    return core::Ok();
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_GT(root_id, 0);
  EXPECT_NE(root_id, ops_id);

  std::optional<AdminAccount> found_root;
  std::optional<AdminAccount> found_ops;
  std::optional<AdminAccount> missing = AdminAccount{};
  std::int64_t count = -1;
  auto read = admins.Read([&](AdminUnit& unit) -> core::Status {
    found_root = *unit.Admins().FindByUsername("root");
    found_ops = *unit.Admins().FindByUsername("ops.team-1");
    missing = *unit.Admins().FindByUsername("nobody");
    count = *unit.Admins().Count();
    return core::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(found_root.has_value());
  EXPECT_EQ(found_root->id, root_id);
  EXPECT_EQ(found_root->username, root.username);
  EXPECT_EQ(found_root->password_hash, root.password_hash);
  EXPECT_EQ(found_root->role, admin::AdminRole::kSuper);
  EXPECT_TRUE(found_root->must_change_password);
  EXPECT_EQ(found_root->created_at, root.created_at);
  ASSERT_TRUE(found_ops.has_value());
  EXPECT_EQ(found_ops->id, ops_id);
  EXPECT_FALSE(found_ops->must_change_password);
  EXPECT_EQ(found_ops->created_at, ops.created_at);
  EXPECT_FALSE(missing.has_value());
  EXPECT_EQ(count, 2);

  // The role is stored by its name, "super".
  std::string role;
  ASSERT_TRUE(store
                  ->ReadSql([&](Sql& sql) -> core::Status {
                    auto rows =
                        sql.Query("SELECT role FROM admin_accounts WHERE id = ?", {root_id});
                    if (!rows.ok()) return std::move(rows).error();
                    role = rows->at(0).GetString(0);
                    return core::Ok();
                  })
                  .ok());
  EXPECT_EQ(role, "super");
}

TEST_P(StoreTest, AdminUsernameIsUnique) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  core::Transactor<AdminUnit>& admins = *store;
  auto insert = [&](const AdminAccount& a) {
    return admins.Write([&](AdminUnit& unit) -> core::Status {
      CORPHUB_TRY(unit.Admins().Insert(a));
      return core::Ok();
    });
  };
  ASSERT_TRUE(insert(Account("root", true, 1)).ok());
  auto again = insert(Account("root", false, 2));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, core::ErrorKind::kAlreadyExists) << again.error().message;
  std::int64_t count = -1;
  ASSERT_TRUE(admins
                  .Read([&](AdminUnit& unit) -> core::Status {
                    count = *unit.Admins().Count();
                    return core::Ok();
                  })
                  .ok());
  EXPECT_EQ(count, 1);
}

TEST_P(StoreTest, ProbeInsertKeysCount) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  core::Transactor<ProbeUnit>& probes = *store;
  auto written = probes.Write([](ProbeUnit& unit) -> core::Status {
    for (const char* key : {"k-2", "K-1", "k-10", "a"}) {
      CORPHUB_TRY(unit.Probes().Insert(key, std::string("value of ") + key));
    }
    return core::Ok();
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  std::vector<std::string> keys;
  std::int64_t count = -1;
  ASSERT_TRUE(probes
                  .Read([&](ProbeUnit& unit) -> core::Status {
                    keys = *unit.Probes().Keys();
                    count = *unit.Probes().Count();
                    return core::Ok();
                  })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"K-1", "a", "k-10", "k-2"})) << "byte order";
  EXPECT_EQ(count, 4);

  // The value and the database-assigned created_at are stored too.
  std::string value;
  std::int64_t created_at = 0;
  ASSERT_TRUE(store
                  ->ReadSql([&](Sql& sql) -> core::Status {
                    auto rows = sql.Query("SELECT value, created_at FROM probe_rows WHERE key = ?",
                                          {std::string("a")});
                    if (!rows.ok()) return std::move(rows).error();
                    value = rows->at(0).GetString(0);
                    created_at = rows->at(0).GetInt64(1);
                    return core::Ok();
                  })
                  .ok());
  EXPECT_EQ(value, "value of a");
  EXPECT_GT(created_at, 1'600'000'000);
}

}  // namespace
}  // namespace corphub::storage::testing
