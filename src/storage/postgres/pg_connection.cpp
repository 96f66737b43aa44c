#include "storage/postgres/pg_connection.hpp"

#include <postgresql/libpq-fe.h>

#include <charconv>
#include <utility>

#include "core/log.hpp"
#include "storage/postgres/placeholders.hpp"
#include "storage/sql.hpp"

namespace corphub::storage::postgres {
namespace {

// Type OIDs from pg_type.h that arrive as numbers; everything else arrives as text.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

using ResultPtr = std::unique_ptr<PGresult, void (*)(PGresult*)>;

// Class 08 (connection exception) and the shutdown states of class 57: the session is gone.
bool IsConnectionClass(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

core::ErrorKind KindOf(std::string_view state) {
  if (state == "23505") return core::ErrorKind::kAlreadyExists;
  // Serialization failure and deadlock (retried by the caller), and insufficient resources.
  if (IsConnectionClass(state) || state == "40001" || state == "40P01" || state.starts_with("53")) {
    return core::ErrorKind::kUnavailable;
  }
  return core::ErrorKind::kInternal;
}

std::string Text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

void OnNotice(void* /*arg*/, const char* message) {
  core::Logger("storage")->debug("postgres notice: {}", OneLine(message == nullptr ? "" : message));
}

Value CellValue(const char* text, int length, Oid type) {
  std::string_view s(text, static_cast<std::size_t>(length));
  switch (type) {
    case kBoolOid:
      return std::int64_t{s == "t" ? 1 : 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc() && ptr == s.data() + s.size()) return n;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec == std::errc() && ptr == s.data() + s.size()) return d;
      break;
    }
    default:
      break;
  }
  return std::string(s);
}

}  // namespace

core::Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const ConnectSettings& settings) {
  auto parsed = ParseConninfo(settings.conninfo);
  if (!parsed) {
    return core::MakeError(core::ErrorKind::kInvalidArgument,
                           "cannot connect to PostgreSQL: the connection string is malformed "
                           "(check its syntax and percent-encoding)");
  }
  // Our settings come first so that the operator's connection string, expanded from the last
  // "dbname" entry, overrides any of them.
  const std::string timeout = std::to_string(settings.connect_timeout_s);
  const std::pair<const char*, const char*> params[] = {
      {"connect_timeout", timeout.c_str()},
      {"keepalives", "1"},
      {"keepalives_idle", "30"},  // seconds idle before the first probe
      {"keepalives_interval", "10"},
      {"keepalives_count", "3"},
      {"application_name", "corphub"},
      {"client_encoding", "UTF8"},
      // A stuck lock or an abandoned transaction must not pin a worker and a pooled connection
      // for ever: the server ends them and the caller gets an error it can report.
      {"options",
       "-c lock_timeout=30s -c statement_timeout=300s -c idle_in_transaction_session_timeout=300s"},
      {"dbname", settings.conninfo.c_str()},
  };
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [keyword, value] : params) {
    keywords.push_back(keyword);
    values.push_back(value);
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) {
    return core::MakeError(
        core::ErrorKind::kUnavailable,
        "cannot connect to PostgreSQL at " + parsed->target.ToString() + ": out of memory");
  }
  Target target{Text(PQhost(conn)), Text(PQport(conn)), Text(PQdb(conn)), Text(PQuser(conn))};
  if (target.host.empty()) target.host = parsed->target.host;
  std::string password = parsed->password.empty() ? Text(PQpass(conn)) : parsed->password;
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = Redact(OneLine(PQerrorMessage(conn)), password);
    PQfinish(conn);
    return core::MakeError(core::ErrorKind::kUnavailable,
                           "cannot connect to PostgreSQL at " + target.ToString() + ": " + reason);
  }
  PQsetNoticeProcessor(conn, OnNotice, nullptr);
  return std::unique_ptr<PgConnection>(
      new PgConnection(conn, std::move(target), std::move(password)));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

core::Result<ResultPtr> PgConnection::Run(std::string_view op, std::string_view sql,
                                          const Params& params) {
  if (broken_) {
    return core::MakeError(core::ErrorKind::kUnavailable,
                           "postgres " + std::string(op) + ": the connection was lost");
  }
  PGresult* raw = nullptr;
  if (op == "script") {
    raw = PQexec(conn_, std::string(sql).c_str());
  } else {
    RewrittenSql rewritten = RewritePlaceholders(sql);
    if (rewritten.placeholders != params.size()) {
      return core::MakeError(core::ErrorKind::kInternal,
                             "postgres " + std::string(op) + ": `" + StatementHead(sql) +
                                 "` takes " + std::to_string(rewritten.placeholders) +
                                 " parameters, got " + std::to_string(params.size()));
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
        texts[i].assign(buf, ec == std::errc() ? end : buf);
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return core::MakeError(core::ErrorKind::kInvalidArgument,
                                 "postgres " + std::string(op) + ": parameter " +
                                     std::to_string(i + 1) + " holds a NUL byte");
        }
        values[i] = s->c_str();
      }
    }
    auto name = Prepared(op, rewritten.sql, static_cast<int>(params.size()));
    if (!name.ok()) return std::move(name).error();
    raw = PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()), values.data(),
                         nullptr, nullptr, /*resultFormat=*/0);
  }
  ResultPtr result(raw, PQclear);
  if (raw != nullptr) {
    ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  }
  return Failure(raw, op, sql);
}

