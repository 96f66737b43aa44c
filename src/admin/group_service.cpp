#include "admin/group_service.hpp"

#include <algorithm>

#include "admin/admin_service.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"

namespace corphub::admin {
namespace {

using core::ErrorKind;
using core::MakeError;

void SortUnique(std::vector<std::int64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

std::string GroupDetail(const AdminGroup& g) {
  std::vector<std::string> apps;
  for (const AppGrant& a : g.apps) {
    apps.push_back(core::JsonObjectWriter()
                       .Int("agentid", a.agentid)
                       .Str("right", AppRightName(a.right))
                       .Done());
  }
  return core::JsonObjectWriter()
      .Str("name", g.name)
      .Ints("departments", g.scope.department_ids)
      .Ints("tags", g.scope.tag_ids)
      .Str("contacts", ContactsRightName(g.contacts))
      .Bool("devices", g.devices)
      .RawArray("apps", apps)
      .Done();
}

core::Status Append(AdminUnit& u, const core::Actor& actor, std::int64_t org_id, core::TimePoint at,
                    std::string action, std::string target, std::string detail) {
  return u.Audit().Append(core::AuditRecord{org_id, at, actor.principal, actor.address,
                                            std::move(action), std::move(target),
                                            std::move(detail)});
}

core::Result<AdminAccount> Existing(AdminUnit& u, std::int64_t id) {
  auto found = u.Admins().FindById(id);
  if (!found) return std::move(found).error();
  if (!*found)
    return MakeError(ErrorKind::kNotFound, "no administrator has id " + std::to_string(id));
  return std::move(**found);
}

}  // namespace

std::string_view RoleName(AdminRole role) {
  return role == AdminRole::kScoped ? "scoped" : "super";
}

core::Status GroupService::Validate(AdminGroup& g) {
  g.name = std::string(core::TrimSpaces(g.name));
  if (g.name.empty() || core::CodePoints(g.name) > kMaxNameChars) {
    return MakeError(ErrorKind::kInvalidArgument, "name must be 1 to 32 characters long");
  }
  if (core::CodePoints(g.description) > kMaxDescriptionChars) {
    return MakeError(ErrorKind::kInvalidArgument, "description is over 200 characters long");
  }
  SortUnique(g.scope.department_ids);
  SortUnique(g.scope.tag_ids);
  if (g.scope.Empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "a group's scope needs at least one department or tag");
  }
  if (g.scope.department_ids.size() + g.scope.tag_ids.size() > kMaxScopeItems) {
    return MakeError(ErrorKind::kInvalidArgument, "a scope holds at most 500 departments and tags");
  }
  for (auto id : g.scope.department_ids) {
    if (id <= 0) return MakeError(ErrorKind::kDepartmentNotFound, "department ids are positive");
  }
  for (auto id : g.scope.tag_ids) {
    if (id <= 0) return MakeError(ErrorKind::kInvalidTagId, "tag ids are positive");
  }
  std::sort(g.apps.begin(), g.apps.end(),
            [](const AppGrant& a, const AppGrant& b) { return a.agentid < b.agentid; });
  for (std::size_t i = 0; i < g.apps.size(); ++i) {
    if (g.apps[i].agentid <= 0) {
      return MakeError(ErrorKind::kInvalidAgentId, "agentids are positive");
    }
    if (i > 0 && g.apps[i].agentid == g.apps[i - 1].agentid) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "app " + std::to_string(g.apps[i].agentid) + " is named twice");
    }
  }
  return core::Ok();
}

core::Result<std::vector<AdminGroup>> GroupService::Groups(std::int64_t org_id) {
  return core::ReadValue(store_, [&](AdminUnit& u) { return u.Admins().Groups(org_id); });
}

core::Result<std::int64_t> GroupService::CreateGroup(const core::Actor& actor, std::int64_t org_id,
                                                     AdminGroup group) {
  group.org_id = org_id;
  CORPHUB_TRY(Validate(group));
  CORPHUB_TRY(check_(group));
  group.created_at = group.updated_at = clock_.Now();
  return core::WriteValue(store_, [&](AdminUnit& u) -> core::Result<std::int64_t> {
    auto existing = u.Admins().Groups(org_id);
    if (!existing) return std::move(existing).error();
    if (existing->size() >= kMaxGroups) {
      return MakeError(ErrorKind::kConflict, "an organisation has at most 200 admin groups");
    }
    for (const auto& g : *existing) {
      if (g.name == group.name) {
        return MakeError(ErrorKind::kAlreadyExists, "a group is named \"" + group.name + "\"");
      }
    }
    CORPHUB_TRY(u.Admins().InsertGroup(group));
    CORPHUB_TRY(Append(u, actor, org_id, group.created_at, "admin_group.create",
                       std::to_string(group.id), GroupDetail(group)));
    return group.id;
  });
}

