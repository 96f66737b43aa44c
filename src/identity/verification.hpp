#pragma once
// One-time codes that prove a member holds their registered mobile or e-mail, activations
// waiting for an administrator, and the invitations sent.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::identity {

// A member as sign-in sees them.
struct SignInMember {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string userid;
  std::string name;
  std::string mobile;
  std::string email;  // the personal e-mail, else the business one
  bool enable = true;
  int state = 4;  // directory::MemberState
  std::string org_name;
};

struct MemberCode {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t member_id = 0;
  std::string challenge_hash;  // SHA-256 hex of the challenge the client holds
  std::string code_hash;       // SHA-256 hex of challenge ":" code
  std::string channel;         // "sms" or "email"
  std::string address;
  std::int64_t attempts = 0;
  core::TimePoint created_at{};
  core::TimePoint expires_at{};
  std::optional<core::TimePoint> spent_at;
};

struct PendingActivation {
  std::int64_t member_id = 0;
  std::int64_t org_id = 0;
  std::string channel;
  std::string address;
  core::TimePoint verified_at{};
  // Filled on reads.
  std::string userid;
  std::string name;
};

struct Invitation {
  std::int64_t org_id = 0;
  std::int64_t member_id = 0;
  std::string channel;  // "sms" or "email"
  std::string status;   // "sent" or "failed"
  std::string error;
  std::string actor;
  core::TimePoint created_at{};
};

// A member's optional password.
struct MemberPassword {
  std::int64_t member_id = 0;
  std::int64_t org_id = 0;
  std::string hash;  // argon2id
  std::int64_t failed = 0;
  core::TimePoint locked_until{};
  core::TimePoint updated_at{};
};

class VerificationRepository {
 public:
  virtual ~VerificationRepository() = default;
  // By mobile key or e-mail key (personal or business).
  virtual core::Result<std::optional<SignInMember>> FindByMobile(std::int64_t org_id,
                                                                 std::string_view mobile_key) = 0;
  virtual core::Result<std::optional<SignInMember>> FindByEmail(std::int64_t org_id,
                                                                std::string_view email_key) = 0;
  virtual core::Result<std::optional<SignInMember>> FindMember(std::int64_t member_id) = 0;
  virtual core::Result<std::optional<SignInMember>> FindByExternalId(
      std::int64_t org_id, std::string_view external_id) = 0;

  virtual core::Status InsertCode(MemberCode& code) = 0;  // sets code.id
  virtual core::Result<std::optional<MemberCode>> FindCode(std::string_view challenge_hash) = 0;
  virtual core::Status UpdateCode(const MemberCode& code) = 0;  // attempts and spent_at
  // Ends the member's codes still usable (a new one replaces them).
  virtual core::Status SpendCodesOf(std::int64_t member_id, core::TimePoint at) = 0;
  // How many codes the member was sent since `since`, and when the newest was.
  virtual core::Result<std::int64_t> CountCodesSince(std::int64_t member_id,
                                                     core::TimePoint since) = 0;
  virtual core::Result<std::optional<core::TimePoint>> LastCodeAt(std::int64_t member_id) = 0;

  virtual core::Result<bool> SecondVerification(std::int64_t org_id) = 0;
  virtual core::Status SetSecondVerification(std::int64_t org_id, bool on, core::TimePoint at) = 0;
  virtual core::Status UpsertPending(const PendingActivation& pending) = 0;
  virtual core::Status DeletePending(std::int64_t member_id) = 0;
  // Those still waiting: the member is enabled and not activated yet; oldest first.
  virtual core::Result<std::vector<PendingActivation>> ListPending(std::int64_t org_id) = 0;

  virtual core::Status InsertInvitation(const Invitation& invitation) = 0;

  virtual core::Result<std::optional<MemberPassword>> FindPassword(std::int64_t member_id) = 0;
  // Inserts or replaces the member's password (failures cleared).
  virtual core::Status SetPassword(const MemberPassword& password) = 0;
  virtual core::Status DeletePassword(std::int64_t member_id) = 0;
  virtual core::Status SetPasswordFailures(std::int64_t member_id, std::int64_t failed,
                                           core::TimePoint locked_until) = 0;
};

}  // namespace corphub::identity
