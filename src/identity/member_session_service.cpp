#include "identity/member_session_service.hpp"

#include "core/text.hpp"
#include "crypto/hash.hpp"

namespace corphub::identity {
core::Result<NewMemberSession> MemberSessionService::Open(std::int64_t org_id,
                                                          std::string_view userid,
                                                          std::string_view address) {
  NewMemberSession out;
  out.token = ids_.Token(kTokenChars);
  MemberSession& s = out.session;
  s.org_id = org_id;
  s.token_hash = crypto::Sha256Hex(out.token);
  s.csrf_token = ids_.Token(kCsrfChars);
  s.address = std::string(address);
  s.created_at = s.last_seen_at = clock_.Now();
  s.expires_at = s.created_at + kLifetime;
  core::Status written = store_.Write([&](IdentityUnit& u) -> core::Status {
    auto member = u.MemberSessions().MemberIdOf(org_id, core::AsciiLower(userid));
    if (!member) return std::move(member).error();
    if (!*member) {
      return core::MakeError(core::ErrorKind::kUserNotFound,
                             "no member has the userid " + std::string(userid));
    }
    s.member_id = **member;
    return u.MemberSessions().Insert(s);
  });
  if (!written) return std::move(written).error();
  return out;
}

core::Result<MemberSession> MemberSessionService::Authenticate(std::string_view token) {
  auto none = [] {
    return core::MakeError(core::ErrorKind::kUnauthenticated, "sign in to continue");
  };
  if (token.empty()) return none();
  const std::string hash = crypto::Sha256Hex(token);
  auto found =
      core::ReadValue(store_, [&](IdentityUnit& u) { return u.MemberSessions().Find(hash); });
  if (!found) return std::move(found).error();
  const auto now = clock_.Now();
  if (!*found || (*found)->expires_at <= now) return none();
  MemberSession s = std::move(**found);
  if (now - s.last_seen_at >= kTouchEvery) {
    s.last_seen_at = now;
    CORPHUB_TRY(store_.Write(
        [&](IdentityUnit& u) { return u.MemberSessions().Touch(s.id, s.last_seen_at); }));
  }
  return s;
}

core::Status MemberSessionService::Close(std::string_view token) {
  if (token.empty()) return core::Ok();
  const std::string hash = crypto::Sha256Hex(token);
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    auto found = u.MemberSessions().Find(hash);
    if (!found) return std::move(found).error();
    if (!*found) return core::Ok();
    return u.MemberSessions().Delete((*found)->id);
  });
}

core::Result<MemberProfile> MemberSessionService::Profile(const MemberSession& session) {
  auto found = core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.MemberSessions().Profile(session.member_id); });
  if (!found) return std::move(found).error();
  if (!*found) return core::MakeError(core::ErrorKind::kUnauthenticated, "sign in first");
  return std::move(**found);
}

}  // namespace corphub::identity
