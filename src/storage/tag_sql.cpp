#include "storage/tag_sql.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace corphub::storage {
namespace {

using directory::Tag;

std::string Describe(std::int64_t org_id, std::int64_t id) {
  return "tag " + std::to_string(id) + " of organisation " + std::to_string(org_id);
}

}  // namespace

core::Status TagSql::Insert(const Tag& t) {
  auto inserted = sql_.Exec(
      "INSERT INTO tags (org_id, id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      {t.org_id, t.id, t.name, core::UnixSeconds(t.created_at), core::UnixSeconds(t.updated_at)});
  if (!inserted.ok()) return std::move(inserted).error();
  if (*inserted == 0) {
    return core::MakeError(core::ErrorKind::kAlreadyExists,
                           Describe(t.org_id, t.id) + ": the id or the name is taken");
  }
  return core::Ok();
}

core::Status TagSql::Update(const Tag& t) {
  auto changed = sql_.Exec("UPDATE tags SET name = ?, updated_at = ? WHERE org_id = ? AND id = ?",
                           {t.name, core::UnixSeconds(t.updated_at), t.org_id, t.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) {
    return core::MakeError(core::ErrorKind::kNotFound, Describe(t.org_id, t.id) + " not found");
  }
  return core::Ok();
}

core::Status TagSql::Delete(std::int64_t org_id, std::int64_t id) {
  for (std::string_view sql : {"DELETE FROM tag_members WHERE org_id = ? AND tag_id = ?",
                               "DELETE FROM tag_departments WHERE org_id = ? AND tag_id = ?"}) {
    auto done = sql_.Exec(sql, {org_id, id});
    if (!done.ok()) return std::move(done).error();
  }
  auto deleted = sql_.Exec("DELETE FROM tags WHERE org_id = ? AND id = ?", {org_id, id});
  if (!deleted.ok()) return std::move(deleted).error();
  if (*deleted == 0) {
    return core::MakeError(core::ErrorKind::kNotFound, Describe(org_id, id) + " not found");
  }
  return core::Ok();
}

core::Result<std::vector<Tag>> TagSql::Select(std::string_view where, const Params& params) {
  auto rows = sql_.Query("SELECT org_id, id, name, created_at, updated_at FROM tags WHERE " +
                             std::string(where) + " ORDER BY id",
                         params);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Tag> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    out.push_back(Tag{row.GetInt64(0), row.GetInt64(1), row.GetString(2),
                      core::FromUnixSeconds(row.GetInt64(3)),
                      core::FromUnixSeconds(row.GetInt64(4))});
  }
  return out;
}

core::Result<std::optional<Tag>> TagSql::Find(std::int64_t org_id, std::int64_t id) {
  auto found = Select("org_id = ? AND id = ?", {org_id, id});
  if (!found.ok()) return std::move(found).error();
  if (found->empty()) return std::optional<Tag>();
  return std::optional<Tag>(std::move(found->front()));
}

core::Result<std::optional<Tag>> TagSql::FindByName(std::int64_t org_id, std::string_view name) {
  auto found = Select("org_id = ? AND name = ?", {org_id, std::string(name)});
  if (!found.ok()) return std::move(found).error();
  if (found->empty()) return std::optional<Tag>();
  return std::optional<Tag>(std::move(found->front()));
}

core::Result<std::vector<Tag>> TagSql::List(std::int64_t org_id) {
  return Select("org_id = ?", {org_id});
}

core::Result<std::vector<std::pair<std::int64_t, Tag>>> TagSql::OfMembers(
    std::int64_t org_id, const std::vector<std::int64_t>& member_ids) {
  std::vector<std::pair<std::int64_t, Tag>> out;
  constexpr std::size_t kPerQuery = 500;
  for (std::size_t from = 0; from < member_ids.size(); from += kPerQuery) {
    const std::size_t n = std::min(kPerQuery, member_ids.size() - from);
    std::string in;
    Params params{org_id};
    for (std::size_t i = 0; i < n; ++i) {
      in += i ? ", ?" : "?";
      params.emplace_back(member_ids[from + i]);
    }
    auto rows = sql_.Query(
        "SELECT tm.member_id, t.org_id, t.id, t.name, t.created_at, t.updated_at FROM "
        "tag_members tm JOIN tags t ON t.org_id = tm.org_id AND t.id = tm.tag_id WHERE "
        "tm.org_id = ? AND tm.member_id IN (" +
            in + ") ORDER BY tm.member_id, t.id",
        params);
    if (!rows.ok()) return std::move(rows).error();
    for (const Row& row : *rows) {
      out.emplace_back(row.GetInt64(0), Tag{row.GetInt64(1), row.GetInt64(2), row.GetString(3),
                                            core::FromUnixSeconds(row.GetInt64(4)),
                                            core::FromUnixSeconds(row.GetInt64(5))});
    }
  }
  return out;
}

core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> TagSql::MemberCounts(
    std::int64_t org_id) {
  auto rows = sql_.Query(
      "SELECT tag_id, COUNT(*) FROM tag_members WHERE org_id = ? GROUP BY tag_id ORDER BY tag_id",
      {org_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const Row& row : *rows) out.emplace_back(row.GetInt64(0), row.GetInt64(1));
  return out;
}

core::Result<std::int64_t> TagSql::MaxId(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT COALESCE(MAX(id), 0) FROM tags WHERE org_id = ?", {org_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Status TagSql::ForEach(std::string_view sql, std::int64_t org_id, std::int64_t tag_id,
                             const std::vector<std::int64_t>& ids) {
  for (std::int64_t id : ids) {
    auto done = sql_.Exec(sql, {org_id, tag_id, id});
    if (!done.ok()) return std::move(done).error();
  }
  return core::Ok();
}

core::Status TagSql::AddMembers(std::int64_t org_id, std::int64_t tag_id,
                                const std::vector<std::int64_t>& member_ids) {
  return ForEach(
      "INSERT INTO tag_members (org_id, tag_id, member_id) VALUES (?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      org_id, tag_id, member_ids);
}

core::Status TagSql::RemoveMembers(std::int64_t org_id, std::int64_t tag_id,
                                   const std::vector<std::int64_t>& member_ids) {
  return ForEach("DELETE FROM tag_members WHERE org_id = ? AND tag_id = ? AND member_id = ?",
                 org_id, tag_id, member_ids);
}

core::Status TagSql::AddDepartments(std::int64_t org_id, std::int64_t tag_id,
                                    const std::vector<std::int64_t>& department_ids) {
  return ForEach(
      "INSERT INTO tag_departments (org_id, tag_id, department_id) VALUES (?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      org_id, tag_id, department_ids);
}

core::Status TagSql::RemoveDepartments(std::int64_t org_id, std::int64_t tag_id,
                                       const std::vector<std::int64_t>& department_ids) {
  return ForEach(
      "DELETE FROM tag_departments WHERE org_id = ? AND tag_id = ? AND department_id = ?", org_id,
      tag_id, department_ids);
}

core::Result<std::vector<directory::TaggedMember>> TagSql::Members(std::int64_t org_id,
                                                                   std::int64_t tag_id) {
  auto rows = sql_.Query(
      "SELECT m.id, m.userid, m.name FROM tag_members t JOIN members m ON m.id = t.member_id "
      "WHERE t.org_id = ? AND t.tag_id = ? ORDER BY m.id",
      {org_id, tag_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<directory::TaggedMember> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back({row.GetInt64(0), row.GetString(1), row.GetString(2)});
  return out;
}

core::Result<std::vector<std::int64_t>> TagSql::Departments(std::int64_t org_id,
                                                            std::int64_t tag_id) {
  auto rows = sql_.Query(
      "SELECT department_id FROM tag_departments WHERE org_id = ? AND tag_id = ? "
      "ORDER BY department_id",
      {org_id, tag_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::int64_t> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(row.GetInt64(0));
  return out;
}

core::Status TagSql::ForgetDepartment(std::int64_t org_id, std::int64_t department_id) {
  auto done = sql_.Exec("DELETE FROM tag_departments WHERE org_id = ? AND department_id = ?",
                        {org_id, department_id});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status ContactEventSql::Append(const directory::ContactEvent& e) {
  auto done = sql_.Exec(
      "INSERT INTO contact_events (org_id, change_type, detail, created_at) VALUES (?, ?, ?, ?)",
      {e.org_id, e.change_type, e.detail_json, core::UnixSeconds(e.at)});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status ContactEventSql::AppendMany(const std::vector<directory::ContactEvent>& events) {
  return InsertRows(sql_,
                    "INSERT INTO contact_events (org_id, change_type, detail, created_at) VALUES ",
                    4, events.size(), 500, [&](std::size_t i, Params& p) {
                      const auto& e = events[i];
                      p.emplace_back(std::in_place_type<std::int64_t>, e.org_id);
                      p.emplace_back(std::in_place_type<std::string>, e.change_type);
                      p.emplace_back(std::in_place_type<std::string>, e.detail_json);
                      p.emplace_back(std::in_place_type<std::int64_t>, core::UnixSeconds(e.at));
                    });
}

core::Result<std::vector<directory::ContactEvent>> ContactEventSql::After(std::int64_t org_id,
                                                                          std::int64_t after_seq,
                                                                          std::int64_t limit) {
  auto rows = sql_.Query(
      "SELECT seq, change_type, detail, created_at FROM contact_events WHERE org_id = ? AND "
      "seq > ? ORDER BY seq LIMIT ?",
      {org_id, after_seq, limit});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<directory::ContactEvent> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    out.push_back({org_id, row.GetInt64(0), row.GetString(1), row.GetString(2),
                   core::FromUnixSeconds(row.GetInt64(3))});
  }
  return out;
}

core::Status AuditSql::Append(const core::AuditRecord& r) {
  auto done = sql_.Exec(
      "INSERT INTO audit_log (org_id, at, actor, address, action, target, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {r.org_id, core::UnixSeconds(r.at), r.actor, r.address, r.action, r.target, r.detail_json});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status AuditSql::AppendMany(const std::vector<core::AuditRecord>& records) {
  return InsertRows(
      sql_, "INSERT INTO audit_log (org_id, at, actor, address, action, target, detail) VALUES ", 7,
      records.size(), 500, [&](std::size_t i, Params& p) {
        const auto& r = records[i];
        p.emplace_back(std::in_place_type<std::int64_t>, r.org_id);
        p.emplace_back(std::in_place_type<std::int64_t>, core::UnixSeconds(r.at));
        for (const std::string* text :
             {&r.actor, &r.address, &r.action, &r.target, &r.detail_json}) {
          p.emplace_back(std::in_place_type<std::string>, *text);
        }
      });
}

core::Result<std::vector<core::AuditEntry>> AuditSql::List(const core::AuditQuery& q) {
  std::string sql =
      "SELECT id, at, actor, address, action, target, detail FROM audit_log WHERE org_id = ?";
  Params p{q.org_id};
  if (!q.actor.empty()) {
    sql += " AND actor = ?";
    p.emplace_back(q.actor);
  }
  if (!q.action.empty() && q.action.back() == '.') {
    // A prefix: compared as a range, so '_' and '%' in it mean themselves.
    sql += " AND action >= ? AND action < ?";
    p.emplace_back(q.action);
    p.emplace_back(q.action.substr(0, q.action.size() - 1) + "/");  // '/' follows '.'
  } else if (!q.action.empty()) {
    sql += " AND action = ?";
    p.emplace_back(q.action);
  }
  if (!q.target.empty()) {
    sql += " AND target = ?";
    p.emplace_back(q.target);
  }
  if (q.since > 0) {
    sql += " AND at >= ?";
    p.emplace_back(q.since);
  }
  if (q.until > 0) {
    sql += " AND at < ?";
    p.emplace_back(q.until);
  }
  if (q.before > 0) {
    sql += " AND id < ?";
    p.emplace_back(q.before);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.emplace_back(q.limit);
  auto rows = sql_.Query(sql, p);
  if (!rows) return std::move(rows).error();
  std::vector<core::AuditEntry> out;
  for (const auto& r : *rows) {
    out.push_back(core::AuditEntry{
        r.GetInt64(0),
        core::AuditRecord{q.org_id, core::FromUnixSeconds(r.GetInt64(1)), r.GetString(2),
                          r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)}});
  }
  return out;
}

}  // namespace corphub::storage
