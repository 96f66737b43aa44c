#include "storage/sso_sql.hpp"

namespace corphub::storage {

core::Status SsoSql::InsertCode(const sso::AuthCode& c) {
  auto done = sql_.Exec(
      "INSERT INTO sso_codes (code_hash, org_id, member_id, agentid, scope, redirect_host, "
      "device_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      MakeParams(c.code_hash, c.org_id, c.member_id, c.agentid, c.scope, c.redirect_host,
                 c.device_id, c.expires_at_ms));
  if (!done) return std::move(done).error();
  return core::Ok();
}

core::Result<std::optional<sso::AuthCode>> SsoSql::TakeCode(std::string_view code_hash,
                                                            std::int64_t now_ms) {
  auto rows = sql_.Query(
      "DELETE FROM sso_codes WHERE code_hash = ? RETURNING org_id, member_id, agentid, scope, "
      "redirect_host, device_id, expires_at",
      MakeParams(std::string(code_hash)));
  if (!rows) return std::move(rows).error();
  if (rows->empty() || rows->front().GetInt64(6) <= now_ms) return std::optional<sso::AuthCode>();
  const Row& row = rows->front();
  sso::AuthCode c;
  c.code_hash = std::string(code_hash);
  c.org_id = row.GetInt64(0);
  c.member_id = row.GetInt64(1);
  c.agentid = row.GetInt64(2);
  c.scope = row.GetString(3);
  c.redirect_host = row.GetString(4);
  c.device_id = row.GetString(5);
  c.expires_at_ms = row.GetInt64(6);
  return std::optional<sso::AuthCode>(std::move(c));
}

core::Status SsoSql::InsertTicket(const sso::UserTicket& t) {
  auto done = sql_.Exec(
      "INSERT INTO sso_tickets (ticket_hash, org_id, member_id, agentid, expires_at) "
      "VALUES (?, ?, ?, ?, ?)",
      MakeParams(t.ticket_hash, t.org_id, t.member_id, t.agentid, t.expires_at_ms));
  if (!done) return std::move(done).error();
  return core::Ok();
}

core::Result<std::optional<sso::UserTicket>> SsoSql::FindTicket(std::string_view ticket_hash,
                                                                std::int64_t now_ms) {
  auto rows = sql_.Query(
      "SELECT org_id, member_id, agentid, expires_at FROM sso_tickets "
      "WHERE ticket_hash = ? AND expires_at > ?",
      MakeParams(std::string(ticket_hash), now_ms));
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<sso::UserTicket>();
  const Row& row = rows->front();
  sso::UserTicket t;
  t.ticket_hash = std::string(ticket_hash);
  t.org_id = row.GetInt64(0);
  t.member_id = row.GetInt64(1);
  t.agentid = row.GetInt64(2);
  t.expires_at_ms = row.GetInt64(3);
  return std::optional<sso::UserTicket>(std::move(t));
}

core::Result<std::optional<sso::JsapiTicket>> SsoSql::FindJsapiTicket(std::int64_t org_id,
                                                                      std::int64_t agentid,
                                                                      std::int64_t now_ms) {
  auto rows = sql_.Query(
      "SELECT ticket, expires_at FROM jsapi_tickets WHERE org_id = ? AND agentid = ? AND "
      "expires_at > ?",
      MakeParams(org_id, agentid, now_ms));
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<sso::JsapiTicket>();
  sso::JsapiTicket t;
  t.org_id = org_id;
  t.agentid = agentid;
  t.ticket = rows->front().GetString(0);
  t.expires_at_ms = rows->front().GetInt64(1);
  return std::optional<sso::JsapiTicket>(std::move(t));
}

core::Result<sso::JsapiTicket> SsoSql::PutJsapiTicket(const sso::JsapiTicket& t,
                                                      std::int64_t now_ms) {
  // An expired row is replaced; a live one (another node's, just made) is kept.
  auto rows = sql_.Query(
      "INSERT INTO jsapi_tickets (org_id, agentid, ticket, expires_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (org_id, agentid) DO UPDATE SET ticket = excluded.ticket, "
      "expires_at = excluded.expires_at WHERE jsapi_tickets.expires_at <= ? "
      "RETURNING ticket, expires_at",
      MakeParams(t.org_id, t.agentid, t.ticket, t.expires_at_ms, now_ms));
  if (!rows) return std::move(rows).error();
  if (!rows->empty()) {
    sso::JsapiTicket kept = t;
    kept.ticket = rows->front().GetString(0);
    kept.expires_at_ms = rows->front().GetInt64(1);
    return kept;
  }
  auto live = FindJsapiTicket(t.org_id, t.agentid, now_ms);
  if (!live) return std::move(live).error();
  if (!*live) return core::MakeError(core::ErrorKind::kInternal, "the JS-SDK ticket vanished");
  return std::move(**live);
}

core::Result<std::string> SsoSql::CorpId(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT corpid FROM organisations WHERE id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return core::MakeError(core::ErrorKind::kNotFound, "no such organisation");
  return rows->front().GetString(0);
}

core::Status SsoSql::Purge(std::int64_t now_ms) {
  auto done = sql_.Exec("DELETE FROM sso_codes WHERE expires_at <= ?", {now_ms});
  if (!done) return std::move(done).error();
  done = sql_.Exec("DELETE FROM sso_tickets WHERE expires_at <= ?", {now_ms});
  if (!done) return std::move(done).error();
  return core::Ok();
}

}  // namespace corphub::storage
