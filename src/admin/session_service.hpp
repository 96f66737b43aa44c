#pragma once
// Console logins: a password check with lockout, then a session held in an HttpOnly cookie
// (the store keeps only the token's hash) with a CSRF token for writes.
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "admin/admin_repository.hpp"
#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "crypto/password.hpp"

namespace corphub::admin {

struct SessionLimits {
  std::chrono::seconds lifetime{12 * 3600};  // from login
  std::chrono::seconds idle{2 * 3600};       // without a call
  std::int64_t max_failures = 5;             // wrong passwords in a row before a lock
  std::chrono::seconds lock{15 * 60};
};

// An enrolment in progress: the secret to type or scan into an authenticator app.
struct TotpSetup {
  std::string secret;  // base32
  std::string otpauth_uri;
};

struct TotpState {
  bool enabled = false;
  bool pending = false;  // set up, not confirmed yet
  std::int64_t recovery_codes_left = 0;
};

struct NewSession {
  std::string token;  // for the cookie; shown once, stored only as a hash
  AdminSession session;
};

class SessionService {
 public:
  static constexpr std::size_t kTokenChars = 43;  // about 256 bits of [A-Za-z0-9]
  static constexpr std::size_t kCsrfChars = 32;
  // last_seen_at is written at most this often, so reading pages is not a write each time.
  static constexpr std::chrono::seconds kTouchEvery{60};

  SessionService(core::Transactor<AdminUnit>& store, const core::Clock& clock,
                 core::IdGenerator& ids, const crypto::PasswordHasher& hasher,
                 SessionLimits limits = {});

  static constexpr std::size_t kRecoveryCodes = 10;

  // kInvalidCredentials for an unknown username or a wrong password (the same answer and about
  // the same time for both); kLoginLocked while the account waits after too many failures.
  // With TOTP on: kTotpRequired after the right password without `code`, kTotpInvalid for a
  // wrong or reused one (counted as a failure towards the lock). `code` is the authenticator's
  // six digits or one of the recovery codes. Blocking (password hashing): call on the worker pool.
  // With `org_id` set, logins and failed logins of existing accounts are audited
  // (admin.login, admin.login_failed with the reason).
  core::Result<NewSession> Login(std::string_view username, std::string_view password,
                                 std::string_view address, std::string_view code = {},
                                 std::int64_t org_id = 0);

  // TOTP for the administrator `username`, who proves their password again to set it up or
  // turn it off. Setup: kConflict while TOTP is on. Enable: the first code from the app confirms
  // the secret and answers the recovery codes, shown once. Audited (admin.totp_enable,
  // admin.totp_disable). Blocking.
  core::Result<TotpSetup> SetupTotp(std::string_view username, std::string_view password,
                                    std::string_view issuer);
  core::Result<std::vector<std::string>> EnableTotp(const core::Actor& actor, std::int64_t org_id,
                                                    std::string_view username,
                                                    std::string_view code);
  core::Status DisableTotp(const core::Actor& actor, std::int64_t org_id, std::string_view username,
                           std::string_view password);
  core::Result<TotpState> Totp(std::string_view username);
  // For the command line: turns an administrator's TOTP off (they lost the app and the codes).
  core::Status ResetTotp(const core::Actor& actor, std::int64_t org_id, std::string_view username);
  // The administrator changes their own password, proving the current one (a wrong one counts
  // towards the lock). kInvalidArgument for a new password that is too short or the same as the
  // current one. Their other sessions end; `session_id` stays. Audited (admin.password).
  // Blocking.
  core::Status ChangePassword(const core::Actor& actor, std::int64_t org_id,
                              std::string_view username, std::int64_t session_id,
                              std::string_view current, std::string_view next);
  // The live session the token opens; kUnauthenticated when there is none or it has ended.
  core::Result<AdminSession> Authenticate(std::string_view token);
  // Ends the token's session (no error when there is none); audited (admin.logout) with
  // `org_id` set.
  core::Status Logout(std::string_view token, std::int64_t org_id = 0,
                      std::string_view address = {});

 private:
  core::Transactor<AdminUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const crypto::PasswordHasher& hasher_;
  SessionLimits limits_;
  std::string dummy_hash_;  // verified against for unknown usernames, to spend the same time

  // Failures for usernames nobody has, kept in memory and locked like an account's, so the
  // answers do not tell which usernames exist. Bounded: past kMaxUnknown entries, those not
  // locked any more are forgotten.
  struct UnknownUser {
    std::int64_t failures = 0;
    core::TimePoint locked_until{};
  };
  static constexpr std::size_t kMaxUnknown = 10000;
  // The answer to a failed login of such a username: invalid credentials or locked.
  core::Error FailUnknown(const std::string& username, core::TimePoint now);
  // Counts a failed login of `account` (locking it at the limit); answers `error` or the lock.
  core::Error FailAccount(AdminAccount& account, core::TimePoint now, core::Error error,
                          std::int64_t org_id, std::string_view address);
  // Spends the TOTP code or recovery code `code` of `account` inside the transaction.
  core::Result<bool> SpendSecondFactor(AdminUnit& u, AdminAccount& account, std::string_view code,
                                       core::TimePoint now);
  core::Result<AdminAccount> AccountOf(AdminUnit& u, std::string_view username);
  static core::Result<Rights> RightsOf(AdminUnit& u, const AdminAccount& account);
  // The password an administrator repeats to change their second factor; a wrong one counts
  // towards the lock, and a locked account is refused.
  core::Status CheckPassword(AdminAccount& account, std::string_view password);
  std::mutex unknown_mu_;
  std::unordered_map<std::string, UnknownUser> unknown_;
};

}  // namespace corphub::admin
