#pragma once
// A member's optional password: set from a signed-in device, it signs another device in with
// the registered mobile or e-mail and the password instead of a one-time code. Stored as
// argon2id; wrong passwords lock the member's password (not their codes) for a while, and
// every try counts towards the address's limit, found or not.
#include <chrono>
#include <string>
#include <string_view>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/rate_limiter.hpp"
#include "core/transactor.hpp"
#include "crypto/password.hpp"
#include "identity/member_session_service.hpp"
#include "identity/verification_service.hpp"

namespace corphub::identity {

struct PasswordLimits {
  std::int64_t max_failures = 5;  // wrong passwords in a row before a lock
  std::chrono::seconds lock{15 * 60};
  std::int64_t per_address_hour = 30;
};

class MemberPasswordService {
 public:
  static constexpr std::size_t kMinChars = 8;

  MemberPasswordService(core::Transactor<IdentityUnit>& store, const core::Clock& clock,
                        core::IdGenerator& ids, const crypto::PasswordHasher& hasher,
                        PasswordLimits limits);

  core::Result<bool> Has(std::int64_t member_id);
  // `current` must be the password when one is set. kInvalidCredentials; kInvalidArgument for
  // a password under 8 characters or too long. Audited (member.password_set). Blocking.
  core::Status Set(std::int64_t org_id, std::int64_t member_id, std::string_view userid,
                   std::string_view current, std::string_view password, std::string_view address);
  core::Status Remove(std::int64_t org_id, std::int64_t member_id, std::string_view userid,
                      std::string_view current, std::string_view address);
  // kInvalidCredentials for an unknown identifier, a member without a password or a wrong one
  // (one answer for all, in about the same time); kLoginLocked; kRateLimited;
  // kAccountUnavailable for a frozen or departed member. Blocking.
  core::Result<Verified> SignIn(std::int64_t org_id, std::string_view identifier,
                                std::string_view password, std::string_view address,
                                std::string_view device);

 private:
  // The current password, as Set and Remove need it; wrong ones count towards the lock.
  core::Status CheckCurrent(MemberPassword& p, std::string_view current);
  // One more wrong password: locks it at the limit. Answers `wrong`, or the lock.
  core::Error CountFailure(MemberPassword& p, core::TimePoint now, core::Error wrong);

  core::Transactor<IdentityUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const crypto::PasswordHasher& hasher_;
  PasswordLimits limits_;
  core::WindowLimiter by_address_;
  std::string dummy_hash_;
};

}  // namespace corphub::identity
