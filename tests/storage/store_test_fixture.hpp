#pragma once
// The conformance suite's fixture: every TEST_P runs once per backend. PostgreSQL instances skip
// (saying why) unless CORPHUB_TEST_POSTGRES_URL is set.
#include <gtest/gtest.h>

#include <memory>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "corp/corp_service.hpp"
#include "printers.hpp"
#include "scratch_database.hpp"
#include "storage/store.hpp"

namespace corphub::storage::testing {

class StoreTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == TestBackend::kPostgres && PostgresAdminUrl().empty()) {
      GTEST_SKIP() << kNoPostgresReason;
    }
    scratch_ = std::make_unique<ScratchDatabases>(GetParam());
    options_ = scratch_->Create();
  }

  // Opens options_ (or the given options); fails the test when that fails.
  std::unique_ptr<Store> OpenStore() { return OpenStore(options_); }
  static std::unique_ptr<Store> OpenStore(const StorageOptions& options) {
    auto store = Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::unique_ptr<Store> OpenMigrated() {
    auto store = OpenStore();
    if (store == nullptr) return nullptr;
    auto status = store->Migrate();
    EXPECT_TRUE(status.ok()) << status.error().message;
    return status.ok() ? std::move(store) : nullptr;
  }

  std::unique_ptr<ScratchDatabases> scratch_;
  StorageOptions options_;
};

// A migrated store with its default organisation (org_), for the domains that hang off one.
class OrgStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store_ = OpenMigrated();
    ASSERT_NE(store_, nullptr);
    corp::CorpService corps(*store_, clock_, ids_);
    auto org = corps.EnsureDefault();
    ASSERT_TRUE(org.ok()) << org.error().message;
    org_ = *org;
  }

  std::unique_ptr<Store> store_;
  core::ManualClock clock_;
  core::SequenceIdGenerator ids_;
  corp::Organisation org_;
  core::Actor actor_{"test", "127.0.0.1"};
};

inline std::string BackendName(const ::testing::TestParamInfo<TestBackend>& info) {
  return NameOf(info.param);
}

}  // namespace corphub::storage::testing
