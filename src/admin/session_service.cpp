#include "admin/session_service.hpp"

#include "crypto/hash.hpp"

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

core::Result<NewSession> SessionService::Login(std::string_view username, std::string_view password,
                                               std::string_view address) {
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
    ++account.failed_logins;
    const bool lock = account.failed_logins >= limits_.max_failures;
    if (lock) {
      account.failed_logins = 0;
      account.locked_until = now + limits_.lock;
    }
    if (auto status = store_.Write([&](AdminUnit& u) { return u.Admins().SetLoginState(account); });
        !status)
      return std::move(status).error();
    return lock ? Locked(now, account.locked_until) : BadCredentials();
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
        return u.Admins().InsertSession(s);
      });
      !status)
    return std::move(status).error();
  return out;
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
  auto found = core::ReadValue(store_, [&](AdminUnit& u) { return u.Admins().FindSession(hash); });
  if (!found) return std::move(found).error();
  if (!*found) return Unauthenticated();
  AdminSession s = std::move(**found);
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

core::Status SessionService::Logout(std::string_view token) {
  if (token.empty() || token.size() > 128) return core::Ok();
  const std::string hash = crypto::Sha256Hex(token);
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto found = u.Admins().FindSession(hash);
    if (!found) return std::move(found).error();
    if (!*found) return core::Ok();
    return u.Admins().DeleteSession((*found)->id);
  });
}

}  // namespace corphub::admin
