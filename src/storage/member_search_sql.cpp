// The admin console's member search over Sql (MemberSql::Search, DepartmentPairs, KeySearch)
// and the search keys every member row carries.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "pinyin/pinyin.hpp"
#include "storage/member_search_keys.hpp"
#include "storage/member_sql.hpp"

namespace corphub::storage {

using directory::Member;

SearchKeys SearchKeysOf(const Member& m) {
  const pinyin::Keys names = pinyin::KeysOf(m.name);
  SearchKeys k;
  k.pinyin = names.full;
  for (const std::string& s : {directory::UseridKey(m.userid), names.full, names.initials,
                               directory::EmailKey(m.email), directory::UseridKey(m.external_id)}) {
    if (s.empty()) continue;
    k.prefix += kKeySeparator;
    k.prefix += s;
  }
  for (const std::string& s : {directory::UseridKey(m.name), directory::UseridKey(m.alias),
                               directory::MobileKey(m.mobile)}) {
    if (s.empty()) continue;
    k.any += kKeySeparator;
    k.any += s;
  }
  return k;
}

namespace {

// A LIKE pattern that matches `text` literally (with ESCAPE '!').
std::string LikeLiteral(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out;
}

}  // namespace

core::Result<directory::MemberSearchPage> MemberSql::Search(std::int64_t org_id,
                                                            const directory::MemberQuery& q) {
  std::string with;
  std::string where = "m.org_id = ?";
  Params params;
  if (q.department_id && q.recursive) {
    with =
        "WITH RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT d.id FROM "
        "departments d JOIN sub ON d.parent_id = sub.id WHERE d.org_id = ?) ";
    params.emplace_back(*q.department_id);
    params.emplace_back(org_id);
  }
  params.emplace_back(org_id);
  if (!q.text.empty()) {
    // The separator cannot be typed; dropping it keeps a query inside one field.
    std::string text = q.text;
    std::erase(text, kKeySeparator);
    const std::string lit = LikeLiteral(text);
    // A table scan beats walking an org_id index for this (one organisation is most rows).
    where =
        "+m.org_id = ? AND (m.search_prefix LIKE ? ESCAPE '!' OR m.search_any LIKE ? ESCAPE '!')";
    params.emplace_back(std::string("%") + kKeySeparator + lit + "%");
    params.emplace_back("%" + lit + "%");
  }
  if (q.department_id) {
    // As an IN over member_departments' department index, not a subquery per member.
    where += q.recursive ? " AND m.id IN (SELECT md.member_id FROM member_departments md WHERE "
                           "md.org_id = ? AND md.department_id IN (SELECT id FROM sub))"
                         : " AND m.id IN (SELECT md.member_id FROM member_departments md WHERE "
                           "md.org_id = ? AND md.department_id = ?)";
    params.emplace_back(org_id);
    if (!q.recursive) params.emplace_back(*q.department_id);
  }
  if (q.tag_id) {
    where +=
        " AND m.id IN (SELECT tm.member_id FROM tag_members tm WHERE tm.org_id = ? AND "
        "tm.tag_id = ?)";
    params.emplace_back(org_id);
    params.emplace_back(*q.tag_id);
  }
  if (q.within) {
    const auto& [departments, tags] = *q.within;
    std::string any;
    if (!departments.empty()) {
      params.emplace_back(org_id);
      any += "m.id IN (SELECT md.member_id FROM member_departments md WHERE md.org_id = ? AND " +
             InIds(sql_, "md.department_id", departments, 0, departments.size(), params) + ")";
    }
    if (!tags.empty()) {
      params.emplace_back(org_id);
      if (!any.empty()) any += " OR ";
      any += "m.id IN (SELECT tm.member_id FROM tag_members tm WHERE tm.org_id = ? AND " +
             InIds(sql_, "tm.tag_id", tags, 0, tags.size(), params) + ")";
    }
    where += any.empty() ? " AND 1 = 0" : " AND (" + any + ")";
  }
  if (q.status) {
    switch (*q.status) {
      case directory::MemberStatus::kActive:
        where += " AND m.state = 1 AND m.enable = 1";
        break;
      case directory::MemberStatus::kDisabled:
        where += " AND m.state <> 5 AND m.enable = 0";
        break;
      case directory::MemberStatus::kNotActivated:
        where += " AND m.state = 4 AND m.enable = 1";
        break;
      case directory::MemberStatus::kLeft:
        where += " AND m.state = 5";
        break;
    }
  }
  directory::MemberSearchPage page;
  auto count = sql_.Query(with + "SELECT COUNT(*) FROM members m WHERE " + where, params);
  if (!count.ok()) return std::move(count).error();
  page.total = count->at(0).GetInt64(0);
  if (page.total == 0 || q.limit <= 0 || q.offset >= page.total) return page;

  params.emplace_back(q.limit);
  params.emplace_back(q.offset);
  auto ids = sql_.Query(with + "SELECT m.id FROM members m WHERE " + where +
                            " ORDER BY m.name_pinyin, m.userid_key LIMIT ? OFFSET ?",
                        params);
  if (!ids.ok()) return std::move(ids).error();
  if (ids->empty()) return page;
  Params by_id{org_id};
  std::unordered_map<std::int64_t, std::size_t> rank;
  for (const Row& row : *ids) {
    rank.emplace(row.GetInt64(0), rank.size());
    by_id.emplace_back(row.GetInt64(0));
  }
  auto members = Select("m.org_id = ? AND m.id IN (" + Placeholders(ids->size()) + ")", by_id);
  if (!members.ok()) return std::move(members).error();
  page.members = std::move(*members);
  std::sort(page.members.begin(), page.members.end(),
            [&](const Member& a, const Member& b) { return rank.at(a.id) < rank.at(b.id); });
  return page;
}

core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MemberSql::DepartmentPairs(
    std::int64_t org_id) {
  auto rows = sql_.Query("SELECT member_id, department_id FROM member_departments WHERE org_id = ?",
                         {org_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.emplace_back(row.GetInt64(0), row.GetInt64(1));
  return out;
}

core::Result<std::int64_t> MemberSql::KeySearch(std::int64_t limit) {
  auto ids = sql_.Query("SELECT id FROM members WHERE search_keyed = ? LIMIT ?",
                        {BoolValue(false), limit});
  if (!ids.ok()) return std::move(ids).error();
  if (ids->empty()) return std::int64_t{0};
  Params by_id;
  for (const Row& row : *ids) by_id.emplace_back(row.GetInt64(0));
  auto members = Select("m.id IN (" + Placeholders(by_id.size()) + ")", by_id);
  if (!members.ok()) return std::move(members).error();
  for (const Member& m : *members) {
    const SearchKeys keys = SearchKeysOf(m);
    auto done = sql_.Exec(
        "UPDATE members SET name_pinyin = ?, search_prefix = ?, search_any = ?, search_keyed = ? "
        "WHERE id = ?",
        {keys.pinyin, keys.prefix, keys.any, BoolValue(true), m.id});
    if (!done.ok()) return std::move(done).error();
  }
  // A member the join missed (one without departments should not exist) is marked all the
  // same, so the caller's loop ends.
  if (members->size() != ids->size()) {
    auto done = sql_.Exec(
        "UPDATE members SET search_keyed = ? WHERE id IN (" + Placeholders(by_id.size()) + ")",
        [&] {
          Params p{BoolValue(true)};
          p.insert(p.end(), by_id.begin(), by_id.end());
          return p;
        }());
    if (!done.ok()) return std::move(done).error();
  }
  return static_cast<std::int64_t>(ids->size());
}

}  // namespace corphub::storage
