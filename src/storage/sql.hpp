#pragma once
// The one small SQL surface both backends implement. Repository SQL is written once, with `?`
// placeholders and SQL that SQLite and PostgreSQL both accept (INSERT ... ON CONFLICT,
// RETURNING, COUNT(*), ...).
//
// An Sql object lives for one transaction. A failed statement aborts the transaction on both
// backends (PostgreSQL's rule, applied to SQLite too so the backends behave alike): later
// statements fail with the same error, and the transaction is rolled back even if the caller
// swallows the error and returns ok. Expected conflicts belong in ON CONFLICT clauses.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "storage/row.hpp"
#include "storage/value.hpp"

namespace corphub::storage {

class Sql {
 public:
  virtual ~Sql() = default;

  // One statement; returns the number of rows it changed.
  core::Result<std::int64_t> Exec(std::string_view sql, const Params& params = {});
  // One statement; returns its rows (SELECT, or INSERT/UPDATE ... RETURNING).
  core::Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {});
  // Several statements without parameters (migrations).
  core::Status ExecScript(std::string_view script);

  // Whether the backend takes an array as one parameter (PostgreSQL): see InIds.
  virtual bool TakesArrays() const { return false; }

  // The first statement error of this transaction, if any.
  const std::optional<core::Error>& first_error() const { return first_error_; }

 protected:
  virtual core::Result<std::int64_t> DoExec(std::string_view sql, const Params& params) = 0;
  virtual core::Result<std::vector<Row>> DoQuery(std::string_view sql, const Params& params) = 0;
  virtual core::Status DoExecScript(std::string_view script) = 0;

 private:
  core::Error Aborted() const;
  void Remember(const core::Error& error);

  std::optional<core::Error> first_error_;
};

using SqlFn = std::function<core::Status(Sql&)>;

// Inserts `count` rows with multi-row INSERTs of at most `per_statement` rows each: `head` is
// the statement up to VALUES ("INSERT INTO t (a, b) VALUES "), `columns` the parameters a row
// takes, and fill(i, params) appends row i's parameters.
core::Status InsertRows(Sql& sql, std::string_view head, std::size_t columns, std::size_t count,
                        std::size_t per_statement,
                        const std::function<void(std::size_t, Params&)>& fill);

// Params built one by one: a long braced list of variants trips GCC 12's maybe-uninitialized.
template <class... T>
Params MakeParams(T&&... values) {
  Params p;
  p.reserve(sizeof...(values));
  (p.emplace_back(std::forward<T>(values)), ...);
  return p;
}

// `column` is one of ids[from, to), as a condition, with its parameters appended: on
// PostgreSQL "column = ANY(CAST(? AS BIGINT[]))" with one parameter (one statement text and
// plan, whatever the count), elsewhere "column IN (?, ?, ...)".
std::string InIds(const Sql& sql, std::string_view column, const std::vector<std::int64_t>& ids,
                  std::size_t from, std::size_t to, Params& params);

// How many ids one statement of InIds takes on this backend.
std::size_t IdsPerStatement(const Sql& sql);

// fn(condition, params) for each chunk of `ids` (IdsPerStatement at a time): params holds
// `leading` and then the chunk's parameters, condition is InIds's.
core::Status ForIdChunks(const Sql& sql, std::string_view column,
                         const std::vector<std::int64_t>& ids, const Params& leading,
                         const std::function<core::Status(const std::string&, Params&)>& fn);

// The integers of the first column that `select` ("SELECT x FROM t WHERE a = ? AND") gives for
// `column` in `ids`, chunk by chunk.
core::Result<std::vector<std::int64_t>> SelectForIds(Sql& sql, std::string_view select,
                                                     std::string_view column, const Params& leading,
                                                     const std::vector<std::int64_t>& ids);

// The same for text values ("column = ANY(CAST(? AS TEXT[]))" on PostgreSQL, each element
// quoted).
std::string InTexts(const Sql& sql, std::string_view column, const std::vector<std::string>& values,
                    std::size_t from, std::size_t to, Params& params);

// "?, ?, ?" for n parameters.
std::string Placeholders(std::size_t n);

// A statement's first words on one line, for messages (SQL text holds no values, parameters do).
std::string StatementHead(std::string_view sql);

}  // namespace corphub::storage
