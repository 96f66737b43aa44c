#pragma once
// Delegated administration, managed by super admins: admin groups (scope, contacts right, app
// and device rights) and the administrators themselves (super or scoped, their groups, their
// passwords). Every change is audited in the same transaction.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/admin_repository.hpp"
#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "crypto/password.hpp"

namespace corphub::admin {

// Checks that a group's departments, tags and apps exist (kDepartmentNotFound, kInvalidTagId,
// kInvalidAgentId); given by the composition root, which can read the directory and the apps.
using TargetCheck = std::function<core::Status(const AdminGroup&)>;

struct AdminView {
  AdminAccount account;
  std::vector<std::int64_t> group_ids;  // ascending
};

struct NewAdmin {
  std::string username;
  AdminRole role = AdminRole::kScoped;
  std::vector<std::int64_t> group_ids;
};

struct CreatedAdmin {
  std::int64_t id = 0;
  std::string password;  // generated; shown once, changed at the first login
};

class GroupService {
 public:
  static constexpr std::size_t kMaxNameChars = 32;
  static constexpr std::size_t kMaxDescriptionChars = 200;
  static constexpr std::size_t kMaxScopeItems = 500;
  static constexpr std::size_t kMaxGroups = 200;  // per organisation

  GroupService(core::Transactor<AdminUnit>& store, const core::Clock& clock, core::IdGenerator& ids,
               const crypto::PasswordHasher& hasher, TargetCheck check)
      : store_(store), clock_(clock), ids_(ids), hasher_(hasher), check_(std::move(check)) {}

  core::Result<std::vector<AdminGroup>> Groups(std::int64_t org_id);
  // kInvalidArgument for a bad name or description, an empty scope, too many items or an app
  // named twice; kAlreadyExists for a name in use; what the TargetCheck answers. Returns the id.
  core::Result<std::int64_t> CreateGroup(const core::Actor& actor, std::int64_t org_id,
                                         AdminGroup group);
  // group.id names it; kNotFound when missing. Its administrators stay.
  core::Status UpdateGroup(const core::Actor& actor, std::int64_t org_id, AdminGroup group);
  core::Status DeleteGroup(const core::Actor& actor, std::int64_t org_id, std::int64_t id);

  core::Result<std::vector<AdminView>> Admins(std::int64_t org_id);
  // A new administrator with a generated password they must change at their first login. A
  // scoped one needs at least one group (kInvalidArgument); kNotFound for an unknown group,
  // kAlreadyExists for a username in use. Blocking (password hashing).
  core::Result<CreatedAdmin> CreateAdmin(const core::Actor& actor, std::int64_t org_id,
                                         const NewAdmin& input);
  // Sets the role and groups of administrator `id`. kConflict for a change to one's own role
  // (`self_id`) or one that leaves no super admin.
  core::Status UpdateAdmin(const core::Actor& actor, std::int64_t org_id, std::int64_t id,
                           std::int64_t self_id, AdminRole role,
                           const std::vector<std::int64_t>& group_ids);
  // kConflict for oneself or the last super admin.
  core::Status DeleteAdmin(const core::Actor& actor, std::int64_t org_id, std::int64_t id,
                           std::int64_t self_id);
  // A new generated password (to be changed at the next login); their sessions end. Blocking.
  core::Result<std::string> ResetPassword(const core::Actor& actor, std::int64_t org_id,
                                          std::int64_t id);

  static core::Status Validate(AdminGroup& group);

 private:
  // The groups must exist in the organisation.
  core::Status CheckGroups(AdminUnit& u, std::int64_t org_id,
                           const std::vector<std::int64_t>& group_ids);

  core::Transactor<AdminUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const crypto::PasswordHasher& hasher_;
  TargetCheck check_;
};

std::string_view RoleName(AdminRole role);  // "super", "scoped"

}  // namespace corphub::admin
