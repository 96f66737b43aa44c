#include "storage/admin_sql.hpp"

#include <chrono>
#include <string>

namespace corphub::storage {
namespace {

constexpr std::string_view kSuperRole = "super";
constexpr std::string_view kScopedRole = "scoped";

std::string RoleName(admin::AdminRole role) {
  return std::string(role == admin::AdminRole::kScoped ? kScopedRole : kSuperRole);
}

core::Result<admin::AdminRole> ParseRole(std::string_view name) {
  if (name == kSuperRole) return admin::AdminRole::kSuper;
  if (name == kScopedRole) return admin::AdminRole::kScoped;
  return core::MakeError(core::ErrorKind::kInternal,
                         "admin_accounts holds an unknown role '" + std::string(name) + "'");
}

constexpr std::string_view kAccountColumns =
    "SELECT a.id, a.username, a.password_hash, a.role, a.must_change_password, a.created_at, "
    "a.failed_logins, a.locked_until, a.totp_secret, a.totp_pending, a.totp_last_step";

}  // namespace

core::Result<admin::AdminAccount> AdminSql::AccountFrom(const Row& row, std::size_t at) const {
  auto role = ParseRole(row.GetString(at + 3));
  if (!role.ok()) return std::move(role).error();
  admin::AdminAccount account;
  account.id = row.GetInt64(at);
  account.username = row.GetString(at + 1);
  account.password_hash = row.GetString(at + 2);
  account.role = *role;
  account.must_change_password = row.GetBool(at + 4);
  account.created_at = core::FromUnixSeconds(row.GetInt64(at + 5));
  account.failed_logins = row.GetInt64(at + 6);
  account.locked_until = core::FromUnixSeconds(row.GetInt64(at + 7));
  for (auto [column, field] :
       {std::pair{at + 8, &account.totp_secret}, std::pair{at + 9, &account.totp_pending}}) {
    auto plain = box_ ? box_->Open(row.GetString(column)) : std::optional(row.GetString(column));
    if (!plain) {
      return core::MakeError(core::ErrorKind::kInternal,
                             "a TOTP secret does not open with this server's key file "
                             "(secret.key): is it the one this database was made with?");
    }
    *field = std::move(*plain);
  }
  account.totp_last_step = row.GetInt64(at + 10);
  return account;
}

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
  auto rows = sql_.Query(std::string(kAccountColumns) + " FROM admin_accounts a WHERE username = ?",
                         {std::string(username)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<admin::AdminAccount>();
  auto account = AccountFrom(rows->front(), 0);
  if (!account.ok()) return std::move(account).error();
  return std::optional<admin::AdminAccount>(std::move(*account));
}

core::Result<std::int64_t> AdminSql::Count() {
  auto rows = sql_.Query("SELECT COUNT(*) FROM admin_accounts");
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Result<std::optional<admin::AdminAccount>> AdminSql::FindById(std::int64_t id) {
  auto rows =
      sql_.Query(std::string(kAccountColumns) + " FROM admin_accounts a WHERE id = ?", {id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<admin::AdminAccount>();
  auto account = AccountFrom(rows->front(), 0);
  if (!account.ok()) return std::move(account).error();
  return std::optional<admin::AdminAccount>(std::move(*account));
}

core::Result<std::vector<admin::AdminAccount>> AdminSql::List() {
  auto rows =
      sql_.Query(std::string(kAccountColumns) + " FROM admin_accounts a ORDER BY a.username");
  if (!rows.ok()) return std::move(rows).error();
  std::vector<admin::AdminAccount> out;
  for (const Row& row : *rows) {
    auto account = AccountFrom(row, 0);
    if (!account.ok()) return std::move(account).error();
    out.push_back(std::move(*account));
  }
  return out;
}

core::Result<std::int64_t> AdminSql::CountSupers() {
  auto rows =
      sql_.Query("SELECT COUNT(*) FROM admin_accounts WHERE role = ?", {std::string(kSuperRole)});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Status AdminSql::SetPassword(const admin::AdminAccount& account) {
  auto done = sql_.Exec(
      "UPDATE admin_accounts SET password_hash = ?, must_change_password = ? WHERE id = ?",
      {account.password_hash, BoolValue(account.must_change_password), account.id});
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such administrator");
  return core::Ok();
}

core::Status AdminSql::SetRole(const admin::AdminAccount& account) {
  auto done = sql_.Exec("UPDATE admin_accounts SET role = ? WHERE id = ?",
                        {RoleName(account.role), account.id});
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such administrator");
  return core::Ok();
}

core::Status AdminSql::Delete(std::int64_t id) {
  auto done = sql_.Exec("DELETE FROM admin_accounts WHERE id = ?", {id});
  if (!done.ok()) return std::move(done).error();
  if (*done == 0) return core::MakeError(core::ErrorKind::kNotFound, "no such administrator");
  return core::Ok();
}

core::Status AdminSql::DeleteSessionsOf(std::int64_t admin_id, std::int64_t except_id) {
  auto done =
      sql_.Exec("DELETE FROM admin_sessions WHERE admin_id = ? AND id <> ?", {admin_id, except_id});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status AdminSql::SetLoginState(const admin::AdminAccount& account) {
  auto done =
      sql_.Exec("UPDATE admin_accounts SET failed_logins = ?, locked_until = ? WHERE id = ?",
                {account.failed_logins, core::UnixSeconds(account.locked_until), account.id});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status AdminSql::SetTotp(const admin::AdminAccount& account) {
  auto done = sql_.Exec(
      "UPDATE admin_accounts SET totp_secret = ?, totp_pending = ?, totp_last_step = ? WHERE id = "
      "?",
      {Sealed(account.totp_secret), Sealed(account.totp_pending), account.totp_last_step,
       account.id});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status AdminSql::ReplaceRecoveryCodes(std::int64_t admin_id,
                                            const std::vector<std::string>& hashes) {
  auto gone = sql_.Exec("DELETE FROM admin_recovery_codes WHERE admin_id = ?", {admin_id});
  if (!gone.ok()) return std::move(gone).error();
  for (const auto& h : hashes) {
    auto done = sql_.Exec("INSERT INTO admin_recovery_codes (admin_id, code_hash) VALUES (?, ?)",
                          {admin_id, h});
    if (!done.ok()) return std::move(done).error();
  }
  return core::Ok();
}

core::Result<bool> AdminSql::UseRecoveryCode(std::int64_t admin_id, std::string_view hash,
                                             core::TimePoint at) {
  auto done = sql_.Exec(
      "UPDATE admin_recovery_codes SET used_at = ? WHERE admin_id = ? AND code_hash = ? AND "
      "used_at IS NULL",
      {core::UnixSeconds(at), admin_id, std::string(hash)});
  if (!done.ok()) return std::move(done).error();
  return *done > 0;
}

core::Result<std::int64_t> AdminSql::RecoveryCodesLeft(std::int64_t admin_id) {
  auto rows =
      sql_.Query("SELECT COUNT(*) FROM admin_recovery_codes WHERE admin_id = ? AND used_at IS NULL",
                 {admin_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Status AdminSql::InsertSession(admin::AdminSession& s) {
  auto rows = sql_.Query(
      "INSERT INTO admin_sessions (admin_id, token_hash, csrf_token, address, created_at, "
      "last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {s.admin_id, s.token_hash, s.csrf_token, s.address, core::UnixSeconds(s.created_at),
       core::UnixSeconds(s.last_seen_at), core::UnixSeconds(s.expires_at)});
  if (!rows.ok()) return std::move(rows).error();
  s.id = rows->at(0).GetInt64(0);
  return core::Ok();
}

core::Result<std::optional<admin::AdminSession>> AdminSql::FindSession(
    std::string_view token_hash) {
  auto rows = sql_.Query(
      "SELECT s.id, s.admin_id, s.token_hash, s.csrf_token, s.address, s.created_at, "
      "s.last_seen_at, s.expires_at, " +
          std::string(kAccountColumns.substr(7)) +
          " FROM admin_sessions s JOIN admin_accounts a ON a.id = s.admin_id "
          "WHERE s.token_hash = ?",
      {std::string(token_hash)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<admin::AdminSession>();
  const Row& row = rows->front();
  admin::AdminSession s;
  s.id = row.GetInt64(0);
  s.admin_id = row.GetInt64(1);
  s.token_hash = row.GetString(2);
  s.csrf_token = row.GetString(3);
  s.address = row.GetString(4);
  s.created_at = core::FromUnixSeconds(row.GetInt64(5));
  s.last_seen_at = core::FromUnixSeconds(row.GetInt64(6));
  s.expires_at = core::FromUnixSeconds(row.GetInt64(7));
  auto account = AccountFrom(row, 8);
  if (!account.ok()) return std::move(account).error();
  s.admin = std::move(*account);
  return std::optional<admin::AdminSession>(std::move(s));
}

core::Status AdminSql::TouchSession(std::int64_t id, core::TimePoint last_seen_at) {
  auto done = sql_.Exec("UPDATE admin_sessions SET last_seen_at = ? WHERE id = ?",
                        {core::UnixSeconds(last_seen_at), id});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status AdminSql::DeleteSession(std::int64_t id) {
  auto done = sql_.Exec("DELETE FROM admin_sessions WHERE id = ?", {id});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Result<std::int64_t> AdminSql::DeleteExpiredSessions(core::TimePoint now,
                                                           core::TimePoint idle_since) {
  auto done = sql_.Exec("DELETE FROM admin_sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                        {core::UnixSeconds(now), core::UnixSeconds(idle_since)});
  if (!done.ok()) return std::move(done).error();
  return static_cast<std::int64_t>(*done);
}

}  // namespace corphub::storage
