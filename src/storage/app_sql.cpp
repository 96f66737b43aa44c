#include "storage/app_sql.hpp"

#include <string>

namespace corphub::storage {
namespace {

constexpr std::string_view kColumns =
    "id, org_id, agentid, name, description, secret_hash, retention_days, closed, created_at, "
    "updated_at, ip_allowlist, logo_media_id, redirect_domain, home_url, report_location_flag, "
    "report_enter, report_user, menu";

apps::App FromRow(const Row& row) {
  apps::App app;
  app.id = row.GetInt64(0);
  app.org_id = row.GetInt64(1);
  app.agentid = row.GetInt64(2);
  app.name = row.GetString(3);
  app.description = row.GetString(4);
  app.secret_hash = row.GetString(5);
  app.retention_days = static_cast<int>(row.GetInt64(6));
  app.closed = row.GetBool(7);
  app.created_at = core::FromUnixSeconds(row.GetInt64(8));
  app.updated_at = core::FromUnixSeconds(row.GetInt64(9));
  app.ip_allowlist = row.GetString(10);
  app.logo_media_id = row.GetString(11);
  app.redirect_domain = row.GetString(12);
  app.home_url = row.GetString(13);
  app.report_location_flag = static_cast<int>(row.GetInt64(14));
  app.report_enter = row.GetBool(15);
  app.report_user = row.GetBool(16);
  app.menu_json = row.GetString(17);
  return app;
}

constexpr std::int64_t kMemberRef = 1;
constexpr std::int64_t kDepartmentRef = 2;
constexpr std::int64_t kTagRef = 3;

}  // namespace

core::Status AppSql::Insert(apps::App& app) {
  auto rows = sql_.Query(
      "INSERT INTO apps (org_id, agentid, name, description, secret_hash, retention_days, closed, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      MakeParams(app.org_id, app.agentid, app.name, app.description, app.secret_hash,
                 std::int64_t{app.retention_days}, BoolValue(app.closed),
                 core::UnixSeconds(app.created_at), core::UnixSeconds(app.updated_at)));
  if (!rows) return std::move(rows).error();
  app.id = rows->at(0).GetInt64(0);
  return core::Ok();
}

core::Result<std::int64_t> AppSql::MaxAgentid(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT COALESCE(MAX(agentid), 0) FROM apps WHERE org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Result<std::vector<apps::App>> AppSql::Select(std::string_view where, Params params) {
  auto rows = sql_.Query("SELECT " + std::string(kColumns) + " FROM apps WHERE " +
                             std::string(where) + " ORDER BY agentid",
                         std::move(params));
  if (!rows) return std::move(rows).error();
  std::vector<apps::App> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(FromRow(row));
  return out;
}

core::Result<std::optional<apps::App>> AppSql::FindByAgentid(std::int64_t org_id,
                                                             std::int64_t agentid) {
  auto found = Select("org_id = ? AND agentid = ?", {org_id, agentid});
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<apps::App>();
  return std::optional<apps::App>(std::move(found->front()));
}

core::Result<std::optional<apps::App>> AppSql::FindBySecretHash(std::string_view secret_hash) {
  auto found = Select("secret_hash = ?", {std::string(secret_hash)});
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<apps::App>();
  return std::optional<apps::App>(std::move(found->front()));
}

core::Result<std::vector<apps::App>> AppSql::List(std::int64_t org_id) {
  return Select("org_id = ?", {org_id});
}

core::Result<apps::AppScope> AppSql::Scope(std::int64_t app_id) {
  auto rows =
      sql_.Query("SELECT kind, ref FROM app_scope WHERE app_id = ? ORDER BY kind, ref", {app_id});
  if (!rows) return std::move(rows).error();
  apps::AppScope scope;
  for (const Row& row : *rows) {
    const std::int64_t kind = row.GetInt64(0);
    const std::int64_t ref = row.GetInt64(1);
    if (kind == kMemberRef) scope.member_ids.push_back(ref);
    if (kind == kDepartmentRef) scope.department_ids.push_back(ref);
    if (kind == kTagRef) scope.tag_ids.push_back(ref);
  }
  return scope;
}

core::Status AppSql::SetScope(std::int64_t app_id, const apps::AppScope& scope) {
  CORPHUB_TRY(sql_.Exec("DELETE FROM app_scope WHERE app_id = ?", {app_id}));
  std::vector<std::pair<std::int64_t, std::int64_t>> refs;
  for (auto id : scope.member_ids) refs.emplace_back(kMemberRef, id);
  for (auto id : scope.department_ids) refs.emplace_back(kDepartmentRef, id);
  for (auto id : scope.tag_ids) refs.emplace_back(kTagRef, id);
  return InsertRows(sql_, "INSERT INTO app_scope (app_id, kind, ref) VALUES ", 3, refs.size(), 500,
                    [&](std::size_t i, Params& p) {
                      p.push_back(app_id);
                      p.push_back(refs[i].first);
                      p.push_back(refs[i].second);
                    });
}

core::Status AppSql::SetSecretHash(std::int64_t app_id, std::string_view secret_hash,
                                   core::TimePoint at) {
  auto done = sql_.Exec("UPDATE apps SET secret_hash = ?, updated_at = ? WHERE id = ?",
                        MakeParams(std::string(secret_hash), core::UnixSeconds(at), app_id));
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such app");
  return core::Ok();
}

core::Status AppSql::SetAllowlist(std::int64_t app_id, std::string_view allowlist,
                                  core::TimePoint at) {
  auto done = sql_.Exec("UPDATE apps SET ip_allowlist = ?, updated_at = ? WHERE id = ?",
                        MakeParams(std::string(allowlist), core::UnixSeconds(at), app_id));
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such app");
  return core::Ok();
}

core::Status AppSql::UpdateSettings(const apps::App& app) {
  auto done = sql_.Exec(
      "UPDATE apps SET name = ?, description = ?, closed = ?, logo_media_id = ?, "
      "redirect_domain = ?, home_url = ?, report_location_flag = ?, report_enter = ?, "
      "report_user = ?, updated_at = ? WHERE id = ?",
      MakeParams(app.name, app.description, BoolValue(app.closed), app.logo_media_id,
                 app.redirect_domain, app.home_url, std::int64_t{app.report_location_flag},
                 BoolValue(app.report_enter), BoolValue(app.report_user),
                 core::UnixSeconds(app.updated_at), app.id));
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such app");
  return core::Ok();
}

core::Status AppSql::SetMenu(std::int64_t app_id, std::string_view menu_json, core::TimePoint at) {
  auto done = sql_.Exec("UPDATE apps SET menu = ?, updated_at = ? WHERE id = ?",
                        MakeParams(std::string(menu_json), core::UnixSeconds(at), app_id));
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such app");
  return core::Ok();
}

}  // namespace corphub::storage
