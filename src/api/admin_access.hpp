#pragma once
// What the administrator of a console call may do: their rights (admin::Rights, read with the
// session) with the scopes resolved against the directory on first use. Blocking: use it inside
// Offload. Every refusal is kPermissionDenied (403 permission_denied) with a message that says
// what is outside the caller's rights.
#include <optional>
#include <string>
#include <vector>

#include "admin/admin_account.hpp"
#include "core/result.hpp"
#include "directory/scope_index.hpp"

namespace corphub::api {

class Access {
 public:
  Access(const admin::Rights& rights, directory::ScopeResolver& resolver, std::int64_t org_id)
      : rights_(rights), resolver_(resolver), org_id_(org_id) {}

  const admin::Rights& Rights() const { return rights_; }
  bool Super() const { return rights_.super; }

  // The scopes; everything for a super admin.
  core::Result<const directory::ScopeIndex*> Visible();
  core::Result<const directory::ScopeIndex*> Editable();
  core::Result<const directory::ScopeIndex*> Devices();
  // Who the administrator may send to through app `agentid` (empty when they may not).
  core::Result<directory::ScopeIndex> SendScope(std::int64_t agentid);

  core::Status SeeDepartment(std::int64_t id);
  // A department the administrator may edit: in their edit scope, and (with `below_root`) not
  // one of its roots, which only a wider administrator may rename, move or delete.
  core::Status EditDepartment(std::int64_t id, bool below_root);
  core::Status EditTag(std::int64_t id);
  // Every known member of `userids` in the scope (unknown ones are the service's to report).
  core::Status SeeMembers(const std::vector<std::string>& userids);
  core::Status EditMembers(const std::vector<std::string>& userids);
  core::Status ManageDevicesOf(const std::vector<std::string>& userids);

  // Those of `userids` the administrator may edit (unknown ones left out too).
  core::Result<std::vector<std::string>> EditableOf(const std::vector<std::string>& userids);

  // The member list's filter for the visible scope (nullopt for a super admin).
  core::Result<std::optional<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>>>
  MemberFilter();

 private:
  core::Result<const directory::ScopeIndex*> Resolved(std::optional<directory::ScopeIndex>& slot,
                                                      const admin::Scope& scope);
  core::Status MembersIn(const std::vector<std::string>& userids, const directory::ScopeIndex& in,
                         std::string_view what);

  const admin::Rights& rights_;
  directory::ScopeResolver& resolver_;
  std::int64_t org_id_;
  std::optional<directory::ScopeIndex> visible_, editable_, devices_;
};

core::Error Denied(std::string message);
// 403 unless the rights give any right over the app (UseApp) or its manage right (ManageApp).
core::Status UseApp(const admin::Rights& rights, std::int64_t agentid);
core::Status ManageApp(const admin::Rights& rights, std::int64_t agentid);

}  // namespace corphub::api
