#include "admin/session_service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "admin/admin_service.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "crypto/hash.hpp"
#include "crypto/password.hpp"
#include "crypto/totp.hpp"
#include "unit/admin/fake_admin_store.hpp"

namespace corphub::admin {
namespace {

using core::ErrorKind;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using test_support::FakeAdminStore;

constexpr std::string_view kPassword = "correct horse battery";

class SessionServiceTest : public ::testing::Test {
 protected:
  SessionServiceTest() {
    clock_.Advance(hours{100});
    EXPECT_TRUE(admins_.CreateSuperAdmin("ops", kPassword).ok());
  }

  std::optional<ErrorKind> LoginKind(std::string_view user, std::string_view pass) {
    auto r = sessions_.Login(user, pass, "10.0.0.1");
    if (r.ok()) return std::nullopt;
    return r.error().kind;
  }

  FakeAdminStore store_;
  core::ManualClock clock_;
  core::SequenceIdGenerator ids_;
  crypto::PasswordHasher hasher_{crypto::PasswordParams::kTesting};
  AdminService admins_{store_, clock_, ids_, hasher_};
  SessionService sessions_{store_, clock_, ids_, hasher_};
};

TEST_F(SessionServiceTest, LoginStoresOnlyTheTokensHashAndAuthenticates) {
  auto login = sessions_.Login("ops", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_EQ(login->token.size(), SessionService::kTokenChars);
  EXPECT_EQ(login->session.csrf_token.size(), SessionService::kCsrfChars);
  ASSERT_EQ(store_.committed.sessions.size(), 1u);
  const AdminSession& stored = store_.committed.sessions.front();
  EXPECT_EQ(stored.token_hash, crypto::Sha256Hex(login->token));
  EXPECT_NE(stored.token_hash, login->token);
  EXPECT_EQ(stored.address, "10.0.0.1");
  EXPECT_EQ(stored.expires_at, clock_.Now() + hours{12});

  auto s = sessions_.Authenticate(login->token);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->admin.username, "ops");
  EXPECT_EQ(s->csrf_token, login->session.csrf_token);
  EXPECT_FALSE(sessions_.Authenticate(login->token + "x").ok());
  EXPECT_EQ(sessions_.Authenticate("").error().kind, ErrorKind::kUnauthenticated);
}

TEST_F(SessionServiceTest, WrongPasswordAndUnknownUserGiveTheSameAnswer) {
  EXPECT_EQ(LoginKind("ops", "wrong password"), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("nobody", "wrong password"), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("", ""), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("ops", std::string(5000, 'x')), ErrorKind::kInvalidCredentials);
  EXPECT_TRUE(store_.committed.sessions.empty());
}

TEST_F(SessionServiceTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(LoginKind("ops", "wrong"), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("ops", "wrong"), ErrorKind::kLoginLocked);
  // Locked: even the right password is refused, and says for how long.
  auto locked = sessions_.Login("ops", kPassword, "");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().kind, ErrorKind::kLoginLocked);
  EXPECT_NE(locked.error().message.find("15 minutes"), std::string::npos) << locked.error().message;
  clock_.Advance(minutes{14});
  EXPECT_EQ(LoginKind("ops", kPassword), ErrorKind::kLoginLocked);
  clock_.Advance(minutes{1} + seconds{1});
  EXPECT_EQ(LoginKind("ops", kPassword), std::nullopt);
}

TEST_F(SessionServiceTest, UnknownUsernamesLockTheSameWay) {
  // Otherwise the lock would tell an attacker which usernames exist.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(LoginKind("ghost", "wrong"), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("ghost", "wrong"), ErrorKind::kLoginLocked);
  EXPECT_EQ(LoginKind("ghost", "wrong"), ErrorKind::kLoginLocked);
  EXPECT_EQ(LoginKind("ops", kPassword), std::nullopt);  // other names are not affected
  clock_.Advance(minutes{15});
  EXPECT_EQ(LoginKind("ghost", "wrong"), ErrorKind::kInvalidCredentials);
}

TEST_F(SessionServiceTest, ASuccessfulLoginResetsTheFailureCount) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(LoginKind("ops", "wrong"), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("ops", kPassword), std::nullopt);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(LoginKind("ops", "wrong"), ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginKind("ops", kPassword), std::nullopt);
}

