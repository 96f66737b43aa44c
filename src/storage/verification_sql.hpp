#pragma once
// identity::VerificationRepository over Sql, for every backend.
#include "identity/verification.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class VerificationSql final : public identity::VerificationRepository {
 public:
  explicit VerificationSql(Sql& sql) : sql_(sql) {}
  core::Result<std::optional<identity::SignInMember>> FindByMobile(
      std::int64_t org_id, std::string_view mobile_key) override;
  core::Result<std::optional<identity::SignInMember>> FindByEmail(
      std::int64_t org_id, std::string_view email_key) override;
  core::Result<std::optional<identity::SignInMember>> FindMember(std::int64_t member_id) override;
  core::Result<std::optional<identity::SignInMember>> FindByExternalId(
      std::int64_t org_id, std::string_view external_id) override;
  core::Status InsertCode(identity::MemberCode& code) override;
  core::Result<std::optional<identity::MemberCode>> FindCode(
      std::string_view challenge_hash) override;
  core::Status UpdateCode(const identity::MemberCode& code) override;
  core::Status SpendCodesOf(std::int64_t member_id, core::TimePoint at) override;
  core::Result<std::int64_t> CountCodesSince(std::int64_t member_id,
                                             core::TimePoint since) override;
  core::Result<std::optional<core::TimePoint>> LastCodeAt(std::int64_t member_id) override;
  core::Result<bool> SecondVerification(std::int64_t org_id) override;
  core::Status SetSecondVerification(std::int64_t org_id, bool on, core::TimePoint at) override;
  core::Status UpsertPending(const identity::PendingActivation& pending) override;
  core::Status DeletePending(std::int64_t member_id) override;
  core::Result<std::vector<identity::PendingActivation>> ListPending(std::int64_t org_id) override;
  core::Status InsertInvitation(const identity::Invitation& invitation) override;
  core::Result<std::optional<identity::MemberPassword>> FindPassword(
      std::int64_t member_id) override;
  core::Status SetPassword(const identity::MemberPassword& password) override;
  core::Status DeletePassword(std::int64_t member_id) override;
  core::Status SetPasswordFailures(std::int64_t member_id, std::int64_t failed,
                                   core::TimePoint locked_until) override;

 private:
  // `business_mail`: the member's e-mail is their business one (found by it).
  core::Result<std::optional<identity::SignInMember>> FindWhere(std::string_view where,
                                                                const Params& params,
                                                                bool business_mail = false);
  Sql& sql_;
};

}  // namespace corphub::storage
