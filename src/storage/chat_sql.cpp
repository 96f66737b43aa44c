#include "storage/chat_sql.hpp"

#include <algorithm>
#include <string>

namespace corphub::storage {

core::Status ChatSql::SetMembers(const messaging::Chat& chat) {
  CORPHUB_TRY(sql_.Exec("DELETE FROM appchat_members WHERE chat_id = ?", {chat.id}));
  // Members deleted meanwhile are skipped rather than failing the foreign key.
  return ForIdChunks(sql_, "id", chat.member_ids, {chat.id},
                     [&](const std::string& condition, Params& params) -> core::Status {
                       auto done = sql_.Exec(
                           "INSERT INTO appchat_members (chat_id, member_id) SELECT ?, id FROM "
                           "members WHERE " +
                               condition,
                           params);
                       if (!done) return std::move(done).error();
                       return core::Ok();
                     });
}

core::Status ChatSql::Insert(messaging::Chat& chat) {
  auto rows = sql_.Query(
      "INSERT INTO appchats (org_id, chatid, agentid, name, owner_id, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      MakeParams(chat.org_id, chat.chatid, chat.agentid, chat.name, chat.owner_id,
                 core::UnixSeconds(chat.created_at), core::UnixSeconds(chat.updated_at)));
  if (!rows) return std::move(rows).error();
  chat.id = rows->at(0).GetInt64(0);
  return SetMembers(chat);
}

core::Status ChatSql::Update(const messaging::Chat& chat) {
  CORPHUB_TRY(sql_.Exec("UPDATE appchats SET name = ?, owner_id = ?, updated_at = ? WHERE id = ?",
                        {chat.name, chat.owner_id, core::UnixSeconds(chat.updated_at), chat.id}));
  return SetMembers(chat);
}

core::Result<std::optional<messaging::Chat>> ChatSql::Find(std::int64_t org_id,
                                                           std::string_view chatid) {
  using Out = std::optional<messaging::Chat>;
  auto rows = sql_.Query(
      "SELECT id, org_id, chatid, agentid, name, owner_id, created_at, updated_at FROM appchats "
      "WHERE org_id = ? AND chatid = ?",
      {org_id, std::string(chatid)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return Out();
  const Row& r = rows->front();
  messaging::Chat c;
  c.id = r.GetInt64(0);
  c.org_id = r.GetInt64(1);
  c.chatid = r.GetString(2);
  c.agentid = r.GetInt64(3);
  c.name = r.GetString(4);
  c.owner_id = r.GetInt64(5);
  c.created_at = core::FromUnixSeconds(r.GetInt64(6));
  c.updated_at = core::FromUnixSeconds(r.GetInt64(7));
  auto members = sql_.Query(
      "SELECT member_id FROM appchat_members WHERE chat_id = ? ORDER BY member_id", {c.id});
  if (!members) return std::move(members).error();
  for (const Row& row : *members) c.member_ids.push_back(row.GetInt64(0));
  return Out(std::move(c));
}

core::Result<std::vector<std::pair<std::int64_t, std::string>>> ChatSql::Userids(
    const std::vector<std::int64_t>& member_ids) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  auto status = ForIdChunks(sql_, "id", member_ids, {},
                            [&](const std::string& condition, Params& params) -> core::Status {
                              auto rows = sql_.Query(
                                  "SELECT id, userid FROM members WHERE " + condition, params);
                              if (!rows) return std::move(rows).error();
                              for (const Row& row : *rows) {
                                out.emplace_back(row.GetInt64(0), row.GetString(1));
                              }
                              return core::Ok();
                            });
  if (!status) return std::move(status).error();
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace corphub::storage