TEST_F(SessionServiceTest, SessionsEndAfterTwoIdleHoursOrTwelveHoursInAll) {
  auto login = sessions_.Login("ops", kPassword, "");
  ASSERT_TRUE(login.ok());
  // Used every 100 minutes: never idle for 2 hours, but over at 12 hours.
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(minutes{100});
    EXPECT_TRUE(sessions_.Authenticate(login->token).ok()) << "call " << i;
  }
  clock_.Advance(minutes{21});  // 12 h 1 min after login
  EXPECT_EQ(sessions_.Authenticate(login->token).error().kind, ErrorKind::kUnauthenticated);

  auto idle = sessions_.Login("ops", kPassword, "");
  ASSERT_TRUE(idle.ok());
  clock_.Advance(hours{2});
  EXPECT_EQ(sessions_.Authenticate(idle->token).error().kind, ErrorKind::kUnauthenticated);
}

TEST_F(SessionServiceTest, LastSeenIsWrittenAtMostOnceAMinute) {
  auto login = sessions_.Login("ops", kPassword, "");
  ASSERT_TRUE(login.ok());
  const int writes = store_.writes;
  clock_.Advance(seconds{30});
  ASSERT_TRUE(sessions_.Authenticate(login->token).ok());
  EXPECT_EQ(store_.writes, writes);
  clock_.Advance(seconds{31});
  ASSERT_TRUE(sessions_.Authenticate(login->token).ok());
  EXPECT_EQ(store_.writes, writes + 1);
  EXPECT_EQ(store_.committed.sessions.front().last_seen_at, clock_.Now());
}

TEST_F(SessionServiceTest, LogoutEndsOnlyThatSession) {
  auto a = sessions_.Login("ops", kPassword, "");
  auto b = sessions_.Login("ops", kPassword, "");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(sessions_.Logout(a->token).ok());
  EXPECT_FALSE(sessions_.Authenticate(a->token).ok());
  EXPECT_TRUE(sessions_.Authenticate(b->token).ok());
  EXPECT_TRUE(sessions_.Logout(a->token).ok());  // again: no error
  EXPECT_TRUE(sessions_.Logout("").ok());
}

TEST_F(SessionServiceTest, LoginSweepsEndedSessions) {
  auto old = sessions_.Login("ops", kPassword, "");
  ASSERT_TRUE(old.ok());
  clock_.Advance(hours{3});
  ASSERT_TRUE(sessions_.Login("ops", kPassword, "").ok());
  EXPECT_EQ(store_.committed.sessions.size(), 1u);
}

}  // namespace
}  // namespace corphub::admin

