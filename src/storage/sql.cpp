#include "storage/sql.hpp"

#include <algorithm>
#include <utility>

namespace corphub::storage {

core::Result<std::int64_t> Sql::Exec(std::string_view sql, const Params& params) {
  if (first_error_) return Aborted();
  auto r = DoExec(sql, params);
  if (!r.ok()) Remember(r.error());
  return r;
}

core::Result<std::vector<Row>> Sql::Query(std::string_view sql, const Params& params) {
  if (first_error_) return Aborted();
  auto r = DoQuery(sql, params);
  if (!r.ok()) Remember(r.error());
  return r;
}

core::Status Sql::ExecScript(std::string_view script) {
  if (first_error_) return Aborted();
  auto r = DoExecScript(script);
  if (!r.ok()) Remember(r.error());
  return r;
}

core::Error Sql::Aborted() const {
  return core::MakeError(first_error_->kind,
                         "transaction aborted by an earlier statement: " + first_error_->message);
}

std::string InIds(const Sql& sql, std::string_view column, const std::vector<std::int64_t>& ids,
                  std::size_t from, std::size_t to, Params& params) {
  if (sql.TakesArrays()) {
    std::string array = "{";
    for (std::size_t i = from; i < to; ++i) {
      if (i > from) array += ',';
      array += std::to_string(ids[i]);
    }
    array += '}';
    params.emplace_back(std::move(array));
    return std::string(column) + " = ANY(CAST(? AS BIGINT[]))";
  }
  for (std::size_t i = from; i < to; ++i) params.emplace_back(ids[i]);
  return std::string(column) + " IN (" + Placeholders(to - from) + ")";
}

std::size_t IdsPerStatement(const Sql& sql) { return sql.TakesArrays() ? 20000 : 500; }

core::Status ForIdChunks(const Sql& sql, std::string_view column,
                         const std::vector<std::int64_t>& ids, const Params& leading,
                         const std::function<core::Status(const std::string&, Params&)>& fn) {
  const std::size_t chunk = IdsPerStatement(sql);
  for (std::size_t from = 0; from < ids.size(); from += chunk) {
    const std::size_t to = std::min(ids.size(), from + chunk);
    Params params = leading;
    const std::string condition = InIds(sql, column, ids, from, to, params);
    CORPHUB_TRY(fn(condition, params));
  }
  return core::Ok();
}

core::Result<std::vector<std::int64_t>> SelectForIds(Sql& sql, std::string_view select,
                                                     std::string_view column, const Params& leading,
                                                     const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> out;
  auto status = ForIdChunks(sql, column, ids, leading,
                            [&](const std::string& condition, Params& params) -> core::Status {
                              auto rows = sql.Query(std::string(select) + " " + condition, params);
                              if (!rows) return std::move(rows).error();
                              for (const Row& row : *rows) out.push_back(row.GetInt64(0));
                              return core::Ok();
                            });
  if (!status) return std::move(status).error();
  return out;
}

std::string InTexts(const Sql& sql, std::string_view column, const std::vector<std::string>& values,
                    std::size_t from, std::size_t to, Params& params) {
  if (sql.TakesArrays()) {
    std::string array = "{";
    for (std::size_t i = from; i < to; ++i) {
      if (i > from) array += ',';
      array += '"';
      for (char c : values[i]) {
        if (c == '"' || c == '\\') array += '\\';
        array += c;
      }
      array += '"';
    }
    array += '}';
    params.emplace_back(std::move(array));
    return std::string(column) + " = ANY(CAST(? AS TEXT[]))";
  }
  for (std::size_t i = from; i < to; ++i) params.emplace_back(values[i]);
  return std::string(column) + " IN (" + Placeholders(to - from) + ")";
}

std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

core::Status InsertRows(Sql& sql, std::string_view head, std::size_t columns, std::size_t count,
                        std::size_t per_statement,
                        const std::function<void(std::size_t, Params&)>& fill) {
  std::string row = "(";
  for (std::size_t c = 0; c < columns; ++c) row += c ? ", ?" : "?";
  row += ")";
  for (std::size_t from = 0; from < count; from += per_statement) {
    const std::size_t n = std::min(per_statement, count - from);
    std::string text(head);
    Params params;
    params.reserve(n * columns);
    for (std::size_t i = 0; i < n; ++i) {
      if (i) text += ", ";
      text += row;
      fill(from + i, params);
    }
    auto done = sql.Exec(text, params);
    if (!done.ok()) return std::move(done).error();
  }
  return core::Ok();
}

std::string StatementHead(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  // Skip leading blanks and -- comment lines (migration files start with one).
  while (true) {
    std::size_t start = sql.find_first_not_of(" \t\r\n");
    sql = start == std::string_view::npos ? std::string_view{} : sql.substr(start);
    if (!sql.starts_with("--")) break;
    std::size_t nl = sql.find('\n');
    sql = nl == std::string_view::npos ? std::string_view{} : sql.substr(nl + 1);
  }
  std::string out;
  for (char c : sql.substr(0, kMax)) out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  if (sql.size() > kMax) out += "...";
  return out;
}

void Sql::Remember(const core::Error& error) {
  if (!first_error_) first_error_ = error;
}

}  // namespace corphub::storage
