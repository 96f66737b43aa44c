#pragma once
// admin::AdminRepository over Sql, one implementation for every backend.
#include "admin/admin_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class AdminSql final : public admin::AdminRepository {
 public:
  explicit AdminSql(Sql& sql) : sql_(sql) {}

  core::Result<std::int64_t> Insert(const admin::AdminAccount& account) override;
  core::Result<std::optional<admin::AdminAccount>> FindByUsername(
      std::string_view username) override;
  core::Result<std::int64_t> Count() override;
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
  Sql& sql_;
};

}  // namespace corphub::storage
