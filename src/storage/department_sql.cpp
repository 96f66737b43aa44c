#include "storage/department_sql.hpp"

#include <chrono>
#include <string>

namespace corphub::storage {
namespace {

using directory::Department;

constexpr std::string_view kColumns =
    "SELECT org_id, id, name, name_en, parent_id, sort_order, created_at, updated_at "
    "FROM departments WHERE ";

Department FromRow(const Row& row) {
  Department d;
  d.org_id = row.GetInt64(0);
  d.id = row.GetInt64(1);
  d.name = row.GetString(2);
  d.name_en = row.GetString(3);
  d.parent_id = row.GetInt64(4);
  d.order = row.GetInt64(5);
  d.created_at = core::FromUnixSeconds(row.GetInt64(6));
  d.updated_at = core::FromUnixSeconds(row.GetInt64(7));
  return d;
}

std::string Describe(std::int64_t org_id, std::int64_t id) {
  return "department " + std::to_string(id) + " of organisation " + std::to_string(org_id);
}

}  // namespace

core::Status DepartmentSql::LockTree(std::int64_t org_id) {
  // The upsert takes the row lock on PostgreSQL (a second writer waits for the first to end);
  // SQLite has one writer anyway.
  auto changed = sql_.Exec(
      "INSERT INTO directory_versions (org_id, version) VALUES (?, 1) ON CONFLICT (org_id) DO "
      "UPDATE SET version = directory_versions.version + 1",
      {org_id});
  if (!changed.ok()) return std::move(changed).error();
  return core::Ok();
}

core::Result<std::int64_t> DepartmentSql::Version(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT version FROM directory_versions WHERE org_id = ?", {org_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::int64_t{0};
  return rows->front().GetInt64(0);
}

core::Status DepartmentSql::Insert(const Department& d) {
  // ON CONFLICT on the key only, so a taken id is an answer rather than an aborted transaction.
  auto inserted = sql_.Exec(
      "INSERT INTO departments (org_id, id, name, name_en, parent_id, sort_order, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, id) DO NOTHING",
      {d.org_id, d.id, d.name, d.name_en, d.parent_id, d.order, core::UnixSeconds(d.created_at),
       core::UnixSeconds(d.updated_at)});
  if (!inserted.ok()) return std::move(inserted).error();
  if (*inserted == 0) {
    return core::MakeError(core::ErrorKind::kAlreadyExists,
                           Describe(d.org_id, d.id) + " exists already");
  }
  return core::Ok();
}

core::Status DepartmentSql::Update(const Department& d) {
  auto changed = sql_.Exec(
      "UPDATE departments SET name = ?, name_en = ?, parent_id = ?, sort_order = ?, "
      "updated_at = ? WHERE org_id = ? AND id = ?",
      {d.name, d.name_en, d.parent_id, d.order, core::UnixSeconds(d.updated_at), d.org_id, d.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) {
    return core::MakeError(core::ErrorKind::kNotFound, Describe(d.org_id, d.id) + " not found");
  }
  return core::Ok();
}

core::Status DepartmentSql::Delete(std::int64_t org_id, std::int64_t id) {
  auto deleted = sql_.Exec("DELETE FROM departments WHERE org_id = ? AND id = ?", {org_id, id});
  if (!deleted.ok()) return std::move(deleted).error();
  if (*deleted == 0) {
    return core::MakeError(core::ErrorKind::kNotFound, Describe(org_id, id) + " not found");
  }
  return core::Ok();
}

core::Result<std::vector<Department>> DepartmentSql::Select(std::string_view where, Params params) {
  auto rows = sql_.Query(std::string(kColumns) + std::string(where), std::move(params));
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Department> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(FromRow(row));
  return out;
}

core::Result<std::optional<Department>> DepartmentSql::Find(std::int64_t org_id, std::int64_t id) {
  auto found = Select("org_id = ? AND id = ?", {org_id, id});
  if (!found.ok()) return std::move(found).error();
  if (found->empty()) return std::optional<Department>();
  return std::optional<Department>(std::move(found->front()));
}

core::Result<std::vector<Department>> DepartmentSql::ListAll(std::int64_t org_id) {
  return Select("org_id = ?", {org_id});
}

core::Result<std::vector<Department>> DepartmentSql::Children(std::int64_t org_id,
                                                              std::int64_t parent_id) {
  return Select("org_id = ? AND parent_id = ?", {org_id, parent_id});
}

core::Result<std::int64_t> DepartmentSql::MaxId(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT COALESCE(MAX(id), 0) FROM departments WHERE org_id = ?", {org_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

}  // namespace corphub::storage