namespace corphub::admin {
namespace {

class TotpLoginTest : public SessionServiceTest {
 protected:
  // The code an authenticator shows now (offset steps away).
  std::string CodeNow(const std::string& secret, std::int64_t offset = 0) {
    const auto step = core::UnixSeconds(clock_.Now()) / crypto::kTotpStepSeconds + offset;
    return crypto::Hotp(*crypto::Base32Decode(secret), static_cast<std::uint64_t>(step));
  }
  std::optional<ErrorKind> LoginWith(std::string_view code) {
    auto r = sessions_.Login("ops", kPassword, "", code);
    if (r.ok()) return std::nullopt;
    return r.error().kind;
  }
  // Sets TOTP up and on; returns the secret and the recovery codes.
  std::pair<std::string, std::vector<std::string>> Enrol() {
    auto setup = sessions_.SetupTotp("ops", kPassword, "corphub");
    EXPECT_TRUE(setup.ok());
    auto codes = sessions_.EnableTotp({"admin:ops", ""}, 1, "ops", CodeNow(setup->secret));
    EXPECT_TRUE(codes.ok());
    return {setup->secret, *codes};
  }
};

TEST_F(TotpLoginTest, SetupIsNotEnforcedUntilTheFirstCodeConfirmsIt) {
  EXPECT_EQ(sessions_.SetupTotp("ops", "wrong", "corphub").error().kind,
            ErrorKind::kInvalidCredentials);
  auto setup = sessions_.SetupTotp("ops", kPassword, "corphub");
  ASSERT_TRUE(setup.ok());
  EXPECT_EQ(crypto::Base32Decode(setup->secret)->size(), 20u);
  EXPECT_EQ(setup->otpauth_uri.rfind("otpauth://totp/corphub:ops?secret=" + setup->secret, 0), 0u);
  EXPECT_EQ(LoginWith(""), std::nullopt) << "pending is not on yet";
  EXPECT_EQ(
      sessions_.EnableTotp({"admin:ops", ""}, 1, "ops", CodeNow(setup->secret, 3)).error().kind,
      ErrorKind::kTotpInvalid);
  auto codes = sessions_.EnableTotp({"admin:ops", ""}, 1, "ops", CodeNow(setup->secret));
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(codes->size(), SessionService::kRecoveryCodes);
  ASSERT_EQ(store_.committed.audit.size(), 1u);
  EXPECT_EQ(store_.committed.audit[0].action, "admin.totp_enable");
  EXPECT_EQ(sessions_.SetupTotp("ops", kPassword, "corphub").error().kind, ErrorKind::kConflict);
  auto state = sessions_.Totp("ops");
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->enabled);
  EXPECT_EQ(state->recovery_codes_left, 10);
}

TEST_F(TotpLoginTest, EveryLoginNeedsAFreshCode) {
  auto [secret, codes] = Enrol();
  EXPECT_EQ(LoginWith(""), ErrorKind::kTotpRequired);
  EXPECT_EQ(LoginWith(CodeNow(secret)), ErrorKind::kTotpInvalid) << "spent by the enrolment";
  clock_.Advance(seconds{30});
  EXPECT_EQ(LoginWith(CodeNow(secret)), std::nullopt);
  EXPECT_EQ(LoginWith(CodeNow(secret)), ErrorKind::kTotpInvalid) << "replayed";
  EXPECT_EQ(LoginWith(CodeNow(secret, -1)), ErrorKind::kTotpInvalid) << "older than the last";
  clock_.Advance(seconds{30});
  EXPECT_EQ(LoginWith(CodeNow(secret, -1)), ErrorKind::kTotpInvalid);
  EXPECT_EQ(LoginWith(CodeNow(secret, 1)), std::nullopt) << "one step of drift ahead";
  // A wrong password is said first, whatever the code.
  EXPECT_EQ(sessions_.Login("ops", "wrong", "", CodeNow(secret, 2)).error().kind,
            ErrorKind::kInvalidCredentials);
}

TEST_F(TotpLoginTest, RecoveryCodesWorkOnceAndWrongCodesLock) {
  auto [secret, codes] = Enrol();
  EXPECT_EQ(LoginWith(codes[0]), std::nullopt);
  EXPECT_EQ(LoginWith(codes[0]), ErrorKind::kTotpInvalid);
  EXPECT_EQ(sessions_.Totp("ops")->recovery_codes_left, 9);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(LoginWith("000000x"), ErrorKind::kTotpInvalid);
  EXPECT_EQ(LoginWith("abcde-fghij"), ErrorKind::kLoginLocked) << "the fifth failure in a row";
  clock_.Advance(minutes{16});
  EXPECT_EQ(LoginWith(codes[1]), std::nullopt);
}

TEST_F(TotpLoginTest, DisablingNeedsThePasswordAndResetNeedsNothing) {
  Enrol();
  EXPECT_EQ(sessions_.DisableTotp({"admin:ops", ""}, 1, "ops", "wrong").error().kind,
            ErrorKind::kInvalidCredentials);
  EXPECT_EQ(LoginWith(""), ErrorKind::kTotpRequired);
  ASSERT_TRUE(sessions_.DisableTotp({"admin:ops", ""}, 1, "ops", kPassword).ok());
  EXPECT_EQ(LoginWith(""), std::nullopt);
  EXPECT_EQ(sessions_.Totp("ops")->recovery_codes_left, 0);
  clock_.Advance(minutes{1});
  Enrol();
  ASSERT_TRUE(sessions_.ResetTotp({"cli", ""}, 1, "ops").ok());
  EXPECT_EQ(LoginWith(""), std::nullopt);
  EXPECT_EQ(sessions_.ResetTotp({"cli", ""}, 1, "nobody").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store_.committed.audit.back().actor, "cli");
}

}  // namespace
}  // namespace corphub::admin

namespace corphub::admin {
namespace {

TEST_F(SessionServiceTest, GuessingThePasswordFromASessionLocksTheAccount) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sessions_.SetupTotp("ops", "guess", "corphub").error().kind,
              ErrorKind::kInvalidCredentials);
  }
  EXPECT_EQ(sessions_.DisableTotp({"admin:ops", ""}, 1, "ops", "guess").error().kind,
            ErrorKind::kLoginLocked);
  EXPECT_EQ(sessions_.SetupTotp("ops", kPassword, "corphub").error().kind, ErrorKind::kLoginLocked);
  EXPECT_EQ(LoginKind("ops", kPassword), ErrorKind::kLoginLocked);
}

}  // namespace
}  // namespace corphub::admin
