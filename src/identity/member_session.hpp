#pragma once
// A member's session on one device: an HttpOnly cookie holding a token (only its SHA-256 is
// stored) and a CSRF token that every state-changing call repeats in a header. The identity
// issue opens sessions through verified activation and login; until then the test-only route
// opens them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::identity {

struct MemberSession {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::int64_t org_id = 0;  // the member's, filled on reads
  std::string token_hash;
  std::string csrf_token;
  std::string address;
  core::TimePoint created_at{};
  core::TimePoint last_seen_at{};
  core::TimePoint expires_at{};
};

// Who a session speaks for, as the member client shows it.
struct MemberProfile {
  std::string userid;
  std::string name;
  std::string position;
  std::string avatar;
  std::string org_name;
};

class MemberSessionRepository {
 public:
  virtual ~MemberSessionRepository() = default;
  virtual core::Status Insert(MemberSession& session) = 0;  // sets session.id
  // With the member's org_id; nullopt when there is none, or while the member is disabled
  // (frozen, WeCom's status 2) or has left (5): their sessions speak for nobody then, and
  // speak again once the member is enabled.
  virtual core::Result<std::optional<MemberSession>> Find(std::string_view token_hash) = 0;
  virtual core::Status Touch(std::int64_t id, core::TimePoint last_seen_at) = 0;
  virtual core::Status Delete(std::int64_t id) = 0;
  // The member id of (org_id, lowercased userid), for the test-only route.
  virtual core::Result<std::optional<std::int64_t>> MemberIdOf(std::int64_t org_id,
                                                               std::string_view userid_key) = 0;
  virtual core::Result<std::optional<MemberProfile>> Profile(std::int64_t member_id) = 0;
};

class IdentityUnit {
 public:
  virtual ~IdentityUnit() = default;
  virtual MemberSessionRepository& MemberSessions() = 0;
};

}  // namespace corphub::identity
