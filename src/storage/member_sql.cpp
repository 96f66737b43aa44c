#include "storage/member_sql.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "storage/member_search_keys.hpp"

namespace corphub::storage {
namespace {

using directory::Member;
using directory::MemberDepartment;
using directory::MemberKey;

// Member columns (alias m), then one department per row (alias d), in the member's order.
constexpr std::string_view kSelect =
    "SELECT m.id, m.org_id, m.userid, m.name, m.alias, m.mobile, m.email, m.biz_mail, "
    "m.position, m.gender, m.avatar, m.telephone, m.address, m.main_department, "
    "m.direct_leaders, m.external_position, m.extattr, m.external_profile, m.enable, m.state, "
    "m.external_id, m.openid, m.created_at, m.updated_at, d.department_id, d.sort_order, "
    "d.is_leader FROM members m JOIN member_departments d ON d.member_id = m.id WHERE ";
constexpr std::string_view kOrder = " ORDER BY m.id, d.position";

// Lists wider than this are filtered in memory rather than bound one parameter each.
constexpr std::size_t kMaxInList = 500;

std::string JoinLeaders(const std::vector<std::string>& leaders) {
  std::string out;
  for (const auto& l : leaders) {
    if (!out.empty()) out += '|';
    out += l;
  }
  return out;
}

std::vector<std::string> SplitLeaders(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t bar = joined.find('|', start);
    if (bar == std::string::npos) bar = joined.size();
    if (bar > start) out.push_back(joined.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

Member MemberFrom(const Row& row) {
  Member m;
  m.id = row.GetInt64(0);
  m.org_id = row.GetInt64(1);
  m.userid = row.GetString(2);
  m.name = row.GetString(3);
  m.alias = row.GetString(4);
  m.mobile = row.GetString(5);
  m.email = row.GetString(6);
  m.biz_mail = row.GetString(7);
  m.position = row.GetString(8);
  m.gender = static_cast<int>(row.GetInt64(9));
  m.avatar = row.GetString(10);
  m.telephone = row.GetString(11);
  m.address = row.GetString(12);
  m.main_department = row.GetInt64(13);
  m.direct_leaders = SplitLeaders(row.GetString(14));
  m.external_position = row.GetString(15);
  m.extattr_json = row.GetString(16);
  m.external_profile_json = row.GetString(17);
  m.enable = row.GetBool(18);
  m.state = static_cast<directory::MemberState>(row.GetInt64(19));
  m.external_id = row.GetString(20);
  m.openid = row.GetString(21);
  m.created_at = core::FromUnixSeconds(row.GetInt64(22));
  m.updated_at = core::FromUnixSeconds(row.GetInt64(23));
  return m;
}

MemberDepartment DepartmentFrom(const Row& row) {
  return MemberDepartment{row.GetInt64(24), row.GetInt64(25), row.GetBool(26)};
}

std::vector<Member> Group(const std::vector<Row>& rows) {
  std::vector<Member> out;
  for (const Row& row : rows) {
    const std::int64_t id = row.GetInt64(0);
    if (out.empty() || out.back().id != id) out.push_back(MemberFrom(row));
    out.back().departments.push_back(DepartmentFrom(row));
  }
  return out;
}

// Built one by one: a braced list of this many variants trips GCC 12's maybe-uninitialized.
Params Fields(const Member& m) {
  Params p;
  p.reserve(31);
  auto text = [&](const std::string& s) { p.emplace_back(std::in_place_type<std::string>, s); };
  auto number = [&](std::int64_t n) { p.emplace_back(std::in_place_type<std::int64_t>, n); };
  text(m.userid);
  text(directory::UseridKey(m.userid));
  text(m.name);
  // The console's search keys (migration 0007).
  const SearchKeys keys = SearchKeysOf(m);
  text(keys.pinyin);
  text(keys.prefix);
  text(keys.any);
  number(1);
  text(m.alias);
  text(m.mobile);
  text(directory::MobileKey(m.mobile));
  text(m.email);
  text(directory::EmailKey(m.email));
  text(m.biz_mail);
  text(directory::EmailKey(m.biz_mail));
  text(m.position);
  number(m.gender);
  text(m.avatar);
  text(m.telephone);
  text(m.address);
  number(m.main_department);
  text(JoinLeaders(m.direct_leaders));
  text(m.external_position);
  text(m.extattr_json);
  text(m.external_profile_json);
  number(m.enable ? 1 : 0);
  number(static_cast<std::int64_t>(m.state));
  text(m.external_id);
  text(m.openid);
  number(core::UnixSeconds(m.updated_at));
  return p;
}

std::string Describe(const Member& m) {
  return "member " + m.userid + " of organisation " + std::to_string(m.org_id);
}

}  // namespace

core::Status MemberSql::WriteDepartments(const Member& m, bool fresh) {
  if (!fresh) {
    auto cleared = sql_.Exec("DELETE FROM member_departments WHERE member_id = ?", {m.id});
    if (!cleared.ok()) return std::move(cleared).error();
  }
  for (std::size_t i = 0; i < m.departments.size(); ++i) {
    const MemberDepartment& d = m.departments[i];
    auto inserted = sql_.Exec(
        "INSERT INTO member_departments (member_id, org_id, department_id, position, sort_order, "
        "is_leader) VALUES (?, ?, ?, ?, ?, ?)",
        {m.id, m.org_id, d.department_id, static_cast<std::int64_t>(i), d.order,
         BoolValue(d.leader)});
    if (!inserted.ok()) return std::move(inserted).error();
  }
  return core::Ok();
}

core::Status MemberSql::Insert(Member& m) {
  Params params = Fields(m);
  params.push_back(m.org_id);
  params.push_back(core::UnixSeconds(m.created_at));
  // ON CONFLICT DO NOTHING covers every unique index: a taken key is an answer, not an abort.
  auto rows = sql_.Query(
      "INSERT INTO members (userid, userid_key, name, name_pinyin, search_prefix, search_any, "
      "search_keyed, "
      "alias, mobile, mobile_key, email, "
      "email_key, biz_mail, biz_mail_key, position, gender, avatar, telephone, address, "
      "main_department, direct_leaders, external_position, extattr, external_profile, enable, "
      "state, external_id, openid, updated_at, org_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO "
      "NOTHING "
      "RETURNING id",
      params);
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) {
    return core::MakeError(core::ErrorKind::kAlreadyExists,
                           Describe(m) + ": a unique field is taken");
  }
  m.id = rows->front().GetInt64(0);
  return WriteDepartments(m, true);
}

core::Status MemberSql::Update(const Member& m) {
  Params params = Fields(m);
  params.push_back(m.id);
  params.push_back(m.org_id);
  auto changed = sql_.Exec(
      "UPDATE members SET userid = ?, userid_key = ?, name = ?, name_pinyin = ?, "
      "search_prefix = ?, search_any = ?, search_keyed = ?, alias = ?, mobile = ?, "
      "mobile_key = ?, email = ?, email_key = ?, biz_mail = ?, biz_mail_key = ?, position = ?, "
      "gender = ?, avatar = ?, telephone = ?, address = ?, main_department = ?, "
      "direct_leaders = ?, external_position = ?, extattr = ?, external_profile = ?, enable = ?, "
      "state = ?, external_id = ?, openid = ?, updated_at = ? WHERE id = ? AND org_id = ?",
      params);
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) {
    return core::MakeError(core::ErrorKind::kNotFound, Describe(m) + " not found");
  }
  return WriteDepartments(m, false);
}

core::Status MemberSql::Delete(std::int64_t org_id, std::int64_t member_id) {
  // The inbox has no foreign keys (migration 0011): its rows go here, with the member.
  for (std::string_view sql : {"DELETE FROM tag_members WHERE member_id = ?",
                               "DELETE FROM member_departments WHERE member_id = ?",
                               "DELETE FROM inbox WHERE member_id = ?"}) {
    auto done = sql_.Exec(sql, {member_id});
    if (!done.ok()) return std::move(done).error();
  }
  auto deleted = sql_.Exec("DELETE FROM members WHERE id = ? AND org_id = ?", {member_id, org_id});
  if (!deleted.ok()) return std::move(deleted).error();
  if (*deleted == 0) {
    return core::MakeError(core::ErrorKind::kNotFound,
                           "member " + std::to_string(member_id) + " not found");
  }
  return core::Ok();
}

core::Result<std::vector<Member>> MemberSql::Select(std::string_view where, const Params& params) {
  auto rows = sql_.Query(std::string(kSelect) + std::string(where) + std::string(kOrder), params);
  if (!rows.ok()) return std::move(rows).error();
  return Group(*rows);
}

namespace {

// The column a key is compared in, and the value in its compared form.
std::pair<std::string, std::string> KeyColumn(MemberKey key, std::string_view value) {
  switch (key) {
    case MemberKey::kUserid:
      return {"userid_key", directory::UseridKey(value)};
    case MemberKey::kMobile:
      return {"mobile_key", directory::MobileKey(value)};
    case MemberKey::kEmail:
      return {"email_key", directory::EmailKey(value)};
    case MemberKey::kBizMail:
      return {"biz_mail_key", directory::EmailKey(value)};
    case MemberKey::kExternalId:
      return {"external_id", std::string(value)};
    case MemberKey::kOpenid:
      break;
  }
  return {"openid", std::string(value)};
}

// "<> ''" lets SQLite use the partial unique indexes (it cannot know a parameter is not '').
std::string NotEmpty(const std::string& column) {
  return column == "userid_key" || column == "openid" ? "" : " AND m." + column + " <> ''";
}

}  // namespace

core::Result<std::optional<Member>> MemberSql::FindBy(std::int64_t org_id, MemberKey key,
                                                      std::string_view value) {
  auto [column, compared] = KeyColumn(key, value);
  if (compared.empty()) return std::optional<Member>();  // empty keys are "not set"
  auto found =
      Select("m.org_id = ? AND m." + column + " = ?" + NotEmpty(column), {org_id, compared});
  if (!found.ok()) return std::move(found).error();
  if (found->empty()) return std::optional<Member>();
  return std::optional<Member>(std::move(found->front()));
}

core::Result<std::vector<Member>> MemberSql::FindManyBy(std::int64_t org_id, MemberKey key,
                                                        const std::vector<std::string>& values) {
  std::vector<std::string> keys;
  std::string column;
  for (const auto& v : values) {
    auto [c, compared] = KeyColumn(key, v);
    column = c;
    if (!compared.empty()) keys.push_back(std::move(compared));
  }
  if (column.empty()) column = KeyColumn(key, "").first;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<Member> out;
  for (std::size_t from = 0; from < keys.size(); from += kMaxInList) {
    const std::size_t n = std::min(kMaxInList, keys.size() - from);
    Params params{org_id};
    for (std::size_t i = 0; i < n; ++i) params.push_back(keys[from + i]);
    auto found =
        Select("m.org_id = ? AND m." + column + " IN (" + Placeholders(n) + ")" + NotEmpty(column),
               params);
    if (!found.ok()) return std::move(found).error();
    for (Member& m : *found) out.push_back(std::move(m));
  }
  return out;
}

core::Status MemberSql::InsertMany(std::vector<Member>& members) {
  // Rows per statement: 31 parameters each, well inside both backends' limits.
  constexpr std::size_t kRows = 400;
  static constexpr std::string_view kInsert =
      "INSERT INTO members (userid, userid_key, name, name_pinyin, search_prefix, search_any, "
      "search_keyed, "
      "alias, mobile, mobile_key, email, "
      "email_key, biz_mail, biz_mail_key, position, gender, avatar, telephone, address, "
      "main_department, direct_leaders, external_position, extattr, external_profile, enable, "
      "state, external_id, openid, updated_at, org_id, created_at) VALUES ";
  static const std::string kRow =
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)";
  for (std::size_t from = 0; from < members.size(); from += kRows) {
    const std::size_t n = std::min(kRows, members.size() - from);
    std::string sql(kInsert);
    Params params;
    params.reserve(n * 31);
    for (std::size_t i = 0; i < n; ++i) {
      const Member& m = members[from + i];
      if (i) sql += ", ";
      sql += kRow;
      for (Value& v : Fields(m)) params.push_back(std::move(v));
      params.emplace_back(std::in_place_type<std::int64_t>, m.org_id);
      params.emplace_back(std::in_place_type<std::int64_t>, core::UnixSeconds(m.created_at));
    }
    // No ON CONFLICT: the caller checked every key under the directory lock, so a conflict
    // here is a bug, and aborting the transaction is the right answer to it.
    sql += " RETURNING id, userid_key";
    auto rows = sql_.Query(sql, params);
    if (!rows.ok()) return std::move(rows).error();
    // RETURNING's order is not promised for several rows: match ids by userid.
    std::unordered_map<std::string, std::int64_t> ids;
    for (const Row& row : *rows) ids.emplace(row.GetString(1), row.GetInt64(0));
    for (std::size_t i = 0; i < n; ++i) {
      Member& m = members[from + i];
      auto it = ids.find(directory::UseridKey(m.userid));
      if (it == ids.end()) {
        return core::MakeError(core::ErrorKind::kInternal, Describe(m) + " was not inserted");
      }
      m.id = it->second;
    }
  }
  // Their departments, many rows per statement.
  std::vector<std::pair<const Member*, std::size_t>> pairs;
  for (const Member& m : members) {
    for (std::size_t i = 0; i < m.departments.size(); ++i) pairs.emplace_back(&m, i);
  }
  return InsertRows(
      sql_,
      "INSERT INTO member_departments (member_id, org_id, department_id, position, "
      "sort_order, is_leader) VALUES ",
      6, pairs.size(), 1000, [&](std::size_t i, Params& p) {
        const auto& [m, k] = pairs[i];
        const MemberDepartment& d = m->departments[k];
        for (std::int64_t v : {m->id, m->org_id, d.department_id, static_cast<std::int64_t>(k),
                               d.order, std::int64_t{d.leader ? 1 : 0}}) {
          p.emplace_back(std::in_place_type<std::int64_t>, v);
        }
      });
}

