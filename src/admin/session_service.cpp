#include "admin/session_service.hpp"

#include "admin/admin_service.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"

namespace corphub::admin {

using core::ErrorKind;
using core::MakeError;

namespace {

core::Error Unauthenticated() {
  return MakeError(ErrorKind::kUnauthenticated, "not logged in, or the session has ended");
}

core::Error BadCredentials() {
  return MakeError(ErrorKind::kInvalidCredentials, "wrong username or password");
}

core::Error Locked(core::TimePoint now, core::TimePoint until) {
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(until - now).count();
  return MakeError(ErrorKind::kLoginLocked,
                   "too many failed logins; try again in " + std::to_string(minutes) + " minutes");
}

}  // namespace

SessionService::SessionService(core::Transactor<AdminUnit>& store, const core::Clock& clock,
                               core::IdGenerator& ids, const crypto::PasswordHasher& hasher,
                               SessionLimits limits)
    : store_(store),
      clock_(clock),
      ids_(ids),
      hasher_(hasher),
      limits_(limits),
      dummy_hash_(hasher.Hash(ids.Token(20))) {}

core::Result<Rights> SessionService::RightsOf(AdminUnit& u, const AdminAccount& account) {
  if (account.role == AdminRole::kSuper) return Rights::Super();
  auto groups = u.Admins().GroupsOf(account.id);
  if (!groups) return std::move(groups).error();
  return Rights::Of(*groups);
}

core::Result<NewSession> SessionService::Login(std::string_view username, std::string_view password,
                                               std::string_view address, std::string_view code,
                                               std::int64_t org_id) {
  if (username.empty() || password.empty() || username.size() > 64 ||
      password.size() > crypto::PasswordHasher::kMaxPasswordBytes) {
    return BadCredentials();
  }
  auto found =
      core::ReadValue(store_, [&](AdminUnit& u) { return u.Admins().FindByUsername(username); });
  if (!found) return std::move(found).error();
  const auto now = clock_.Now();
  if (!*found) {
    (void)hasher_.Verify(dummy_hash_, password);
    return FailUnknown(std::string(username), now);
  }
  AdminAccount account = std::move(**found);
  if (account.locked_until > now) return Locked(now, account.locked_until);

  if (!hasher_.Verify(account.password_hash, password)) {
    return FailAccount(account, now, BadCredentials(), org_id, address);
  }
  if (!account.totp_secret.empty()) {
    if (code.empty()) {
      return MakeError(ErrorKind::kTotpRequired,
                       "enter the 6-digit code from your authenticator app, or a recovery code");
    }
    bool spent = false;
    if (auto status = store_.Write([&](AdminUnit& u) -> core::Status {
          auto ok = SpendSecondFactor(u, account, code, now);
          if (!ok) return std::move(ok).error();
          spent = *ok;
          return core::Ok();
        });
        !status)
      return std::move(status).error();
    if (!spent) {
      return FailAccount(account, now,
                         MakeError(ErrorKind::kTotpInvalid,
                                   "wrong code, or one used already: wait for the next one"),
                         org_id, address);
    }
  }

  NewSession out;
  out.token = ids_.Token(kTokenChars);
  AdminSession& s = out.session;
  s.admin_id = account.id;
  s.token_hash = crypto::Sha256Hex(out.token);
  s.csrf_token = ids_.Token(kCsrfChars);
  s.address = std::string(address);
  s.created_at = s.last_seen_at = now;
  s.expires_at = now + limits_.lifetime;
  account.failed_logins = 0;
  account.locked_until = {};
  s.admin = account;
  if (auto status = store_.Write([&](AdminUnit& u) -> core::Status {
        CORPHUB_TRY(u.Admins().SetLoginState(account));
        // Old sessions of anyone are swept at logins, so the table does not grow forever.
        if (auto swept = u.Admins().DeleteExpiredSessions(now, now - limits_.idle); !swept)
          return std::move(swept).error();
        CORPHUB_TRY(u.Admins().InsertSession(s));
        auto rights = RightsOf(u, account);
        if (!rights) return std::move(rights).error();
        s.rights = std::move(*rights);
        if (org_id == 0) return core::Ok();
        return u.Audit().Append(core::AuditRecord{
            org_id, now, "admin:" + account.username, std::string(address), "admin.login",
            account.username,
            core::JsonObjectWriter().Bool("totp", !account.totp_secret.empty()).Done()});
      });
      !status)
    return std::move(status).error();
  return out;
}

core::Error SessionService::FailAccount(AdminAccount& account, core::TimePoint now,
                                        core::Error error, std::int64_t org_id,
                                        std::string_view address) {
  ++account.failed_logins;
  const bool lock = account.failed_logins >= limits_.max_failures;
  if (lock) {
    account.failed_logins = 0;
    account.locked_until = now + limits_.lock;
  }
  const std::string reason = lock ? "locked" : std::string(error.Code());
  if (auto status = store_.Write([&](AdminUnit& u) -> core::Status {
        CORPHUB_TRY(u.Admins().SetLoginState(account));
        if (org_id == 0) return core::Ok();
        return u.Audit().Append(core::AuditRecord{
            org_id, now, "admin:" + account.username, std::string(address), "admin.login_failed",
            account.username, core::JsonObjectWriter().Str("reason", reason).Done()});
      });
      !status)
    return std::move(status).error();
  return lock ? Locked(now, account.locked_until) : std::move(error);
}

core::Status SessionService::CheckPassword(AdminAccount& account, std::string_view password) {
  const auto now = clock_.Now();
  if (account.locked_until > now) return Locked(now, account.locked_until);
  if (password.size() <= crypto::PasswordHasher::kMaxPasswordBytes &&
      hasher_.Verify(account.password_hash, password)) {
    return core::Ok();
  }
  // A wrong password from a session counts as a failed login: a stolen cookie cannot guess it.
  return FailAccount(account, now, MakeError(ErrorKind::kInvalidCredentials, "wrong password"), 0,
                     {});
}

core::Result<bool> SessionService::SpendSecondFactor(AdminUnit& u, AdminAccount& account,
                                                     std::string_view code, core::TimePoint now) {
  std::string compact;
  for (char c : code) {
    if (c != ' ' && c != '-') compact += c;
  }
  if (compact.size() == static_cast<std::size_t>(crypto::kTotpDigits)) {
    auto secret = crypto::Base32Decode(account.totp_secret);
    if (!secret) return MakeError(ErrorKind::kInternal, "the stored TOTP secret is not base32");
    auto step = crypto::TotpMatch(*secret, compact, core::UnixSeconds(now), account.totp_last_step);
    if (!step) return false;
    account.totp_last_step = *step;
    CORPHUB_TRY(u.Admins().SetTotp(account));
    return true;
  }
  if (compact.size() != 10) return false;
  return u.Admins().UseRecoveryCode(account.id, crypto::Sha256Hex(core::AsciiLower(compact)), now);
}

core::Result<AdminAccount> SessionService::AccountOf(AdminUnit& u, std::string_view username) {
  auto found = u.Admins().FindByUsername(username);
  if (!found) return std::move(found).error();
  if (!*found) return Unauthenticated();
  return std::move(**found);
}

core::Result<TotpSetup> SessionService::SetupTotp(std::string_view username,
                                                  std::string_view password,
                                                  std::string_view issuer) {
  auto account = core::ReadValue(store_, [&](AdminUnit& u) { return AccountOf(u, username); });
  if (!account) return std::move(account).error();
  CORPHUB_TRY(CheckPassword(*account, password));
  if (!account->totp_secret.empty()) {
    return MakeError(ErrorKind::kConflict, "two-step login is on already; turn it off first");
  }
  TotpSetup out;
  out.secret = crypto::Base32Encode(crypto::RandomBytes(20));  // 160 bits, as RFC 4226 advises
  out.otpauth_uri = crypto::OtpauthUri(issuer, account->username, out.secret);
  account->totp_pending = out.secret;
  CORPHUB_TRY(store_.Write([&](AdminUnit& u) { return u.Admins().SetTotp(*account); }));
  return out;
}

core::Result<std::vector<std::string>> SessionService::EnableTotp(const core::Actor& actor,
                                                                  std::int64_t org_id,
                                                                  std::string_view username,
                                                                  std::string_view code) {
  const auto now = clock_.Now();
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < kRecoveryCodes; ++i) {
    const std::string raw = core::AsciiLower(ids_.Token(10));
    codes.push_back(raw.substr(0, 5) + "-" + raw.substr(5));
  }
  std::optional<core::Error> refused;
  core::Status written = store_.Write([&](AdminUnit& u) -> core::Status {
    refused.reset();
    auto account = AccountOf(u, username);
    if (!account) return std::move(account).error();
    if (account->totp_pending.empty()) {
      refused = MakeError(ErrorKind::kConflict, "set two-step login up first");
      return core::Ok();
    }
    auto secret = crypto::Base32Decode(account->totp_pending);
    std::string digits;
    for (char c : code) {
      if (c != ' ' && c != '-') digits += c;
    }
    auto step = secret ? crypto::TotpMatch(*secret, digits, core::UnixSeconds(now), 0)
                       : std::optional<std::int64_t>();
    if (!step) {
      refused =
          MakeError(ErrorKind::kTotpInvalid,
                    "wrong code: check the phone's time, and type the code the app shows now");
      return core::Ok();
    }
    account->totp_secret = account->totp_pending;
    account->totp_pending.clear();
    account->totp_last_step = *step;
    CORPHUB_TRY(u.Admins().SetTotp(*account));
    std::vector<std::string> hashes;
    for (const auto& c : codes) {
      hashes.push_back(crypto::Sha256Hex(c.substr(0, 5) + c.substr(6)));
    }
    CORPHUB_TRY(u.Admins().ReplaceRecoveryCodes(account->id, hashes));
    return u.Audit().Append(core::AuditRecord{org_id, now, actor.principal, actor.address,
                                              "admin.totp_enable", account->username, "{}"});
  });
  if (!written) return std::move(written).error();
  if (refused && refused->kind == ErrorKind::kTotpInvalid) {
    // Wrong codes at enrolment count as failed logins do.
    auto account = core::ReadValue(store_, [&](AdminUnit& u) { return AccountOf(u, username); });
    if (!account) return std::move(account).error();
    return FailAccount(*account, now, std::move(*refused), 0, {});
  }
  if (refused) return std::move(*refused);
  return codes;
}

