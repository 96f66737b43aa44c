#include "storage/message_sql.hpp"

#include <algorithm>
#include <string>

namespace corphub::storage {
namespace {

using messaging::Delivery;
using messaging::EventKind;
using messaging::InboxEvent;
using messaging::Message;

// Message columns, then the inbox's, for reads that join them.
constexpr std::string_view kMessageColumns =
    "m.id, m.org_id, m.agentid, m.msgid, m.msgtype, m.body, m.preview, m.safe, m.id_trans, "
    "m.sender, m.recipients, m.dup_key, m.created_at, m.expires_at, m.recalled_at, m.chatid";
constexpr std::size_t kMessageColumnCount = 16;

Message MessageOf(const Row& row) {
  Message m;
  m.id = row.GetInt64(0);
  m.org_id = row.GetInt64(1);
  m.agentid = row.GetInt64(2);
  m.msgid = row.GetString(3);
  messaging::ParseMsgType(row.GetString(4), m.content.type);
  m.content.body_json = row.GetString(5);
  m.content.preview = row.GetString(6);
  m.safe = static_cast<int>(row.GetInt64(7));
  m.id_trans = row.GetBool(8);
  m.sender = row.GetString(9);
  m.recipients = row.GetInt64(10);
  m.dup_key = row.GetString(11);
  m.created_at = core::FromUnixSeconds(row.GetInt64(12));
  if (auto e = row.GetOptionalInt64(13)) m.expires_at = core::FromUnixSeconds(*e);
  if (auto r = row.GetOptionalInt64(14)) m.recalled_at = core::FromUnixSeconds(*r);
  m.chatid = row.GetString(15);
  return m;
}

// seq, kind, agentid, read_at after the message's columns.
InboxEvent EventOf(const Row& row) {
  InboxEvent e;
  e.message = MessageOf(row);
  const std::size_t c = kMessageColumnCount;
  e.seq = row.GetInt64(c);
  e.kind = static_cast<EventKind>(row.GetInt64(c + 1));
  e.agentid = row.GetInt64(c + 2);
  if (auto r = row.GetOptionalInt64(c + 3)) e.read_at = core::FromUnixSeconds(*r);
  return e;
}

Value OptionalTime(const std::optional<core::TimePoint>& t) {
  if (!t) return nullptr;
  return core::UnixSeconds(*t);
}

}  // namespace

core::Status MessageSql::Insert(Message& m) {
  auto rows = sql_.Query(
      "INSERT INTO messages (org_id, agentid, msgid, msgtype, body, preview, safe, id_trans, "
      "sender, recipients, dup_key, created_at, expires_at, recalled_at, chatid) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      MakeParams(m.org_id, m.agentid, m.msgid, std::string(messaging::MsgTypeName(m.content.type)),
                 m.content.body_json, m.content.preview, std::int64_t{m.safe},
                 BoolValue(m.id_trans), m.sender, m.recipients, m.dup_key,
                 core::UnixSeconds(m.created_at), OptionalTime(m.expires_at),
                 OptionalTime(m.recalled_at), m.chatid));
  if (!rows) return std::move(rows).error();
  m.id = rows->at(0).GetInt64(0);
  std::vector<std::string> media;
  for (const auto& ref : m.content.media) {
    if (std::find(media.begin(), media.end(), ref.media_id) == media.end()) {
      media.push_back(ref.media_id);
    }
  }
  return InsertRows(sql_, "INSERT INTO message_media (media_id, message_id) VALUES ", 2,
                    media.size(), 200, [&](std::size_t i, Params& p) {
                      p.emplace_back(media[i]);
                      p.emplace_back(m.id);
                    });
}

