#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
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

  // A session not stored yet (member_id and org_id left for the caller): fresh tokens, times.
  static NewMemberSession Prepare(core::IdGenerator& ids, core::TimePoint now,
                                  std::string_view address, std::string_view device);

  // A session for (org_id, userid); kUserNotFound when there is no such member. For the
  // test-only route: members sign in through VerificationService.
  core::Result<NewMemberSession> Open(std::int64_t org_id, std::string_view userid,
                                      std::string_view address, std::string_view device = {});
  // The member's live sessions, newest first.
  core::Result<std::vector<MemberSession>> List(std::int64_t member_id);
  // Ends the member's session `id` (kNotFound when it is not theirs), or with nullopt every
  // session of theirs but `keep`. Returns the ids ended, for cutting their sockets.
  core::Result<std::vector<std::int64_t>> End(std::int64_t member_id,
                                              std::optional<std::int64_t> id,
                                              std::int64_t keep = 0);
  // An administrator ends every session of the member (audited); returns the ids ended.
  core::Result<std::vector<std::int64_t>> EndAll(const core::Actor& actor, std::int64_t org_id,
                                                 std::int64_t member_id, std::string_view userid);
  // The member id of (org_id, userid); kUserNotFound when there is none.
  core::Result<std::int64_t> MemberIdOf(std::int64_t org_id, std::string_view userid);
  // Of `ids`, those still live (see MemberSessionRepository::Live).
  core::Result<std::vector<std::int64_t>> Live(const std::vector<std::int64_t>& ids);
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