// Repository SQL is a fixed set, but id-list helpers vary in length on other backends; past
// this many statements the session's are dropped and prepared again as they come.
constexpr std::size_t kMaxPreparedStatements = 512;

core::Result<std::string> PgConnection::Prepared(std::string_view op, const std::string& sql,
                                                 int params) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPreparedStatements) {
    ResultPtr dropped(PQexec(conn_, "DEALLOCATE ALL"), PQclear);
    if (dropped == nullptr || PQresultStatus(dropped.get()) != PGRES_COMMAND_OK) {
      return Failure(dropped.get(), op, "DEALLOCATE ALL");
    }
    prepared_.clear();
  }
  std::string name = "corphub_" + std::to_string(++next_statement_);
  ResultPtr result(PQprepare(conn_, name.c_str(), sql.c_str(), params, nullptr), PQclear);
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return Failure(result.get(), op, sql);
  }
  prepared_.emplace(sql, name);
  return name;
}

core::Error PgConnection::Failure(PGresult* result, std::string_view op, std::string_view sql) {
  std::string state = result == nullptr ? "" : Text(PQresultErrorField(result, PG_DIAG_SQLSTATE));
  if (result == nullptr || PQstatus(conn_) != CONNECTION_OK || IsConnectionClass(state)) {
    broken_ = true;
  }
  if (failed_sqlstate_.empty()) failed_sqlstate_ = state.empty() ? "XX000" : state;
  // The primary message only: DETAIL can quote row values ("Key (username)=(bob) exists").
  std::string reason =
      result == nullptr ? "" : Text(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  if (reason.empty()) reason = OneLine(PQerrorMessage(conn_));
  if (reason.empty()) reason = "no result";
  core::ErrorKind kind = broken_ ? core::ErrorKind::kUnavailable : KindOf(state);
  std::string message = "postgres " + std::string(op) + " `" + StatementHead(sql) + "`: " + reason;
  if (!state.empty()) message += " (SQLSTATE " + state + ")";
  return core::MakeError(kind, Redact(std::move(message), password_));
}

core::Result<std::int64_t> PgConnection::Exec(std::string_view sql, const Params& params) {
  auto result = Run("exec", sql, params);
  if (!result.ok()) return std::move(result).error();
  std::string_view tuples = PQcmdTuples(result->get());
  std::int64_t n = 0;
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
  return n;
}

core::Result<std::vector<Row>> PgConnection::Query(std::string_view sql, const Params& params) {
  auto result = Run("query", sql, params);
  if (!result.ok()) return std::move(result).error();
  PGresult* res = result->get();
  int rows = PQntuples(res);
  int columns = PQnfields(res);
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) types[static_cast<std::size_t>(c)] = PQftype(res, c);
  std::vector<Row> out;
  out.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(res, r, c) != 0) {
        cells.emplace_back(nullptr);
      } else {
        cells.push_back(CellValue(PQgetvalue(res, r, c), PQgetlength(res, r, c),
                                  types[static_cast<std::size_t>(c)]));
      }
    }
    out.emplace_back(std::move(cells));
  }
  return out;
}

core::Status PgConnection::ExecScript(std::string_view script) {
  auto result = Run("script", script, {});
  if (!result.ok()) return std::move(result).error();
  return core::Ok();
}

bool PgConnection::FailedRetryably() const {
  return failed_sqlstate_ == "40001" || failed_sqlstate_ == "40P01";
}

bool PgConnection::Usable() const {
  return !broken_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

void PgConnection::RollbackQuietly() {
  if (broken_) return;
  PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status == PQTRANS_IDLE) return;
  if (status != PQTRANS_INTRANS && status != PQTRANS_INERROR) {
    broken_ = true;  // busy or unknown: no way to know what the session is doing
    return;
  }
  ResultPtr result(PQexec(conn_, "ROLLBACK"), PQclear);
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) broken_ = true;
}

}  // namespace corphub::storage::postgres