core::Result<std::vector<Member>> MemberSql::InDepartments(
    std::int64_t org_id, const std::vector<std::int64_t>& department_ids) {
  if (department_ids.empty()) return std::vector<Member>();
  if (department_ids.size() > kMaxInList) {
    // A wide subtree: read the organisation and keep the members of those departments.
    auto all = Select("m.org_id = ?", {org_id});
    if (!all.ok()) return std::move(all).error();
    const std::unordered_set<std::int64_t> wanted(department_ids.begin(), department_ids.end());
    std::vector<Member> out;
    for (Member& m : *all) {
      for (const auto& d : m.departments) {
        if (wanted.count(d.department_id)) {
          out.push_back(std::move(m));
          break;
        }
      }
    }
    return out;
  }
  Params params{org_id};
  for (std::int64_t id : department_ids) params.push_back(id);
  return Select(
      "m.id IN (SELECT member_id FROM member_departments WHERE org_id = ? AND department_id IN (" +
          Placeholders(department_ids.size()) + "))",
      params);
}

core::Result<std::vector<Member>> MemberSql::LedBy(std::int64_t org_id, std::string_view userid) {
  // LIKE's '_' matches any character, so this may find more: the caller checks each one.
  return Select("m.org_id = ? AND lower(m.direct_leaders) LIKE ?",
                {org_id, "%" + directory::UseridKey(userid) + "%"});
}