core::Status GroupService::UpdateGroup(const core::Actor& actor, std::int64_t org_id,
                                       AdminGroup group) {
  group.org_id = org_id;
  CORPHUB_TRY(Validate(group));
  CORPHUB_TRY(check_(group));
  group.updated_at = clock_.Now();
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto existing = u.Admins().Groups(org_id);
    if (!existing) return std::move(existing).error();
    auto it = std::find_if(existing->begin(), existing->end(),
                           [&](const AdminGroup& g) { return g.id == group.id; });
    if (it == existing->end()) return MakeError(ErrorKind::kNotFound, "no admin group has this id");
    group.created_at = it->created_at;
    for (const auto& g : *existing) {
      if (g.id != group.id && g.name == group.name) {
        return MakeError(ErrorKind::kAlreadyExists, "a group is named \"" + group.name + "\"");
      }
    }
    CORPHUB_TRY(u.Admins().UpdateGroup(group));
    return Append(u, actor, org_id, group.updated_at, "admin_group.update",
                  std::to_string(group.id), GroupDetail(group));
  });
}

core::Status GroupService::DeleteGroup(const core::Actor& actor, std::int64_t org_id,
                                       std::int64_t id) {
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto existing = u.Admins().Groups(org_id);
    if (!existing) return std::move(existing).error();
    auto it = std::find_if(existing->begin(), existing->end(),
                           [&](const AdminGroup& g) { return g.id == id; });
    if (it == existing->end()) return MakeError(ErrorKind::kNotFound, "no admin group has this id");
    CORPHUB_TRY(u.Admins().DeleteGroup(org_id, id));
    return Append(
        u, actor, org_id, clock_.Now(), "admin_group.delete", std::to_string(id),
        core::JsonObjectWriter().Str("name", it->name).Ints("admins", it->admin_ids).Done());
  });
}

core::Result<std::vector<AdminView>> GroupService::Admins(std::int64_t org_id) {
  return core::ReadValue(store_, [&](AdminUnit& u) -> core::Result<std::vector<AdminView>> {
    auto accounts = u.Admins().List();
    if (!accounts) return std::move(accounts).error();
    auto groups = u.Admins().Groups(org_id);
    if (!groups) return std::move(groups).error();
    std::vector<AdminView> out;
    for (auto& a : *accounts) {
      AdminView v;
      for (const auto& g : *groups) {
        if (std::binary_search(g.admin_ids.begin(), g.admin_ids.end(), a.id)) {
          v.group_ids.push_back(g.id);
        }
      }
      SortUnique(v.group_ids);
      v.account = std::move(a);
      out.push_back(std::move(v));
    }
    return out;
  });
}

core::Status GroupService::CheckGroups(AdminUnit& u, std::int64_t org_id,
                                       const std::vector<std::int64_t>& group_ids) {
  auto groups = u.Admins().Groups(org_id);
  if (!groups) return std::move(groups).error();
  for (auto id : group_ids) {
    bool found = std::any_of(groups->begin(), groups->end(),
                             [&](const AdminGroup& g) { return g.id == id; });
    if (!found)
      return MakeError(ErrorKind::kNotFound, "no admin group has id " + std::to_string(id));
  }
  return core::Ok();
}

