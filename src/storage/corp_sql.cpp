#include "storage/corp_sql.hpp"

#include <chrono>
#include <string>

namespace corphub::storage {
namespace {}  // namespace

core::Result<std::int64_t> OrganisationSql::InsertDefault(const corp::Organisation& org) {
  auto rows = sql_.Query(
      "INSERT INTO organisations (corpid, name, contacts_secret, is_default, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      {org.corpid, org.name, box_ ? box_->Seal(org.contacts_secret) : org.contacts_secret,
       BoolValue(true), core::UnixSeconds(org.created_at)});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Result<std::optional<corp::Organisation>> OrganisationSql::FindOne(std::string_view where,
                                                                         Params params) {
  auto rows =
      sql_.Query("SELECT id, corpid, name, contacts_secret, created_at FROM organisations WHERE " +
                     std::string(where),
                 std::move(params));
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<corp::Organisation>();
  const Row& row = rows->front();
  corp::Organisation org;
  org.id = row.GetInt64(0);
  org.corpid = row.GetString(1);
  org.name = row.GetString(2);
  auto secret = box_ ? box_->Open(row.GetString(3)) : std::optional(row.GetString(3));
  if (!secret) {
    return core::MakeError(core::ErrorKind::kInternal,
                           "the contacts-sync secret does not open with this server's key file "
                           "(secret.key): is it the one this database was made with?");
  }
  org.contacts_secret = std::move(*secret);
  org.created_at = core::FromUnixSeconds(row.GetInt64(4));
  return std::optional<corp::Organisation>(std::move(org));
}

core::Result<std::optional<corp::Organisation>> OrganisationSql::FindDefault() {
  return FindOne("is_default = ?", {BoolValue(true)});
}

core::Result<std::optional<corp::Organisation>> OrganisationSql::FindByCorpId(
    std::string_view corpid) {
  return FindOne("corpid = ?", {std::string(corpid)});
}

core::Status TokenSql::Insert(const corp::AccessToken& token) {
  CORPHUB_TRY(sql_.Exec(
      "INSERT INTO access_tokens (token_hash, org_id, principal, issued_at, expires_at, "
      "secret_tag) VALUES (?, ?, ?, ?, ?, ?)",
      {token.token_hash, token.org_id, token.principal, core::UnixSeconds(token.issued_at),
       core::UnixSeconds(token.expires_at), token.secret_tag}));
  return core::Ok();
}

core::Result<std::optional<corp::AccessToken>> TokenSql::FindByHash(std::string_view token_hash) {
  auto rows = sql_.Query(
      "SELECT token_hash, org_id, principal, issued_at, expires_at, secret_tag FROM access_tokens "
      "WHERE token_hash = ?",
      {std::string(token_hash)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<corp::AccessToken>();
  const Row& row = rows->front();
  corp::AccessToken t;
  t.token_hash = row.GetString(0);
  t.org_id = row.GetInt64(1);
  t.principal = row.GetString(2);
  t.issued_at = core::FromUnixSeconds(row.GetInt64(3));
  t.expires_at = core::FromUnixSeconds(row.GetInt64(4));
  t.secret_tag = row.GetString(5);
  return std::optional<corp::AccessToken>(std::move(t));
}

core::Result<std::int64_t> TokenSql::DeleteExpiredBefore(core::TimePoint before) {
  return sql_.Exec("DELETE FROM access_tokens WHERE expires_at < ?", {core::UnixSeconds(before)});
}

core::Result<std::int64_t> TokenSql::DeleteOf(std::int64_t org_id, std::string_view principal) {
  return sql_.Exec("DELETE FROM access_tokens WHERE org_id = ? AND principal = ?",
                   {org_id, std::string(principal)});
}

}  // namespace corphub::storage
