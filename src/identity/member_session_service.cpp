#include "identity/member_session_service.hpp"

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "crypto/hash.hpp"

namespace corphub::identity {
NewMemberSession MemberSessionService::Prepare(core::IdGenerator& ids, core::TimePoint now,
                                               std::string_view address, std::string_view device) {
  NewMemberSession out;
  out.token = ids.Token(kTokenChars);
  MemberSession& s = out.session;
  s.token_hash = crypto::Sha256Hex(out.token);
  s.csrf_token = ids.Token(kCsrfChars);
  s.address = std::string(address);
  s.device = std::string(device.substr(0, 200));
  s.created_at = s.last_seen_at = now;
  s.expires_at = now + kLifetime;
  return out;
}

core::Result<NewMemberSession> MemberSessionService::Open(std::int64_t org_id,
                                                          std::string_view userid,
                                                          std::string_view address,
                                                          std::string_view device) {
  NewMemberSession out = Prepare(ids_, clock_.Now(), address, device);
  MemberSession& s = out.session;
  s.org_id = org_id;
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

core::Result<std::vector<MemberSession>> MemberSessionService::List(std::int64_t member_id) {
  const auto now = clock_.Now();
  return core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.MemberSessions().ListOfMember(member_id, now); });
}

core::Result<std::vector<std::int64_t>> MemberSessionService::End(std::int64_t member_id,
                                                                  std::optional<std::int64_t> id,
                                                                  std::int64_t keep) {
  auto ended = core::WriteValue(store_, [&](IdentityUnit& u) {
    return u.MemberSessions().DeleteOfMember(member_id, id, keep);
  });
  if (!ended) return ended;
  if (id && ended->empty()) {
    return core::MakeError(core::ErrorKind::kNotFound, "no such session");
  }
  return ended;
}

core::Result<std::vector<std::int64_t>> MemberSessionService::EndAll(const core::Actor& actor,
                                                                     std::int64_t org_id,
                                                                     std::int64_t member_id,
                                                                     std::string_view userid) {
  const auto now = clock_.Now();
  return core::WriteValue(store_, [&](IdentityUnit& u) -> core::Result<std::vector<std::int64_t>> {
    auto ended = u.MemberSessions().DeleteOfMember(member_id, std::nullopt, 0);
    if (!ended) return ended;
    CORPHUB_TRY(u.Audit().Append(core::AuditRecord{
        org_id, now, actor.principal, actor.address, "user.sessions_end", std::string(userid),
        core::JsonObjectWriter()
            .Int("sessions", static_cast<std::int64_t>(ended->size()))
            .Done()}));
    return ended;
  });
}

core::Result<std::int64_t> MemberSessionService::MemberIdOf(std::int64_t org_id,
                                                            std::string_view userid) {
  auto found = core::ReadValue(store_, [&](IdentityUnit& u) {
    return u.MemberSessions().MemberIdOf(org_id, core::AsciiLower(userid));
  });
  if (!found) return std::move(found).error();
  if (!*found) {
    return core::MakeError(core::ErrorKind::kUserNotFound,
                           "no member has the userid " + std::string(userid));
  }
  return **found;
}

core::Result<std::vector<std::int64_t>> MemberSessionService::Live(
    const std::vector<std::int64_t>& ids) {
  const auto now = clock_.Now();
  return core::ReadValue(store_,
                         [&](IdentityUnit& u) { return u.MemberSessions().Live(ids, now); });
}

}  // namespace corphub::identity