core::Status SessionService::DisableTotp(const core::Actor& actor, std::int64_t org_id,
                                         std::string_view username, std::string_view password) {
  auto account = core::ReadValue(store_, [&](AdminUnit& u) { return AccountOf(u, username); });
  if (!account) return std::move(account).error();
  CORPHUB_TRY(CheckPassword(*account, password));
  return ResetTotp(actor, org_id, username);
}

core::Status SessionService::ChangePassword(const core::Actor& actor, std::int64_t org_id,
                                            std::string_view username, std::int64_t session_id,
                                            std::string_view current, std::string_view next) {
  auto account = core::ReadValue(store_, [&](AdminUnit& u) { return AccountOf(u, username); });
  if (!account) return std::move(account).error();
  CORPHUB_TRY(CheckPassword(*account, current));
  CORPHUB_TRY(AdminService::ValidatePassword(next));
  if (next == current) {
    return MakeError(ErrorKind::kInvalidArgument, "the new password must differ from the old");
  }
  account->password_hash = hasher_.Hash(next);
  account->must_change_password = false;
  return store_.Write([&](AdminUnit& u) -> core::Status {
    CORPHUB_TRY(u.Admins().SetPassword(*account));
    // Every other session of theirs ends: a password change locks out whoever else had one.
    CORPHUB_TRY(u.Admins().DeleteSessionsOf(account->id, session_id));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "admin.password", account->username, "{}"});
  });
}

