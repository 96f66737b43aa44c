#include "storage/member_session_sql.hpp"

#include <string>

namespace corphub::storage {

core::Status MemberSessionSql::Insert(identity::MemberSession& s) {
  auto rows = sql_.Query(
      "INSERT INTO member_sessions (member_id, token_hash, csrf_token, address, device, "
      "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      MakeParams(s.member_id, s.token_hash, s.csrf_token, s.address, s.device,
                 core::UnixSeconds(s.created_at), core::UnixSeconds(s.last_seen_at),
                 core::UnixSeconds(s.expires_at)));
  if (!rows) return std::move(rows).error();
  s.id = rows->at(0).GetInt64(0);
  return core::Ok();
}

namespace {

constexpr std::string_view kColumns =
    "SELECT s.id, s.member_id, m.org_id, s.token_hash, s.csrf_token, s.address, s.created_at, "
    "s.last_seen_at, s.expires_at, s.device FROM member_sessions s "
    "JOIN members m ON m.id = s.member_id ";

identity::MemberSession SessionOf(const Row& r) {
  identity::MemberSession s;
  s.id = r.GetInt64(0);
  s.member_id = r.GetInt64(1);
  s.org_id = r.GetInt64(2);
  s.token_hash = r.GetString(3);
  s.csrf_token = r.GetString(4);
  s.address = r.GetString(5);
  s.created_at = core::FromUnixSeconds(r.GetInt64(6));
  s.last_seen_at = core::FromUnixSeconds(r.GetInt64(7));
  s.expires_at = core::FromUnixSeconds(r.GetInt64(8));
  s.device = r.GetString(9);
  return s;
}

}  // namespace

core::Result<std::optional<identity::MemberSession>> MemberSessionSql::Find(
    std::string_view token_hash) {
  auto rows =
      sql_.Query(std::string(kColumns) + "WHERE s.token_hash = ? AND m.enable = 1 AND m.state <> 5",
                 {std::string(token_hash)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<identity::MemberSession>();
  return std::optional<identity::MemberSession>(SessionOf(rows->front()));
}

core::Result<std::vector<identity::MemberSession>> MemberSessionSql::ListOfMember(
    std::int64_t member_id, core::TimePoint now) {
  auto rows = sql_.Query(
      std::string(kColumns) + "WHERE s.member_id = ? AND s.expires_at > ? ORDER BY s.id DESC",
      {member_id, core::UnixSeconds(now)});
  if (!rows) return std::move(rows).error();
  std::vector<identity::MemberSession> out;
  for (const auto& r : *rows) out.push_back(SessionOf(r));
  return out;
}

core::Result<std::vector<std::int64_t>> MemberSessionSql::DeleteOfMember(
    std::int64_t member_id, std::optional<std::int64_t> id, std::int64_t keep) {
  auto rows = id ? sql_.Query(
                       "DELETE FROM member_sessions WHERE member_id = ? AND id = ? "
                       "RETURNING id",
                       {member_id, *id})
                 : sql_.Query(
                       "DELETE FROM member_sessions WHERE member_id = ? AND id <> ? "
                       "RETURNING id",
                       {member_id, keep});
  if (!rows) return std::move(rows).error();
  std::vector<std::int64_t> out;
  for (const auto& r : *rows) out.push_back(r.GetInt64(0));
  return out;
}

core::Result<std::vector<std::int64_t>> MemberSessionSql::Live(const std::vector<std::int64_t>& ids,
                                                               core::TimePoint now) {
  return SelectForIds(sql_,
                      "SELECT s.id FROM member_sessions s JOIN members m ON m.id = s.member_id "
                      "WHERE s.expires_at > ? AND m.enable = 1 AND m.state <> 5 AND",
                      "s.id", {core::UnixSeconds(now)}, ids);
}

core::Status MemberSessionSql::Touch(std::int64_t id, core::TimePoint last_seen_at) {
  CORPHUB_TRY(sql_.Exec("UPDATE member_sessions SET last_seen_at = ? WHERE id = ?",
                        {core::UnixSeconds(last_seen_at), id}));
  return core::Ok();
}

core::Status MemberSessionSql::Delete(std::int64_t id) {
  CORPHUB_TRY(sql_.Exec("DELETE FROM member_sessions WHERE id = ?", {id}));
  return core::Ok();
}

core::Result<std::optional<std::int64_t>> MemberSessionSql::MemberIdOf(
    std::int64_t org_id, std::string_view userid_key) {
  auto rows = sql_.Query("SELECT id FROM members WHERE org_id = ? AND userid_key = ?",
                         {org_id, std::string(userid_key)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows->front().GetInt64(0));
}

core::Result<std::optional<identity::MemberProfile>> MemberSessionSql::Profile(
    std::int64_t member_id) {
  auto rows = sql_.Query(
      "SELECT m.userid, m.name, m.position, m.avatar, o.name FROM members m "
      "JOIN organisations o ON o.id = m.org_id WHERE m.id = ?",
      {member_id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<identity::MemberProfile>();
  const Row& r = rows->front();
  return std::optional<identity::MemberProfile>(identity::MemberProfile{
      r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)});
}

}  // namespace corphub::storage