core::Result<CreatedAdmin> GroupService::CreateAdmin(const core::Actor& actor, std::int64_t org_id,
                                                     const NewAdmin& input) {
  CORPHUB_TRY(AdminService::ValidateUsername(input.username));
  std::vector<std::int64_t> group_ids = input.group_ids;
  SortUnique(group_ids);
  if (input.role == AdminRole::kScoped && group_ids.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "a scoped administrator needs a group");
  }
  if (input.role == AdminRole::kSuper) group_ids.clear();
  CreatedAdmin created;
  created.password = ids_.Token(AdminService::kGeneratedPasswordChars);
  AdminAccount account;
  account.username = input.username;
  account.password_hash = hasher_.Hash(created.password);
  account.role = input.role;
  account.must_change_password = true;
  account.created_at = clock_.Now();
  auto status = store_.Write([&](AdminUnit& u) -> core::Status {
    CORPHUB_TRY(CheckGroups(u, org_id, group_ids));
    auto taken = u.Admins().FindByUsername(account.username);
    if (!taken) return std::move(taken).error();
    if (*taken) {
      return MakeError(ErrorKind::kAlreadyExists,
                       "an administrator named \"" + account.username + "\" exists");
    }
    auto id = u.Admins().Insert(account);
    if (!id) return std::move(id).error();
    created.id = *id;
    CORPHUB_TRY(u.Admins().SetGroupsOf(created.id, group_ids));
    return Append(u, actor, org_id, account.created_at, "admin.create", account.username,
                  core::JsonObjectWriter()
                      .Str("role", RoleName(account.role))
                      .Ints("groups", group_ids)
                      .Done());
  });
  if (!status) return std::move(status).error();
  return created;
}

core::Status GroupService::UpdateAdmin(const core::Actor& actor, std::int64_t org_id,
                                       std::int64_t id, std::int64_t self_id, AdminRole role,
                                       const std::vector<std::int64_t>& group_ids_in) {
  std::vector<std::int64_t> group_ids = group_ids_in;
  SortUnique(group_ids);
  if (role == AdminRole::kScoped && group_ids.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "a scoped administrator needs a group");
  }
  if (role == AdminRole::kSuper) group_ids.clear();
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto account = Existing(u, id);
    if (!account) return std::move(account).error();
    if (account->role != role) {
      if (id == self_id) return MakeError(ErrorKind::kConflict, "you cannot change your own role");
      if (account->role == AdminRole::kSuper) {
        auto supers = u.Admins().CountSupers();
        if (!supers) return std::move(supers).error();
        if (*supers <= 1) return MakeError(ErrorKind::kConflict, "the last super admin stays");
      }
      account->role = role;
      CORPHUB_TRY(u.Admins().SetRole(*account));
      CORPHUB_TRY(u.Admins().DeleteSessionsOf(id));
    }
    CORPHUB_TRY(CheckGroups(u, org_id, group_ids));
    CORPHUB_TRY(u.Admins().SetGroupsOf(id, group_ids));
    return Append(
        u, actor, org_id, clock_.Now(), "admin.update", account->username,
        core::JsonObjectWriter().Str("role", RoleName(role)).Ints("groups", group_ids).Done());
  });
}

core::Status GroupService::DeleteAdmin(const core::Actor& actor, std::int64_t org_id,
                                       std::int64_t id, std::int64_t self_id) {
  if (id == self_id) return MakeError(ErrorKind::kConflict, "you cannot remove yourself");
  return store_.Write([&](AdminUnit& u) -> core::Status {
    auto account = Existing(u, id);
    if (!account) return std::move(account).error();
    if (account->role == AdminRole::kSuper) {
      auto supers = u.Admins().CountSupers();
      if (!supers) return std::move(supers).error();
      if (*supers <= 1) return MakeError(ErrorKind::kConflict, "the last super admin stays");
    }
    CORPHUB_TRY(u.Admins().Delete(id));
    return Append(u, actor, org_id, clock_.Now(), "admin.delete", account->username,
                  core::JsonObjectWriter().Str("role", RoleName(account->role)).Done());
  });
}

core::Result<std::string> GroupService::ResetPassword(const core::Actor& actor, std::int64_t org_id,
                                                      std::int64_t id) {
  std::string password = ids_.Token(AdminService::kGeneratedPasswordChars);
  const std::string hash = hasher_.Hash(password);
  auto status = store_.Write([&](AdminUnit& u) -> core::Status {
    auto account = Existing(u, id);
    if (!account) return std::move(account).error();
    account->password_hash = hash;
    account->must_change_password = true;
    CORPHUB_TRY(u.Admins().SetPassword(*account));
    CORPHUB_TRY(u.Admins().DeleteSessionsOf(id));
    return Append(u, actor, org_id, clock_.Now(), "admin.reset_password", account->username, "{}");
  });
  if (!status) return std::move(status).error();
  return password;
}

}  // namespace corphub::admin