core::Status SessionService::ResetTotp(const core::Actor& actor, std::int64_t org_id,
                                       std::string_view username) {
  const auto now = clock_.Now();
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto found = u.Admins().FindByUsername(username);
    if (!found) return std::move(found).error();
    if (!*found)
      return MakeError(ErrorKind::kNotFound, "no administrator " + std::string(username));
    AdminAccount& account = **found;
    account.totp_secret.clear();
    account.totp_pending.clear();
    CORPHUB_TRY(u.Admins().SetTotp(account));
    CORPHUB_TRY(u.Admins().ReplaceRecoveryCodes(account.id, {}));
    return u.Audit().Append(core::AuditRecord{org_id, now, actor.principal, actor.address,
                                              "admin.totp_disable", account.username, "{}"});
  });
}

core::Result<TotpState> SessionService::Totp(std::string_view username) {
  return core::ReadValue(store_, [&](AdminUnit& u) -> core::Result<TotpState> {
    auto account = AccountOf(u, username);
    if (!account) return std::move(account).error();
    TotpState out;
    out.enabled = !account->totp_secret.empty();
    out.pending = !account->totp_pending.empty();
    auto left = u.Admins().RecoveryCodesLeft(account->id);
    if (!left) return std::move(left).error();
    out.recovery_codes_left = *left;
    return out;
  });
}

