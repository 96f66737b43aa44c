#pragma once
// Verified activation and sign-in (the seed's 关注): a member names their registered mobile or
// e-mail, receives a one-time code there, and the right code activates the account (4 -> 1) or,
// once active, signs a new device in. Codes are six digits, expire, work once and for a few
// tries only, and are kept only as a hash bound to a random challenge that only the client
// holds. Requests and wrong codes are limited per member and per address.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/rate_limiter.hpp"
#include "core/transactor.hpp"
#include "identity/member_session_service.hpp"
#include "identity/verification.hpp"
#include "notify/outbound.hpp"

namespace corphub::directory {
class MemberService;
}

namespace corphub::identity {

struct CodeLimits {
  std::chrono::seconds ttl{600};
  std::int64_t attempts = 5;
  std::chrono::seconds interval{60};
  std::int64_t per_day = 10;
  std::int64_t per_address_hour = 30;
};

struct SentCode {
  std::string challenge;  // repeated with the code; about 256 bits
  std::string channel;    // "sms" or "email"
  std::string masked;     // where it went: "138****5678", "z***@example.com"
  core::TimePoint expires_at{};
  std::int64_t resend_after_s = 0;
};

enum class VerifyOutcome { kSignedIn, kActivated, kPending };

struct Verified {
  VerifyOutcome outcome = VerifyOutcome::kSignedIn;
  std::string userid;
  std::optional<NewMemberSession> session;  // not while pending
};

class VerificationService {
 public:
  static constexpr std::size_t kChallengeChars = 43;
  static constexpr std::size_t kCodeDigits = 6;

  VerificationService(core::Transactor<IdentityUnit>& store, const core::Clock& clock,
                      core::IdGenerator& ids, directory::MemberService& members,
                      notify::Mailer& mail, notify::SmsSender& sms, CodeLimits limits);

  // kInvalidArgument when the identifier is neither a mobile nor an e-mail; kNoMatch when no
  // member has it; kAccountUnavailable for a disabled or departed member; kRateLimited (the
  // message says when to try again); kChannelUnavailable, kDeliveryFailed. Blocking.
  core::Result<SentCode> SendCode(std::int64_t org_id, std::string_view identifier,
                                  std::string_view address);

  // kCodeExpired (unknown, expired, used or out of attempts), kWrongCode (with the tries
  // left), kAccountUnavailable, kRateLimited. Blocking.
  core::Result<Verified> Verify(std::string_view challenge, std::string_view code,
                                std::string_view address, std::string_view device);

  // Proves the member's external account id through the organisation's account service (set
  // with SetAccountChecker): the member whose external_id is `account` is activated or signed
  // in as a code would. kInvalidCredentials for a refusal; kNoMatch when no member has that id;
  // kLoginLocked after five refusals for an account in 15 minutes; kChannelUnavailable without
  // a service; kUnavailable when it cannot answer. Blocking.
  core::Result<Verified> VerifyAccount(std::int64_t org_id, std::string_view account,
                                       std::string_view password, std::string_view address,
                                       std::string_view device);
  void SetAccountChecker(notify::AccountChecker* checker) { accounts_ = checker; }
  bool HasAccountChecker() const { return accounts_ != nullptr; }

  // An administrator confirms (or turns down) a pending activation.
  core::Status Approve(const core::Actor& actor, std::int64_t org_id, std::string_view userid);
  core::Status Reject(const core::Actor& actor, std::int64_t org_id, std::string_view userid);
  core::Result<std::vector<PendingActivation>> Pending(std::int64_t org_id);
  core::Result<bool> SecondVerification(std::int64_t org_id);
  core::Status SetSecondVerification(const core::Actor& actor, std::int64_t org_id, bool on);

  // "138****5678"; "z***@example.com".
  static std::string MaskMobile(std::string_view mobile);
  static std::string MaskEmail(std::string_view email);

 private:
  core::Error Limited(std::int64_t seconds) const;
  // Activates (or holds for second verification) and opens the session of a member who proved
  // themselves by `channel`, inside the caller's transaction; `refused` when they may not.
  core::Status CompleteIn(IdentityUnit& u, const SignInMember& m, std::string_view channel,
                          const std::string& addr, core::TimePoint now, Verified& out,
                          NewMemberSession& fresh, std::optional<core::Error>& refused);

  core::Transactor<IdentityUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  directory::MemberService& members_;
  notify::Mailer& mail_;
  notify::SmsSender& sms_;
  CodeLimits limits_;
  core::WindowLimiter by_address_;
  core::WindowLimiter by_account_{5, std::chrono::minutes(15)};
  notify::AccountChecker* accounts_ = nullptr;
};

}  // namespace corphub::identity
