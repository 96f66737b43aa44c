#include "storage/registration_sql.hpp"

#include <string>

#include "directory/member.hpp"

namespace corphub::storage {

using identity::Registration;
using identity::RegistrationStatus;

namespace {

constexpr std::string_view kColumns =
    "r.id, r.org_id, r.public_id, r.token_hash, r.name, r.department_id, r.position, r.userid, "
    "r.mobile, r.email, r.note, r.address, r.status, r.reason, r.decided_by, r.member_userid, "
    "r.notice, r.created_at, r.decided_at, COALESCE(d.name, '')";

}  // namespace

core::Status RegistrationSql::Insert(Registration& r) {
  auto rows = sql_.Query(
      "INSERT INTO registrations (org_id, public_id, token_hash, name, department_id, position, "
      "userid, mobile, mobile_key, email, email_key, note, address, status, created_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id",
      MakeParams(r.org_id, r.public_id, r.token_hash, r.name, r.department_id, r.position, r.userid,
                 r.mobile, directory::MobileKey(r.mobile), r.email, directory::EmailKey(r.email),
                 r.note, r.address, core::UnixSeconds(r.created_at)));
  if (!rows) return std::move(rows).error();
  r.id = rows->front().GetInt64(0);
  return core::Ok();
}

core::Result<std::vector<Registration>> RegistrationSql::Select(std::string_view where,
                                                                const Params& params) {
  auto rows = sql_.Query("SELECT " + std::string(kColumns) +
                             " FROM registrations r LEFT JOIN departments d ON d.org_id = "
                             "r.org_id AND d.id = r.department_id WHERE " +
                             std::string(where),
                         params);
  if (!rows) return std::move(rows).error();
  std::vector<Registration> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    Registration r;
    r.id = row.GetInt64(0);
    r.org_id = row.GetInt64(1);
    r.public_id = row.GetString(2);
    r.token_hash = row.GetString(3);
    r.name = row.GetString(4);
    r.department_id = row.GetInt64(5);
    r.position = row.GetString(6);
    r.userid = row.GetString(7);
    r.mobile = row.GetString(8);
    r.email = row.GetString(9);
    r.note = row.GetString(10);
    r.address = row.GetString(11);
    r.status =
        identity::ParseRegistrationStatus(row.GetString(12)).value_or(RegistrationStatus::kPending);
    r.reason = row.GetString(13);
    r.decided_by = row.GetString(14);
    r.member_userid = row.GetString(15);
    r.notice = row.GetString(16);
    r.created_at = core::FromUnixSeconds(row.GetInt64(17));
    if (auto at = row.GetOptionalInt64(18)) r.decided_at = core::FromUnixSeconds(*at);
    r.department_name = row.GetString(19);
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::optional<Registration>> RegistrationSql::Find(std::int64_t org_id,
                                                                std::string_view public_id) {
  auto found = Select("r.org_id = ? AND r.public_id = ?", {org_id, std::string(public_id)});
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<Registration>();
  return std::optional<Registration>(std::move(found->front()));
}

core::Result<std::vector<Registration>> RegistrationSql::List(
    std::int64_t org_id, std::optional<RegistrationStatus> status, std::int64_t limit) {
  if (status) {
    return Select("r.org_id = ? AND r.status = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
                  {org_id, std::string(identity::RegistrationStatusName(*status)), limit});
  }
  return Select("r.org_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?", {org_id, limit});
}

core::Result<bool> RegistrationSql::PendingWith(std::int64_t org_id, std::string_view mobile_key,
                                                std::string_view email_key) {
  std::string any;
  Params params{org_id};
  if (!mobile_key.empty()) {
    any = "mobile_key = ?";
    params.emplace_back(std::string(mobile_key));
  }
  if (!email_key.empty()) {
    any += any.empty() ? "email_key = ?" : " OR email_key = ?";
    params.emplace_back(std::string(email_key));
  }
  if (any.empty()) return false;
  auto rows =
      sql_.Query("SELECT 1 FROM registrations WHERE org_id = ? AND status = 'pending' AND (" + any +
                     ") LIMIT 1",
                 params);
  if (!rows) return std::move(rows).error();
  return !rows->empty();
}

core::Result<std::int64_t> RegistrationSql::CountPending(std::int64_t org_id) {
  auto rows = sql_.Query(
      "SELECT COUNT(*) FROM registrations WHERE org_id = ? AND status = 'pending'", {org_id});
  if (!rows) return std::move(rows).error();
  return rows->front().GetInt64(0);
}

core::Result<bool> RegistrationSql::Decide(const Registration& r) {
  auto changed = sql_.Exec(
      "UPDATE registrations SET status = ?, reason = ?, decided_by = ?, member_userid = ?, "
      "decided_at = ? WHERE id = ? AND status = 'pending'",
      MakeParams(std::string(identity::RegistrationStatusName(r.status)), r.reason, r.decided_by,
                 r.member_userid, core::UnixSeconds(r.decided_at.value_or(r.created_at)), r.id));
  if (!changed) return std::move(changed).error();
  return *changed == 1;
}

core::Status RegistrationSql::SetNotice(std::int64_t id, std::string_view notice) {
  auto changed =
      sql_.Exec("UPDATE registrations SET notice = ? WHERE id = ?", {std::string(notice), id});
  if (!changed) return std::move(changed).error();
  return core::Ok();
}

core::Result<bool> RegistrationSql::Open(std::int64_t org_id) {
  auto rows =
      sql_.Query("SELECT open_registration FROM identity_settings WHERE org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  return !rows->empty() && rows->front().GetInt64(0) != 0;
}

core::Status RegistrationSql::SetOpen(std::int64_t org_id, bool on, core::TimePoint at) {
  auto changed = sql_.Exec(
      "INSERT INTO identity_settings (org_id, open_registration, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (org_id) DO UPDATE SET open_registration = excluded.open_registration, "
      "updated_at = excluded.updated_at",
      {org_id, std::int64_t{on ? 1 : 0}, core::UnixSeconds(at)});
  if (!changed) return std::move(changed).error();
  return core::Ok();
}

core::Result<std::string> RegistrationSql::OrgName(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT name FROM organisations WHERE id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  return rows->empty() ? std::string() : rows->front().GetString(0);
}

core::Result<std::vector<identity::RegistrationDepartment>> RegistrationSql::Departments(
    std::int64_t org_id) {
  auto rows = sql_.Query(
      "SELECT id, parent_id, name, sort_order FROM departments WHERE org_id = ? ORDER BY "
      "parent_id, sort_order DESC, id",
      {org_id});
  if (!rows) return std::move(rows).error();
  std::vector<identity::RegistrationDepartment> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) {
    out.push_back({r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3)});
  }
  return out;
}

}  // namespace corphub::storage
