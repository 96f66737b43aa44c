#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/transactor.hpp"
#include "identity/member_session.hpp"

namespace corphub::identity {

struct NewMemberSession {
  std::string token;  // for the cookie; shown once
  MemberSession session;
};

class MemberSessionService {
 public:
  static constexpr std::size_t kTokenChars = 43;  // about 256 bits of [A-Za-z0-9]
  static constexpr std::size_t kCsrfChars = 32;
  static constexpr std::chrono::hours kLifetime{24 * 30};
  static constexpr std::chrono::seconds kTouchEvery{60};

  MemberSessionService(core::Transactor<IdentityUnit>& store, const core::Clock& clock,
                       core::IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // A session for (org_id, userid); kUserNotFound when there is no such member.
  core::Result<NewMemberSession> Open(std::int64_t org_id, std::string_view userid,
                                      std::string_view address);
  // The live session of the token; kUnauthenticated when there is none or it has ended.
  core::Result<MemberSession> Authenticate(std::string_view token);
  core::Status Close(std::string_view token);
  // The member a session speaks for; kUnauthenticated when they have gone.
  core::Result<MemberProfile> Profile(const MemberSession& session);

 private:
  core::Transactor<IdentityUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace corphub::identity
