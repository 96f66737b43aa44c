#include "admin/admin_service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "crypto/password.hpp"
#include "unit/admin/fake_admin_store.hpp"

namespace corphub::admin {
namespace {

using core::ErrorKind;
using test_support::FakeAdminStore;

class AdminServiceTest : public ::testing::Test {
 protected:
  AdminServiceTest() { clock_.Advance(std::chrono::hours{5}); }

  FakeAdminStore store_;
  core::ManualClock clock_;
  core::SequenceIdGenerator ids_;
  crypto::PasswordHasher hasher_{crypto::PasswordParams::kTesting};
  AdminService service_{store_, clock_, ids_, hasher_};
};

// ---- EnsureFirstSuperAdmin ----

TEST_F(AdminServiceTest, FirstStartCreatesAdminWithAGeneratedPassword) {
  auto login = service_.EnsureFirstSuperAdmin();
  ASSERT_TRUE(login.ok()) << login.error().message;
  ASSERT_TRUE(login->has_value());
  const Login& l = **login;
  EXPECT_EQ(l.username, "admin");
  EXPECT_EQ(l.password.size(), AdminService::kGeneratedPasswordChars);

  ASSERT_EQ(store_.committed.accounts.size(), 1u);
  const AdminAccount& a = store_.committed.accounts.front();
  EXPECT_EQ(a.username, "admin");
  EXPECT_EQ(a.role, AdminRole::kSuper);
  EXPECT_TRUE(a.must_change_password);
  EXPECT_EQ(a.created_at, clock_.Now());
  EXPECT_GT(a.id, 0);
  // The password itself is never stored; the hash verifies it and nothing else.
  EXPECT_NE(a.password_hash, l.password);
  EXPECT_EQ(a.password_hash.find(l.password), std::string::npos);
  EXPECT_TRUE(a.password_hash.starts_with("$argon2id$")) << a.password_hash;
  EXPECT_TRUE(hasher_.Verify(a.password_hash, l.password));
  EXPECT_FALSE(hasher_.Verify(a.password_hash, l.password + "x"));
}

TEST_F(AdminServiceTest, SecondCallCreatesNothing) {
  auto first = service_.EnsureFirstSuperAdmin();
  ASSERT_TRUE(first.ok() && first->has_value());
  const std::string hash = store_.committed.accounts.front().password_hash;

  auto second = service_.EnsureFirstSuperAdmin();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->has_value());
  ASSERT_EQ(store_.committed.accounts.size(), 1u);
  EXPECT_EQ(store_.committed.accounts.front().password_hash, hash);  // not reset
  EXPECT_EQ(store_.inserts, 1);
}

TEST_F(AdminServiceTest, AnyExistingAdministratorSuppressesTheFirstOne) {
  ASSERT_TRUE(service_.CreateSuperAdmin("alice", "long enough password").ok());
  auto login = service_.EnsureFirstSuperAdmin();
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_FALSE(login->has_value());
  EXPECT_EQ(store_.Find("admin"), nullptr);
}

TEST_F(AdminServiceTest, LosingTheRaceToAnotherProcessIsNotAnError) {
  // The count says zero, but another process commits "admin" before our insert.
  AdminAccount theirs;
  theirs.username = "admin";
  theirs.password_hash = "theirs";
  store_.faults.before_write = [&](test_support::AdminState& committed) {
    if (committed.accounts.empty()) committed.accounts.push_back(theirs);
  };
  auto login = service_.EnsureFirstSuperAdmin();
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_FALSE(login->has_value());
  ASSERT_EQ(store_.committed.accounts.size(), 1u);
  EXPECT_EQ(store_.committed.accounts.front().password_hash, "theirs");
}

TEST_F(AdminServiceTest, InsertReportingAlreadyExistsGivesNullopt) {
  store_.faults.insert = core::MakeError(ErrorKind::kAlreadyExists, "unique violation");
  auto login = service_.EnsureFirstSuperAdmin();
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_FALSE(login->has_value());
  EXPECT_TRUE(store_.committed.accounts.empty());
}

TEST_F(AdminServiceTest, OtherInsertErrorsPropagate) {
  store_.faults.insert = core::MakeError(ErrorKind::kUnavailable, "database is locked");
  auto login = service_.EnsureFirstSuperAdmin();
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(login.error().message, "database is locked");
  EXPECT_TRUE(store_.committed.accounts.empty());
}

TEST_F(AdminServiceTest, CountErrorsPropagateWithoutWriting) {
  store_.faults.count = core::MakeError(ErrorKind::kInternal, "no such table");
  auto login = service_.EnsureFirstSuperAdmin();
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(login.error().message, "no such table");
  EXPECT_EQ(store_.writes, 0);
}

// ---- CreateSuperAdmin ----

TEST_F(AdminServiceTest, CreatesASuperAdmin) {
  auto id = service_.CreateSuperAdmin("ops.lead-2_x", "correct horse battery");
  ASSERT_TRUE(id.ok()) << id.error().message;
  const AdminAccount* a = store_.Find("ops.lead-2_x");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->id, *id);
  EXPECT_EQ(a->role, AdminRole::kSuper);
  EXPECT_FALSE(a->must_change_password);  // the operator chose this password
  EXPECT_EQ(a->created_at, clock_.Now());
  EXPECT_EQ(a->password_hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(hasher_.Verify(a->password_hash, "correct horse battery"));
}

TEST_F(AdminServiceTest, GivesEachAdministratorItsOwnId) {
  auto a = service_.CreateSuperAdmin("alice", "password-0001");
  auto b = service_.CreateSuperAdmin("bob", "password-0002");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST_F(AdminServiceTest, ValidatesUsernameLength) {
  const std::string ok_password = "0123456789";
  for (const std::string& good : {std::string("abc"), std::string(64, 'a')}) {
    EXPECT_TRUE(service_.CreateSuperAdmin(good, ok_password).ok()) << good.size();
  }
  for (const std::string& bad : {std::string(), std::string("ab"), std::string(65, 'b')}) {
    auto id = service_.CreateSuperAdmin(bad, ok_password);
    ASSERT_FALSE(id.ok()) << bad.size();
    EXPECT_EQ(id.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(id.error().message.find("username"), std::string::npos) << id.error().message;
  }
  EXPECT_EQ(store_.committed.accounts.size(), 2u);
}

TEST_F(AdminServiceTest, ValidatesUsernameCharacters) {
  for (const std::string bad :
       {"al ice", "ali@ce", "al/ice", "张三abc", "alice\n", "a;b;c", "ab+c"}) {
    auto id = service_.CreateSuperAdmin(bad, "0123456789");
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.error().kind, ErrorKind::kInvalidArgument) << bad;
    EXPECT_NE(id.error().message.find("username"), std::string::npos) << id.error().message;
  }
  EXPECT_TRUE(store_.committed.accounts.empty());
  EXPECT_EQ(store_.writes, 0);
  EXPECT_TRUE(AdminService::ValidateUsername("A.b_c-9").ok());
}

TEST_F(AdminServiceTest, ValidatesPasswordLength) {
  auto short_one = service_.CreateSuperAdmin("alice", "012345678");  // 9
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(short_one.error().message.find("10"), std::string::npos) << short_one.error().message;

  // Too long for the hasher: refused as input, never thrown.
  const std::string huge(crypto::PasswordHasher::kMaxPasswordBytes + 1, 'p');
  auto long_one = service_.CreateSuperAdmin("alice", huge);
  ASSERT_FALSE(long_one.ok());
  EXPECT_EQ(long_one.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(store_.committed.accounts.empty());

  EXPECT_TRUE(service_.CreateSuperAdmin("alice", "0123456789").ok());  // exactly 10
  EXPECT_TRUE(
      AdminService::ValidatePassword(std::string(crypto::PasswordHasher::kMaxPasswordBytes, 'p'))
          .ok());
}

TEST_F(AdminServiceTest, DuplicateUsernameIsAlreadyExistsWithAReadableMessage) {
  ASSERT_TRUE(service_.CreateSuperAdmin("alice", "first password").ok());
  const std::string original_hash = store_.Find("alice")->password_hash;

  auto again = service_.CreateSuperAdmin("alice", "second password");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kAlreadyExists);
  EXPECT_NE(again.error().message.find("\"alice\""), std::string::npos) << again.error().message;
  EXPECT_EQ(again.error().message.find("admin_accounts"), std::string::npos)
      << "leaks the storage detail: " << again.error().message;
  EXPECT_EQ(store_.committed.accounts.size(), 1u);
  EXPECT_EQ(store_.Find("alice")->password_hash, original_hash);
}

TEST_F(AdminServiceTest, CreateSuperAdminPropagatesOtherErrors) {
  store_.faults.insert = core::MakeError(ErrorKind::kUnavailable, "connection refused");
  auto id = service_.CreateSuperAdmin("alice", "0123456789");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(id.error().message, "connection refused");
}

}  // namespace
}  // namespace corphub::admin
