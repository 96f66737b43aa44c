#include "storage/admin_sql.hpp"

#include <chrono>
#include <string>

namespace corphub::storage {
namespace {

constexpr std::string_view kSuperRole = "super";

std::string RoleName(admin::AdminRole role) {
  switch (role) {
    case admin::AdminRole::kSuper:
      return std::string(kSuperRole);
  }
  return std::string(kSuperRole);
}

core::Result<admin::AdminRole> ParseRole(std::string_view name) {
  if (name == kSuperRole) return admin::AdminRole::kSuper;
  return core::MakeError(core::ErrorKind::kInternal,
                         "admin_accounts holds an unknown role '" + std::string(name) + "'");
}

}  // namespace

core::Result<std::int64_t> AdminSql::Insert(const admin::AdminAccount& account) {
  auto rows = sql_.Query(
      "INSERT INTO admin_accounts (username, password_hash, role, must_change_password, "
      "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
      {account.username, account.password_hash, RoleName(account.role),
       BoolValue(account.must_change_password), core::UnixSeconds(account.created_at)});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Result<std::optional<admin::AdminAccount>> AdminSql::FindByUsername(
    std::string_view username) {
  auto rows = sql_.Query(
      "SELECT id, username, password_hash, role, must_change_password, created_at "
      "FROM admin_accounts WHERE username = ?",
      {std::string(username)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<admin::AdminAccount>();
  const Row& row = rows->front();
  auto role = ParseRole(row.GetString(3));
  if (!role.ok()) return std::move(role).error();
  admin::AdminAccount account;
  account.id = row.GetInt64(0);
  account.username = row.GetString(1);
  account.password_hash = row.GetString(2);
  account.role = *role;
  account.must_change_password = row.GetBool(4);
  account.created_at = core::TimePoint{std::chrono::seconds{row.GetInt64(5)}};
  return std::optional<admin::AdminAccount>(std::move(account));
}

core::Result<std::int64_t> AdminSql::Count() {
  auto rows = sql_.Query("SELECT COUNT(*) FROM admin_accounts");
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

}  // namespace corphub::storage
