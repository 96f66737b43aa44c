#include "storage/probe_sql.hpp"

#include <algorithm>

namespace corphub::storage {

core::Status ProbeSql::Insert(std::string_view key, std::string_view value) {
  // created_at is the database's default (its clock): probe rows are test plumbing.
  CORPHUB_TRY(sql_.Exec("INSERT INTO probe_rows (key, value) VALUES (?, ?)",
                        {std::string(key), std::string(value)}));
  return core::Ok();
}

core::Result<std::vector<std::string>> ProbeSql::Keys() {
  auto rows = sql_.Query("SELECT key FROM probe_rows");
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::string> keys;
  keys.reserve(rows->size());
  for (const Row& row : *rows) keys.push_back(row.GetString(0));
  std::sort(keys.begin(), keys.end());
  return keys;
}

core::Result<std::int64_t> ProbeSql::Count() {
  auto rows = sql_.Query("SELECT COUNT(*) FROM probe_rows");
  if (!rows.ok()) return std::move(rows).error();
  return rows->at(0).GetInt64(0);
}

}  // namespace corphub::storage
