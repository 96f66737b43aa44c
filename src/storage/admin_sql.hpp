#pragma once
// admin::AdminRepository over Sql, one implementation for every backend.
#include "admin/admin_repository.hpp"
#include "crypto/secret_box.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class AdminSql final : public admin::AdminRepository {
 public:
  // `box` seals the TOTP secrets at rest (nullptr: stored as they are).
  AdminSql(Sql& sql, const crypto::SecretBox* box) : sql_(sql), box_(box) {}

  core::Result<std::int64_t> Insert(const admin::AdminAccount& account) override;
  core::Result<std::optional<admin::AdminAccount>> FindByUsername(
      std::string_view username) override;
  core::Result<std::int64_t> Count() override;
  core::Result<std::optional<admin::AdminAccount>> FindById(std::int64_t id) override;
  core::Result<std::vector<admin::AdminAccount>> List() override;
  core::Result<std::int64_t> CountSupers() override;
  core::Status SetPassword(const admin::AdminAccount& account) override;
  core::Status SetRole(const admin::AdminAccount& account) override;
  core::Status Delete(std::int64_t id) override;
  core::Status DeleteSessionsOf(std::int64_t admin_id, std::int64_t except_id) override;
  core::Status InsertGroup(admin::AdminGroup& group) override;
  core::Status UpdateGroup(const admin::AdminGroup& group) override;
  core::Status DeleteGroup(std::int64_t org_id, std::int64_t id) override;
  core::Result<std::vector<admin::AdminGroup>> Groups(std::int64_t org_id) override;
  core::Result<std::vector<admin::AdminGroup>> GroupsOf(std::int64_t admin_id) override;
  core::Status SetGroupsOf(std::int64_t admin_id,
                           const std::vector<std::int64_t>& group_ids) override;
  core::Status SetLoginState(const admin::AdminAccount& account) override;
  core::Status SetTotp(const admin::AdminAccount& account) override;
  core::Status ReplaceRecoveryCodes(std::int64_t admin_id,
                                    const std::vector<std::string>& hashes) override;
  core::Result<bool> UseRecoveryCode(std::int64_t admin_id, std::string_view hash,
                                     core::TimePoint at) override;
  core::Result<std::int64_t> RecoveryCodesLeft(std::int64_t admin_id) override;
  core::Status InsertSession(admin::AdminSession& session) override;
  core::Result<std::optional<admin::AdminSession>> FindSession(
      std::string_view token_hash) override;
  core::Status TouchSession(std::int64_t id, core::TimePoint last_seen_at) override;
  core::Status DeleteSession(std::int64_t id) override;
  core::Result<std::int64_t> DeleteExpiredSessions(core::TimePoint now,
                                                   core::TimePoint idle_since) override;

 private:
  // The groups `where` selects (over admin_groups g), filled in.
  core::Result<std::vector<admin::AdminGroup>> SelectGroups(const std::string& where,
                                                            const Params& params);
  core::Status WriteGroupParts(const admin::AdminGroup& group);
  core::Result<admin::AdminAccount> AccountFrom(const Row& row, std::size_t at) const;
  // A TOTP secret as stored: sealed when there is a key (and it is not empty).
  std::string Sealed(const std::string& plain) const {
    return box_ != nullptr && !plain.empty() ? box_->Seal(plain) : plain;
  }
  Sql& sql_;
  const crypto::SecretBox* box_;
};

}  // namespace corphub::storage