core::Result<std::optional<Message>> MessageSql::FindByMsgid(std::int64_t org_id,
                                                             std::string_view msgid) {
  auto rows = sql_.Query("SELECT " + std::string(kMessageColumns) +
                             " FROM messages m WHERE m.org_id = ? AND m.msgid = ?",
                         {org_id, std::string(msgid)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<Message>();
  return std::optional<Message>(MessageOf(rows->front()));
}

core::Result<std::optional<std::string>> MessageSql::FindDuplicate(std::int64_t org_id,
                                                                   std::int64_t agentid,
                                                                   std::string_view dup_key,
                                                                   core::TimePoint since) {
  auto rows = sql_.Query(
      "SELECT msgid FROM messages WHERE org_id = ? AND agentid = ? AND dup_key = ? AND "
      "created_at >= ? ORDER BY id DESC LIMIT 1",
      {org_id, agentid, std::string(dup_key), core::UnixSeconds(since)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().GetString(0));
}

// The next number of each member's stream is one past the last one handed out.
//
// On SQLite, inbox_heads holds each member's last number, bumped in place for every event (an
// update by key is far cheaper there than finding the newest row). OR FAIL: a constraint
// failure still fails the statement (and the send), but SQLite then needs no statement journal
// to undo a half-done multi-row statement, which was a third of the time of a large send.
//
// On PostgreSQL, an update per event leaves a dead row version each time: heads updated a
// hundred times in a minute made each update walk the versions. There the number is one past
// the member's newest inbox row (one descent of the inbox's key), or past the floor retention
// left in inbox_heads when it deleted their newest rows, whichever is higher.
//
// Either way, members deleted meanwhile get nothing.
core::Result<std::int64_t> MessageSql::Append(std::int64_t message_id, std::int64_t agentid,
                                              EventKind kind,
                                              const std::vector<std::int64_t>& member_ids) {
  std::int64_t appended = 0;
  const std::size_t chunk = IdsPerStatement(sql_);
  const bool postgres = sql_.TakesArrays();
  for (std::size_t from = 0; from < member_ids.size(); from += chunk) {
    const std::size_t to = std::min(member_ids.size(), from + chunk);
    Params p{std::int64_t{static_cast<int>(kind)}, message_id, agentid};
    core::Result<std::int64_t> rows = std::int64_t{0};
    if (postgres) {
      const std::string members = InIds(sql_, "mb.id", member_ids, from, to, p);
      rows = sql_.Exec(
          "INSERT INTO inbox (member_id, seq, kind, message_id, agentid) "
          "SELECT mb.id, GREATEST(COALESCE((SELECT MAX(i.seq) FROM inbox i WHERE i.member_id = "
          "mb.id), 0), COALESCE(h.last_seq, 0)) + 1, ?, ?, ? "
          "FROM members mb LEFT JOIN inbox_heads h ON h.member_id = mb.id WHERE " +
              members,
          p);
    } else {
      Params ids;
      const std::string heads = InIds(sql_, "member_id", member_ids, from, to, ids);
      auto bumped =
          sql_.Exec("UPDATE OR FAIL inbox_heads SET last_seq = last_seq + 1 WHERE " + heads, ids);
      if (!bumped) return std::move(bumped).error();
      if (*bumped < static_cast<std::int64_t>(to - from)) {  // first events: a head at 1
        Params m;
        const std::string members = InIds(sql_, "id", member_ids, from, to, m);
        auto added = sql_.Exec(
            "INSERT INTO inbox_heads (member_id, last_seq) SELECT id, 1 FROM members WHERE " +
                members + " ON CONFLICT (member_id) DO NOTHING",
            m);
        if (!added) return std::move(added).error();
      }
      p.insert(p.end(), ids.begin(), ids.end());
      rows = sql_.Exec(
          "INSERT OR FAIL INTO inbox (member_id, seq, kind, message_id, agentid) "
          "SELECT member_id, last_seq, ?, ?, ? FROM inbox_heads WHERE " +
              heads,
          p);
    }
    if (!rows) return std::move(rows).error();
    appended += *rows;
  }
  return appended;
}

core::Result<std::vector<Delivery>> MessageSql::Seqs(std::int64_t message_id, EventKind kind,
                                                     const std::vector<std::int64_t>& member_ids) {
  std::vector<Delivery> out;
  out.reserve(member_ids.size());
  auto status =
      ForIdChunks(sql_, "member_id", member_ids, {message_id, std::int64_t{static_cast<int>(kind)}},
                  [&](const std::string& condition, Params& params) -> core::Status {
                    auto rows = sql_.Query(
                        "SELECT member_id, MAX(seq) FROM inbox WHERE message_id = ? AND "
                        "kind = ? AND " +
                            condition + " GROUP BY member_id",
                        params);
                    if (!rows) return std::move(rows).error();
                    for (const Row& row : *rows)
                      out.push_back(Delivery{row.GetInt64(0), row.GetInt64(1)});
                    return core::Ok();
                  });
  if (!status) return std::move(status).error();
  return out;
}

core::Result<std::vector<std::int64_t>> MessageSql::RecipientsOf(std::int64_t message_id) {
  auto rows =
      sql_.Query("SELECT member_id FROM inbox WHERE message_id = ? AND kind = 1 ORDER BY member_id",
                 {message_id});
  if (!rows) return std::move(rows).error();
  std::vector<std::int64_t> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(row.GetInt64(0));
  return out;
}

core::Status MessageSql::MarkRecalled(std::int64_t message_id, core::TimePoint at) {
  CORPHUB_TRY(sql_.Exec("UPDATE messages SET recalled_at = ? WHERE id = ?",
                        {core::UnixSeconds(at), message_id}));
  return core::Ok();
}

core::Result<messaging::ReadStats> MessageSql::Stats(std::int64_t message_id) {
  auto rows = sql_.Query(
      "SELECT COUNT(*), COUNT(read_at) FROM inbox WHERE message_id = ? AND kind = 1", {message_id});
  if (!rows) return std::move(rows).error();
  return messaging::ReadStats{rows->at(0).GetInt64(0), rows->at(0).GetInt64(1)};
}

core::Result<std::vector<messaging::Receipt>> MessageSql::Receipts(std::int64_t message_id,
                                                                   messaging::ReceiptFilter filter,
                                                                   std::int64_t after_member_id,
                                                                   std::int64_t limit) {
  std::string condition;
  if (filter == messaging::ReceiptFilter::kRead) condition = " AND i.read_at IS NOT NULL";
  if (filter == messaging::ReceiptFilter::kUnread) condition = " AND i.read_at IS NULL";
  auto rows = sql_.Query(
      "SELECT i.member_id, mb.userid, mb.name, i.read_at FROM inbox i "
      "JOIN members mb ON mb.id = i.member_id WHERE i.message_id = ? AND i.kind = 1 AND "
      "i.member_id > ?" +
          condition + " ORDER BY i.member_id LIMIT ?",
      {message_id, after_member_id, limit});
  if (!rows) return std::move(rows).error();
  std::vector<messaging::Receipt> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    messaging::Receipt r;
    r.member_id = row.GetInt64(0);
    r.userid = row.GetString(1);
    r.name = row.GetString(2);
    if (!row.IsNull(3)) r.read_at = core::FromUnixSeconds(row.GetInt64(3));
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::vector<messaging::SentMessage>> MessageSql::SentBy(std::int64_t org_id,
                                                                     std::int64_t agentid,
                                                                     std::int64_t before_id,
                                                                     std::int64_t limit) {
  auto rows = sql_.Query(
      "SELECT " + std::string(kMessageColumns) +
          ", (SELECT COUNT(*) FROM inbox i WHERE i.message_id = m.id AND i.kind = 1), "
          "(SELECT COUNT(i.read_at) FROM inbox i WHERE i.message_id = m.id AND i.kind = 1) "
          "FROM messages m WHERE m.org_id = ? AND m.agentid = ? AND m.id < ? "
          "ORDER BY m.id DESC LIMIT ?",
      {org_id, agentid, before_id > 0 ? before_id : INT64_MAX, limit});
  if (!rows) return std::move(rows).error();
  std::vector<messaging::SentMessage> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    messaging::SentMessage sent;
    sent.message = MessageOf(row);
    sent.stats.recipients = row.GetInt64(kMessageColumnCount);
    sent.stats.read = row.GetInt64(kMessageColumnCount + 1);
    out.push_back(std::move(sent));
  }
  return out;
}

core::Result<std::vector<messaging::AppDeliveries>> MessageSql::DeliveriesPerApp(
    std::int64_t org_id, core::TimePoint from, core::TimePoint to) {
  auto rows = sql_.Query(
      "SELECT agentid, SUM(recipients) FROM messages WHERE org_id = ? AND created_at >= ? AND "
      "created_at < ? GROUP BY agentid ORDER BY agentid",
      {org_id, core::UnixSeconds(from), core::UnixSeconds(to)});
  if (!rows) return std::move(rows).error();
  std::vector<messaging::AppDeliveries> out;
  for (const Row& row : *rows) out.push_back({row.GetInt64(0), row.GetInt64(1)});
  return out;
}

core::Result<std::int64_t> MessageSql::DeleteExpired(core::TimePoint now, std::int64_t limit) {
  auto rows = sql_.Query(
      "SELECT id FROM messages WHERE expires_at IS NOT NULL AND expires_at <= ? "
      "ORDER BY expires_at LIMIT ?",
      {core::UnixSeconds(now), limit});
  if (!rows) return std::move(rows).error();
  std::vector<std::int64_t> ids;
  ids.reserve(rows->size());
  for (const Row& row : *rows) ids.push_back(row.GetInt64(0));
  // Numbers are never reused: before the rows go, each member they belong to keeps the number
  // of their newest row as a floor (the next event takes one past it even when no row is left).
  auto floors =
      ForIdChunks(sql_, "message_id", ids, {},
                  [&](const std::string& condition, Params& params) -> core::Status {
                    auto done = sql_.Exec(
                        "INSERT INTO inbox_heads (member_id, last_seq) SELECT d.member_id, "
                        "(SELECT MAX(x.seq) FROM inbox x WHERE x.member_id = d.member_id) "
                        "FROM (SELECT DISTINCT member_id FROM inbox WHERE " +
                            condition +
                            ") d WHERE true ON CONFLICT (member_id) DO UPDATE SET last_seq = "
                            "excluded.last_seq WHERE excluded.last_seq > inbox_heads.last_seq",
                        params);
                    if (!done) return std::move(done).error();
                    return core::Ok();
                  });
  if (!floors) return std::move(floors).error();
  // The inbox has no foreign keys (migration 0011): a message's rows go first, by hand.
  const std::pair<const char*, const char*> deletes[] = {{"DELETE FROM inbox WHERE ", "message_id"},
                                                         {"DELETE FROM messages WHERE ", "id"}};
  for (const auto& [statement, column] : deletes) {
    auto status = ForIdChunks(sql_, column, ids, {},
                              [&](const std::string& condition, Params& params) -> core::Status {
                                auto done = sql_.Exec(statement + condition, params);
                                if (!done) return std::move(done).error();
                                return core::Ok();
                              });
    if (!status) return std::move(status).error();
  }
  return static_cast<std::int64_t>(ids.size());
}

core::Result<std::int64_t> MessageSql::LastSeq(std::int64_t member_id) {
  std::int64_t last = 0;
  for (const char* sql : {"SELECT MAX(seq) FROM inbox WHERE member_id = ?",
                          "SELECT last_seq FROM inbox_heads WHERE member_id = ?"}) {
    auto rows = sql_.Query(sql, {member_id});
    if (!rows) return std::move(rows).error();
    if (!rows->empty() && !rows->front().IsNull(0)) {
      last = std::max(last, rows->front().GetInt64(0));
    }
  }
  return last;
}

core::Result<std::vector<InboxEvent>> MessageSql::Events(std::string_view where, Params params) {
  auto rows = sql_.Query("SELECT " + std::string(kMessageColumns) +
                             ", i.seq, i.kind, i.agentid, i.read_at FROM inbox i "
                             "JOIN messages m ON m.id = i.message_id WHERE " +
                             std::string(where),
                         std::move(params));
  if (!rows) return std::move(rows).error();
  std::vector<InboxEvent> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(EventOf(row));
  return out;
}

core::Result<std::vector<messaging::Conversation>> MessageSql::Conversations(
    std::int64_t member_id) {
  auto rows = sql_.Query(
      "SELECT i.agentid, m.chatid, COUNT(*), "
      "SUM(CASE WHEN i.read_at IS NULL AND m.recalled_at IS NULL THEN 1 ELSE 0 END), MAX(i.seq), "
      "MAX(a.name) FROM inbox i JOIN messages m ON m.id = i.message_id "
      "LEFT JOIN appchats a ON m.chatid <> '' AND a.org_id = m.org_id AND a.chatid = m.chatid "
      "WHERE i.member_id = ? AND i.kind = 1 GROUP BY i.agentid, m.chatid",
      {member_id});
  if (!rows) return std::move(rows).error();
  std::vector<messaging::Conversation> out;
  Params last{member_id};
  for (const Row& row : *rows) {
    messaging::Conversation c;
    c.agentid = row.GetInt64(0);
    c.chatid = row.GetString(1);
    c.messages = row.GetInt64(2);
    c.unread = row.GetInt64(3);
    c.last.seq = row.GetInt64(4);
    c.chat_name = row.GetOptionalString(5).value_or("");
    last.emplace_back(c.last.seq);
    out.push_back(std::move(c));
  }
  if (out.empty()) return out;
  auto newest = Events("i.member_id = ? AND i.seq IN (" + Placeholders(out.size()) + ")", last);
  if (!newest) return std::move(newest).error();
  for (auto& c : out) {
    for (auto& e : *newest) {
      if (e.seq == c.last.seq) c.last = std::move(e);
    }
  }
  // Newest conversation first.
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.last.seq > b.last.seq; });
  return out;
}

core::Result<std::vector<InboxEvent>> MessageSql::Page(std::int64_t member_id, std::int64_t agentid,
                                                       std::string_view chatid,
                                                       std::int64_t before_seq,
                                                       std::int64_t limit) {
  return Events(
      "i.member_id = ? AND i.kind = 1 AND i.agentid = ? AND m.chatid = ? AND i.seq < ? "
      "ORDER BY i.seq DESC LIMIT ?",
      {member_id, agentid, std::string(chatid), before_seq, limit});
}

core::Result<std::optional<std::pair<std::int64_t, std::string>>> MessageSql::MarkRead(
    std::int64_t member_id, std::int64_t agentid, std::string_view chatid, std::int64_t up_to_seq,
    core::TimePoint at) {
  using Marked = std::optional<std::pair<std::int64_t, std::string>>;
  auto rows = sql_.Query(
      "UPDATE inbox SET read_at = ? WHERE member_id = ? AND agentid = ? AND kind = 1 AND "
      "seq <= ? AND read_at IS NULL AND EXISTS (SELECT 1 FROM messages m WHERE "
      "m.id = inbox.message_id AND m.chatid = ?) RETURNING seq, message_id",
      {core::UnixSeconds(at), member_id, agentid, up_to_seq, std::string(chatid)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return Marked();
  const Row* newest = &rows->front();
  for (const Row& row : *rows) {
    if (row.GetInt64(0) > newest->GetInt64(0)) newest = &row;
  }
  const std::int64_t message_id = newest->GetInt64(1);
  auto msgid = sql_.Query("SELECT msgid FROM messages WHERE id = ?", {message_id});
  if (!msgid) return std::move(msgid).error();
  return Marked(std::pair{message_id, msgid->at(0).GetString(0)});
}

core::Result<std::vector<InboxEvent>> MessageSql::After(std::int64_t member_id,
                                                        std::int64_t after_seq,
                                                        std::int64_t limit) {
  return Events("i.member_id = ? AND i.seq > ? ORDER BY i.seq LIMIT ?",
                {member_id, after_seq, limit});
}

core::Result<bool> MessageSql::MediaVisible(std::int64_t member_id, std::string_view media_id) {
  auto rows = sql_.Query(
      "SELECT 1 FROM message_media mm JOIN inbox i ON i.message_id = mm.message_id "
      "JOIN messages m ON m.id = mm.message_id "
      "WHERE mm.media_id = ? AND i.member_id = ? AND i.kind = 1 AND m.recalled_at IS NULL "
      "LIMIT 1",
      {std::string(media_id), member_id});
  if (!rows) return std::move(rows).error();
  return !rows->empty();
}

}  // namespace corphub::storage