core::Result<std::int64_t> MemberSql::Count(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT COUNT(*) FROM members WHERE org_id = ?", {org_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Result<std::int64_t> MemberSql::CountInDepartment(std::int64_t org_id,
                                                        std::int64_t department_id) {
  auto rows =
      sql_.Query("SELECT COUNT(*) FROM member_departments WHERE org_id = ? AND department_id = ?",
                 {org_id, department_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

core::Result<std::vector<directory::DepartmentLeader>> MemberSql::Leaders(std::int64_t org_id) {
  auto rows = sql_.Query(
      "SELECT d.department_id, m.userid FROM member_departments d JOIN members m ON m.id = "
      "d.member_id WHERE d.org_id = ? AND d.is_leader = 1 ORDER BY d.department_id, m.id",
      {org_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<directory::DepartmentLeader> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back({row.GetInt64(0), row.GetString(1)});
  return out;
}

core::Result<std::vector<directory::MemberDepartmentRef>> MemberSql::DepartmentPage(
    std::int64_t org_id, std::int64_t after_member, std::int64_t after_position,
    std::int64_t limit) {
  auto rows = sql_.Query(
      "SELECT d.member_id, d.position, m.userid, d.department_id FROM member_departments d "
      "JOIN members m ON m.id = d.member_id WHERE d.org_id = ? AND (d.member_id > ? OR "
      "(d.member_id = ? AND d.position > ?)) ORDER BY d.member_id, d.position LIMIT ?",
      {org_id, after_member, after_member, after_position, limit});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<directory::MemberDepartmentRef> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    out.push_back({row.GetInt64(0), row.GetInt64(1), row.GetString(2), row.GetInt64(3)});
  }
  return out;
}

core::Result<std::vector<directory::Member>> MemberSql::FindByIds(
    std::int64_t org_id, const std::vector<std::int64_t>& ids) {
  std::vector<directory::Member> out;
  CORPHUB_TRY(ForIdChunks(sql_, "m.id", ids, {org_id},
                          [&](const std::string& condition, Params& params) -> core::Status {
                            auto found = Select("m.org_id = ? AND " + condition, params);
                            if (!found) return std::move(found).error();
                            for (auto& m : *found) out.push_back(std::move(m));
                            return core::Ok();
                          }));
  return out;
}

}  // namespace corphub::storage
