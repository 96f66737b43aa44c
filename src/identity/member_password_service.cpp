#include "identity/member_password_service.hpp"

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "directory/member.hpp"
#include "identity/verification.hpp"

namespace corphub::identity {

using core::ErrorKind;
using core::MakeError;

namespace {

core::Error Wrong() {
  return MakeError(ErrorKind::kInvalidCredentials, "wrong account or password");
}

core::Error LockedFor(core::TimePoint now, core::TimePoint until) {
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(until - now).count();
  return MakeError(ErrorKind::kLoginLocked, "too many wrong passwords; try again in " +
                                                std::to_string(minutes) +
                                                " minutes, or sign in with a code");
}

}  // namespace

MemberPasswordService::MemberPasswordService(core::Transactor<IdentityUnit>& store,
                                             const core::Clock& clock, core::IdGenerator& ids,
                                             const crypto::PasswordHasher& hasher,
                                             PasswordLimits limits)
    : store_(store),
      clock_(clock),
      ids_(ids),
      hasher_(hasher),
      limits_(limits),
      by_address_(limits.per_address_hour, std::chrono::hours(1)),
      dummy_hash_(hasher.Hash(ids.Token(20))) {}

core::Result<bool> MemberPasswordService::Has(std::int64_t member_id) {
  return core::ReadValue(store_, [&](IdentityUnit& u) -> core::Result<bool> {
    auto found = u.Verifications().FindPassword(member_id);
    if (!found) return std::move(found).error();
    return found->has_value();
  });
}

core::Status MemberPasswordService::CheckCurrent(MemberPassword& p, std::string_view current) {
  const auto now = clock_.Now();
  if (p.locked_until > now) return LockedFor(now, p.locked_until);
  if (current.size() <= crypto::PasswordHasher::kMaxPasswordBytes &&
      hasher_.Verify(p.hash, current)) {
    return core::Ok();
  }
  // Wrong guesses from a signed-in device count as sign-in failures do.
  return CountFailure(p, now,
                      MakeError(ErrorKind::kInvalidCredentials, "the current password is wrong"));
}

core::Error MemberPasswordService::CountFailure(MemberPassword& p, core::TimePoint now,
                                                core::Error wrong) {
  ++p.failed;
  const bool lock = p.failed >= limits_.max_failures;
  if (lock) {
    p.failed = 0;
    p.locked_until = now + limits_.lock;
  }
  core::Status written = store_.Write([&](IdentityUnit& u) {
    return u.Verifications().SetPasswordFailures(p.member_id, p.failed, p.locked_until);
  });
  if (!written) return std::move(written).error();
  return lock ? LockedFor(now, p.locked_until) : std::move(wrong);
}

core::Status MemberPasswordService::Set(std::int64_t org_id, std::int64_t member_id,
                                        std::string_view userid, std::string_view current,
                                        std::string_view password, std::string_view address) {
  if (core::CodePoints(password) < kMinChars) {
    return MakeError(ErrorKind::kInvalidArgument, "a password has at least 8 characters");
  }
  if (password.size() > crypto::PasswordHasher::kMaxPasswordBytes) {
    return MakeError(ErrorKind::kInvalidArgument, "this password is too long");
  }
  auto found = core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.Verifications().FindPassword(member_id); });
  if (!found) return std::move(found).error();
  if (*found) CORPHUB_TRY(CheckCurrent(**found, current));
  MemberPassword p;
  p.member_id = member_id;
  p.org_id = org_id;
  p.hash = hasher_.Hash(password);
  p.updated_at = clock_.Now();
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    CORPHUB_TRY(u.Verifications().SetPassword(p));
    return u.Audit().Append(core::AuditRecord{org_id, p.updated_at, "member:" + std::string(userid),
                                              std::string(address), "member.password_set",
                                              std::string(userid), "{}"});
  });
}

core::Status MemberPasswordService::Remove(std::int64_t org_id, std::int64_t member_id,
                                           std::string_view userid, std::string_view current,
                                           std::string_view address) {
  auto found = core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.Verifications().FindPassword(member_id); });
  if (!found) return std::move(found).error();
  if (!*found) return core::Ok();
  CORPHUB_TRY(CheckCurrent(**found, current));
  const auto now = clock_.Now();
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    CORPHUB_TRY(u.Verifications().DeletePassword(member_id));
    return u.Audit().Append(core::AuditRecord{org_id, now, "member:" + std::string(userid),
                                              std::string(address), "member.password_remove",
                                              std::string(userid), "{}"});
  });
}

core::Result<Verified> MemberPasswordService::SignIn(std::int64_t org_id,
                                                     std::string_view identifier,
                                                     std::string_view password,
                                                     std::string_view address,
                                                     std::string_view device) {
  const auto now = clock_.Now();
  const std::string addr(address);
  if (auto wait = by_address_.RetryAfter(addr, now); wait > 0) {
    return MakeError(ErrorKind::kRateLimited, "too many tries from this network; try again in " +
                                                  std::to_string((wait + 59) / 60) + " minutes");
  }
  const std::string id(core::TrimSpaces(identifier));
  // Only failures count towards the address's limit: an unknown account answers as a wrong
  // password does, so counting them is what stops listing who has a password.
  if (id.empty() || id.size() > 128 || password.empty() ||
      password.size() > crypto::PasswordHasher::kMaxPasswordBytes) {
    by_address_.Count(addr, now);
    return Wrong();
  }
  const bool by_email = id.find('@') != std::string::npos;
  struct Found {
    std::optional<SignInMember> member;
    std::optional<MemberPassword> password;
  };
  auto found = core::ReadValue(store_, [&](IdentityUnit& u) -> core::Result<Found> {
    auto& v = u.Verifications();
    auto m = by_email ? v.FindByEmail(org_id, directory::EmailKey(id))
                      : v.FindByMobile(org_id, directory::MobileKey(id));
    if (!m) return std::move(m).error();
    Found out{std::move(*m), std::nullopt};
    if (out.member) {
      auto p = v.FindPassword(out.member->id);
      if (!p) return std::move(p).error();
      out.password = std::move(*p);
    }
    return out;
  });
  if (!found) return std::move(found).error();
  if (!found->password) {
    (void)hasher_.Verify(dummy_hash_, password);  // the same time as a member with a password
    by_address_.Count(addr, now);
    return Wrong();
  }
  MemberPassword& p = *found->password;
  if (p.locked_until > now) return LockedFor(now, p.locked_until);
  if (!hasher_.Verify(p.hash, password)) {
    by_address_.Count(addr, now);
    return CountFailure(p, now, Wrong());
  }
  const SignInMember& m = *found->member;
  if (!m.enable || m.state != static_cast<int>(directory::MemberState::kActive)) {
    return MakeError(ErrorKind::kAccountUnavailable,
                     "this account cannot sign in now; ask your administrator");
  }
  NewMemberSession fresh = MemberSessionService::Prepare(ids_, now, addr, device);
  fresh.session.member_id = m.id;
  fresh.session.org_id = m.org_id;
  core::Status opened = store_.Write([&](IdentityUnit& u) -> core::Status {
    if (p.failed != 0) CORPHUB_TRY(u.Verifications().SetPasswordFailures(p.member_id, 0, {}));
    return u.MemberSessions().Insert(fresh.session);
  });
  if (!opened) return std::move(opened).error();
  Verified out;
  out.outcome = VerifyOutcome::kSignedIn;
  out.userid = m.userid;
  out.session = std::move(fresh);
  return out;
}

}  // namespace corphub::identity