core::Error SessionService::FailUnknown(const std::string& username, core::TimePoint now) {
  std::lock_guard lock(unknown_mu_);
  if (unknown_.size() >= kMaxUnknown && !unknown_.count(username)) {
    std::erase_if(unknown_, [&](const auto& e) { return e.second.locked_until <= now; });
    if (unknown_.size() >= kMaxUnknown) return BadCredentials();
  }
  UnknownUser& u = unknown_[username];
  if (u.locked_until > now) return Locked(now, u.locked_until);
  if (++u.failures >= limits_.max_failures) {
    u.failures = 0;
    u.locked_until = now + limits_.lock;
    return Locked(now, u.locked_until);
  }
  return BadCredentials();
}

core::Result<AdminSession> SessionService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > 128) return Unauthenticated();
  const std::string hash = crypto::Sha256Hex(token);
  std::optional<AdminSession> found;
  auto read = store_.Read([&](AdminUnit& u) -> core::Status {
    auto session = u.Admins().FindSession(hash);
    if (!session) return std::move(session).error();
    found = std::move(*session);
    if (!found) return core::Ok();
    // A scoped administrator's rights are read afresh on every call, so a change to their
    // groups applies at once.
    auto rights = RightsOf(u, found->admin);
    if (!rights) return std::move(rights).error();
    found->rights = std::move(*rights);
    return core::Ok();
  });
  if (!read) return std::move(read).error();
  if (!found) return Unauthenticated();
  AdminSession s = std::move(*found);
  const auto now = clock_.Now();
  if (s.expires_at <= now || s.last_seen_at + limits_.idle <= now) return Unauthenticated();
  if (now - s.last_seen_at >= kTouchEvery) {
    if (auto status =
            store_.Write([&](AdminUnit& u) { return u.Admins().TouchSession(s.id, now); });
        !status)
      return std::move(status).error();
    s.last_seen_at = now;
  }
  return s;
}

core::Status SessionService::Logout(std::string_view token, std::int64_t org_id,
                                    std::string_view address) {
  if (token.empty() || token.size() > 128) return core::Ok();
  const std::string hash = crypto::Sha256Hex(token);
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto found = u.Admins().FindSession(hash);
    if (!found) return std::move(found).error();
    if (!*found) return core::Ok();
    CORPHUB_TRY(u.Admins().DeleteSession((*found)->id));
    if (org_id == 0) return core::Ok();
    const std::string& name = (*found)->admin.username;
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), "admin:" + name,
                                              std::string(address), "admin.logout", name, "{}"});
  });
}

}  // namespace corphub::admin
