#include "storage/recipient_sql.hpp"

#include <algorithm>
#include <string>
#include <type_traits>

namespace corphub::storage {
namespace {

using messaging::Recipient;

constexpr std::string_view kRecipientColumns = "m.id, m.userid_key, m.enable, m.state";

Recipient RecipientOf(const Row& row) {
  Recipient r;
  r.member_id = row.GetInt64(0);
  r.userid_key = row.GetString(1);
  r.enable = row.GetBool(2);
  r.state = static_cast<int>(row.GetInt64(3));
  return r;
}

// Members by an IN list, a chunk per statement. Lists of many members leave the userid out
// (`with_userid` false): only a lookup by userid needs it. A member may come more than once
// (several of its departments in the list): resolution counts each once.
template <class T>
core::Result<std::vector<Recipient>> RecipientsWhere(Sql& sql, std::string_view from_where,
                                                     std::string_view column, std::int64_t org_id,
                                                     const std::vector<T>& keys,
                                                     bool with_userid = true) {
  const std::string_view columns =
      with_userid ? kRecipientColumns : std::string_view("m.id, '', m.enable, m.state");
  std::vector<Recipient> out;
  const std::size_t chunk = IdsPerStatement(sql);
  for (std::size_t from = 0; from < keys.size(); from += chunk) {
    const std::size_t to = std::min(keys.size(), from + chunk);
    Params p{org_id};
    std::string in;
    if constexpr (std::is_same_v<T, std::string>) {
      in = InTexts(sql, column, keys, from, to, p);
    } else {
      in = InIds(sql, column, keys, from, to, p);
    }
    auto rows =
        sql.Query("SELECT " + std::string(columns) + " " + std::string(from_where) + " " + in, p);
    if (!rows) return std::move(rows).error();
    for (const Row& row : *rows) out.push_back(RecipientOf(row));
  }
  return out;
}

}  // namespace

core::Result<std::vector<Recipient>> RecipientSql::ByUserids(
    std::int64_t org_id, const std::vector<std::string>& userid_keys) {
  return RecipientsWhere(sql_, "FROM members m WHERE m.org_id = ? AND", "m.userid_key", org_id,
                         userid_keys);
}

core::Result<std::vector<Recipient>> RecipientSql::ByIds(std::int64_t org_id,
                                                         const std::vector<std::int64_t>& ids) {
  return RecipientsWhere(sql_, "FROM members m WHERE m.org_id = ? AND", "m.id", org_id, ids);
}

core::Result<std::vector<Recipient>> RecipientSql::InDepartments(
    std::int64_t org_id, const std::vector<std::int64_t>& department_ids) {
  return RecipientsWhere(sql_,
                         "FROM member_departments d JOIN members m ON m.id = d.member_id "
                         "WHERE d.org_id = ? AND",
                         "d.department_id", org_id, department_ids, false);
}

core::Result<std::vector<Recipient>> RecipientSql::Tagged(
    std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) {
  return RecipientsWhere(sql_,
                         "FROM tag_members t JOIN members m ON m.id = t.member_id "
                         "WHERE t.org_id = ? AND",
                         "t.tag_id", org_id, tag_ids, false);
}

core::Result<std::vector<std::int64_t>> RecipientSql::TagDepartments(
    std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) {
  return SelectForIds(sql_,
                      "SELECT DISTINCT department_id FROM tag_departments WHERE org_id = ? AND",
                      "tag_id", {org_id}, tag_ids);
}

core::Result<std::vector<Recipient>> RecipientSql::Everyone(std::int64_t org_id) {
  auto rows =
      sql_.Query("SELECT m.id, '', m.enable, m.state FROM members m WHERE m.org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  std::vector<Recipient> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(RecipientOf(row));
  return out;
}

core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> RecipientSql::DepartmentTree(
    std::int64_t org_id) {
  auto rows = sql_.Query("SELECT id, parent_id FROM departments WHERE org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.emplace_back(row.GetInt64(0), row.GetInt64(1));
  return out;
}

core::Result<std::vector<std::int64_t>> RecipientSql::ExistingTags(
    std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) {
  return SelectForIds(sql_, "SELECT id FROM tags WHERE org_id = ? AND", "id", {org_id}, tag_ids);
}

}  // namespace corphub::storage
