#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/admin_account.hpp"
#include "core/audit.hpp"
#include "core/result.hpp"

namespace corphub::admin {

class AdminRepository {
 public:
  virtual ~AdminRepository() = default;
  // kAlreadyExists when the username is taken. Returns the new id.
  virtual core::Result<std::int64_t> Insert(const AdminAccount& account) = 0;
  virtual core::Result<std::optional<AdminAccount>> FindByUsername(std::string_view username) = 0;
  virtual core::Result<std::int64_t> Count() = 0;
  virtual core::Result<std::optional<AdminAccount>> FindById(std::int64_t id) = 0;
  // Every administrator, by username.
  virtual core::Result<std::vector<AdminAccount>> List() = 0;
  virtual core::Result<std::int64_t> CountSupers() = 0;
  // Writes password_hash and must_change_password of account.id.
  virtual core::Status SetPassword(const AdminAccount& account) = 0;
  // Writes role of account.id.
  virtual core::Status SetRole(const AdminAccount& account) = 0;
  // Removes the administrator with their sessions, recovery codes and group memberships.
  virtual core::Status Delete(std::int64_t id) = 0;
  // Ends every session of the administrator but `except_id`.
  virtual core::Status DeleteSessionsOf(std::int64_t admin_id, std::int64_t except_id = 0) = 0;

  // Admin groups. InsertGroup sets group.id; kAlreadyExists when the name is taken. UpdateGroup
  // writes everything but the administrators; kNotFound when the group is missing.
  virtual core::Status InsertGroup(AdminGroup& group) = 0;
  virtual core::Status UpdateGroup(const AdminGroup& group) = 0;
  virtual core::Status DeleteGroup(std::int64_t org_id, std::int64_t id) = 0;
  // The organisation's groups by name, each with its scope, apps and administrators.
  virtual core::Result<std::vector<AdminGroup>> Groups(std::int64_t org_id) = 0;
  // The groups an administrator belongs to, as Groups gives them.
  virtual core::Result<std::vector<AdminGroup>> GroupsOf(std::int64_t admin_id) = 0;
  // The administrator belongs to exactly these groups afterwards.
  virtual core::Status SetGroupsOf(std::int64_t admin_id,
                                   const std::vector<std::int64_t>& group_ids) = 0;
  // Writes failed_logins and locked_until of account.id.
  virtual core::Status SetLoginState(const AdminAccount& account) = 0;

  // Writes totp_secret, totp_pending and totp_last_step of account.id.
  virtual core::Status SetTotp(const AdminAccount& account) = 0;
  // The administrator's recovery codes become these (SHA-256 hex each), all unused.
  virtual core::Status ReplaceRecoveryCodes(std::int64_t admin_id,
                                            const std::vector<std::string>& hashes) = 0;
  // Spends the unused code with this hash; false when there is none.
  virtual core::Result<bool> UseRecoveryCode(std::int64_t admin_id, std::string_view hash,
                                             core::TimePoint at) = 0;
  virtual core::Result<std::int64_t> RecoveryCodesLeft(std::int64_t admin_id) = 0;
  virtual core::Status InsertSession(AdminSession& session) = 0;  // sets session.id
  // The session with this token hash, with its administrator; nullopt when there is none.
  virtual core::Result<std::optional<AdminSession>> FindSession(std::string_view token_hash) = 0;
  virtual core::Status TouchSession(std::int64_t id, core::TimePoint last_seen_at) = 0;
  virtual core::Status DeleteSession(std::int64_t id) = 0;
  // Removes the sessions that ended before `now`; returns how many.
  virtual core::Result<std::int64_t> DeleteExpiredSessions(core::TimePoint now,
                                                           core::TimePoint idle_since) = 0;
};

// The repositories an admin use case works with inside one transaction.
class AdminUnit {
 public:
  virtual ~AdminUnit() = default;
  virtual AdminRepository& Admins() = 0;
  // The audit log (the same one the directory writes), for the administrators' own changes.
  virtual core::AuditLog& Audit() = 0;
};

}  // namespace corphub::admin
