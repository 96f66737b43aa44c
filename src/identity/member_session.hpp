#pragma once
// A member's session on one device: an HttpOnly cookie holding a token (only its SHA-256 is
// stored) and a CSRF token that every state-changing call repeats in a header. Sessions are
// opened by a verified code (VerificationService) or, in tests, by the test-only route.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "directory/directory_repository.hpp"

namespace corphub::identity {

struct MemberSession {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::int64_t org_id = 0;  // the member's, filled on reads
  std::string token_hash;
  std::string csrf_token;
  std::string address;
  std::string device;  // what the browser says it is, shortened ("Chrome on Android")
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
  // The member's sessions that have not expired, newest first.
  virtual core::Result<std::vector<MemberSession>> ListOfMember(std::int64_t member_id,
                                                                core::TimePoint now) = 0;
  // Removes the member's session `id` (or all of them, but `keep`); returns the ids removed.
  virtual core::Result<std::vector<std::int64_t>> DeleteOfMember(std::int64_t member_id,
                                                                 std::optional<std::int64_t> id,
                                                                 std::int64_t keep) = 0;
  // Of `ids`, those that still speak for someone: the session exists, has not expired, and its
  // member is enabled and has not left.
  virtual core::Result<std::vector<std::int64_t>> Live(const std::vector<std::int64_t>& ids,
                                                       core::TimePoint now) = 0;
};

class VerificationRepository;
class RegistrationRepository;

// Identity's transactions also activate members through the directory's rules.
class IdentityUnit : public virtual directory::DirectoryUnit {
 public:
  virtual ~IdentityUnit() = default;
  virtual MemberSessionRepository& MemberSessions() = 0;
  virtual VerificationRepository& Verifications() = 0;
  virtual RegistrationRepository& Registrations() = 0;
};

}  // namespace corphub::identity
