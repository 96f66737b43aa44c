// Admin groups over Sql (AdminSql's group methods): the group row, its scope, its apps and its
// administrators, each in its own table.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "storage/admin_sql.hpp"

namespace corphub::storage {
namespace {

admin::ContactsRight ContactsOf(std::string_view name) {
  return name == "edit" ? admin::ContactsRight::kEdit : admin::ContactsRight::kRead;
}

admin::AppRight AppRightOf(std::string_view name) {
  return name == "manage" ? admin::AppRight::kManage : admin::AppRight::kSend;
}

}  // namespace

core::Status AdminSql::WriteGroupParts(const admin::AdminGroup& g) {
  for (const char* table : {"admin_group_scope", "admin_group_apps"}) {
    auto gone = sql_.Exec(std::string("DELETE FROM ") + table + " WHERE group_id = ?", {g.id});
    if (!gone.ok()) return std::move(gone).error();
  }
  std::vector<std::pair<std::string, std::int64_t>> scope;
  for (auto id : g.scope.department_ids) scope.emplace_back("department", id);
  for (auto id : g.scope.tag_ids) scope.emplace_back("tag", id);
  CORPHUB_TRY(InsertRows(sql_, "INSERT INTO admin_group_scope (group_id, kind, target_id) VALUES ",
                         3, scope.size(), 200, [&](std::size_t i, Params& p) {
                           p.emplace_back(g.id);
                           p.emplace_back(scope[i].first);
                           p.emplace_back(scope[i].second);
                         }));
  return InsertRows(sql_, "INSERT INTO admin_group_apps (group_id, agentid, app_right) VALUES ", 3,
                    g.apps.size(), 200, [&](std::size_t i, Params& p) {
                      p.emplace_back(g.id);
                      p.emplace_back(g.apps[i].agentid);
                      p.emplace_back(std::string(admin::AppRightName(g.apps[i].right)));
                    });
}

core::Status AdminSql::InsertGroup(admin::AdminGroup& g) {
  auto rows = sql_.Query(
      "INSERT INTO admin_groups (org_id, name, description, contacts, devices, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      MakeParams(g.org_id, g.name, g.description, std::string(admin::ContactsRightName(g.contacts)),
                 BoolValue(g.devices), core::UnixSeconds(g.created_at),
                 core::UnixSeconds(g.updated_at)));
  if (!rows.ok()) return std::move(rows).error();
  g.id = rows->at(0).GetInt64(0);
  return WriteGroupParts(g);
}

core::Status AdminSql::UpdateGroup(const admin::AdminGroup& g) {
  auto done = sql_.Exec(
      "UPDATE admin_groups SET name = ?, description = ?, contacts = ?, devices = ?, "
      "updated_at = ? WHERE org_id = ? AND id = ?",
      MakeParams(g.name, g.description, std::string(admin::ContactsRightName(g.contacts)),
                 BoolValue(g.devices), core::UnixSeconds(g.updated_at), g.org_id, g.id));
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such admin group");
  return WriteGroupParts(g);
}

core::Status AdminSql::DeleteGroup(std::int64_t org_id, std::int64_t id) {
  auto done = sql_.Exec("DELETE FROM admin_groups WHERE org_id = ? AND id = ?", {org_id, id});
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such admin group");
  return core::Ok();
}

core::Result<std::vector<admin::AdminGroup>> AdminSql::SelectGroups(const std::string& where,
                                                                    const Params& params) {
  auto rows = sql_.Query(
      "SELECT g.id, g.org_id, g.name, g.description, g.contacts, g.devices, g.created_at, "
      "g.updated_at FROM admin_groups g WHERE " +
          where + " ORDER BY g.name, g.id",
      params);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<admin::AdminGroup> groups;
  std::unordered_map<std::int64_t, std::size_t> at;
  for (const Row& row : *rows) {
    admin::AdminGroup g;
    g.id = row.GetInt64(0);
    g.org_id = row.GetInt64(1);
    g.name = row.GetString(2);
    g.description = row.GetString(3);
    g.contacts = ContactsOf(row.GetString(4));
    g.devices = row.GetBool(5);
    g.created_at = core::FromUnixSeconds(row.GetInt64(6));
    g.updated_at = core::FromUnixSeconds(row.GetInt64(7));
    at.emplace(g.id, groups.size());
    groups.push_back(std::move(g));
  }
  if (groups.empty()) return groups;
  const std::string of = " WHERE group_id IN (SELECT g.id FROM admin_groups g WHERE " + where + ")";
  auto scope = sql_.Query("SELECT group_id, kind, target_id FROM admin_group_scope" + of +
                              " ORDER BY group_id, kind, target_id",
                          params);
  if (!scope.ok()) return std::move(scope).error();
  for (const Row& row : *scope) {
    admin::AdminGroup& g = groups[at.at(row.GetInt64(0))];
    (row.GetString(1) == "tag" ? g.scope.tag_ids : g.scope.department_ids)
        .push_back(row.GetInt64(2));
  }
  auto apps = sql_.Query("SELECT group_id, agentid, app_right FROM admin_group_apps" + of +
                             " ORDER BY group_id, "
                             "agentid",
                         params);
  if (!apps.ok()) return std::move(apps).error();
  for (const Row& row : *apps) {
    groups[at.at(row.GetInt64(0))].apps.push_back(
        admin::AppGrant{row.GetInt64(1), AppRightOf(row.GetString(2))});
  }
  auto members = sql_.Query(
      "SELECT group_id, admin_id FROM admin_group_members" + of + " ORDER BY group_id, admin_id",
      params);
  if (!members.ok()) return std::move(members).error();
  for (const Row& row : *members) {
    groups[at.at(row.GetInt64(0))].admin_ids.push_back(row.GetInt64(1));
  }
  return groups;
}

core::Result<std::vector<admin::AdminGroup>> AdminSql::Groups(std::int64_t org_id) {
  return SelectGroups("g.org_id = ?", {org_id});
}

core::Result<std::vector<admin::AdminGroup>> AdminSql::GroupsOf(std::int64_t admin_id) {
  return SelectGroups("g.id IN (SELECT m.group_id FROM admin_group_members m WHERE m.admin_id = ?)",
                      {admin_id});
}

core::Status AdminSql::SetGroupsOf(std::int64_t admin_id,
                                   const std::vector<std::int64_t>& group_ids) {
  auto gone = sql_.Exec("DELETE FROM admin_group_members WHERE admin_id = ?", {admin_id});
  if (!gone.ok()) return std::move(gone).error();
  std::vector<std::int64_t> ids = group_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return InsertRows(sql_, "INSERT INTO admin_group_members (group_id, admin_id) VALUES ", 2,
                    ids.size(), 200, [&](std::size_t i, Params& p) {
                      p.emplace_back(ids[i]);
                      p.emplace_back(admin_id);
                    });
}

}  // namespace corphub::storage
