#include "storage/migrator.hpp"

#include <algorithm>
#include <charconv>

#include "core/log.hpp"

namespace corphub::storage {
namespace {

// Taken with pg_advisory_xact_lock by every migration transaction; any fixed 64-bit number
// unlikely to collide with another application's lock ("corphub" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x636f7270687562;

// The little that differs between the dialects.
struct Dialect {
  std::string_view table_exists;  // one row, one count
  std::string_view lock;          // empty when the write transaction itself is the lock
  std::string_view now;           // unix seconds, as an SQL expression
};

const Dialect& DialectOf(std::string_view backend) {
  static constexpr Dialect kSqlite{
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", "",
      "CAST(strftime('%s', 'now') AS INTEGER)"};
  static constexpr Dialect kPostgres{
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_name = 'schema_migrations'",
      "SELECT pg_advisory_xact_lock(?)", "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)"};
  return backend == "postgres" ? kPostgres : kSqlite;
}

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

}  // namespace

core::Result<std::vector<Migration>> LoadMigrations(std::span<const core::EmbeddedFile> files) {
  std::vector<Migration> out;
  for (const auto& file : files) {
    std::string_view name = file.name;
    int version = 0;
    auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
    bool well_formed = ec == std::errc() && ptr == name.data() + 4 && version > 0 &&
                       name.size() > 9 && name[4] == '_' && name.ends_with(".sql");
    if (!well_formed) {
      return core::MakeError(core::ErrorKind::kInternal,
                             "migration file " + std::string(name) + " is not NNNN_name.sql");
    }
    out.push_back(Migration{version, std::string(name), file.data});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return core::MakeError(core::ErrorKind::kInternal, "migrations " + out[i - 1].name + " and " +
                                                             out[i].name + " share a version");
    }
  }
  return out;
}

core::Error SchemaTooNew(int database_version, int known_version) {
  return core::MakeError(core::ErrorKind::kSchemaTooNew,
                         "database schema version " + std::to_string(database_version) +
                             " is newer than this corphub supports (" +
                             std::to_string(known_version) + "); upgrade corphub");
}

core::Result<std::vector<int>> Migrator::AppliedVersions() {
  const Dialect& dialect = DialectOf(db_.Backend());
  std::vector<int> versions;
  auto status = db_.Read([&](Sql& sql) -> core::Status {
    versions.clear();
    auto exists = sql.Query(dialect.table_exists);
    if (!exists.ok()) return std::move(exists).error();
    if (exists->empty() || (*exists)[0].GetInt64(0) == 0) return core::Ok();
    auto rows = sql.Query("SELECT version FROM schema_migrations ORDER BY version");
    if (!rows.ok()) return std::move(rows).error();
    for (const Row& row : *rows) versions.push_back(static_cast<int>(row.GetInt64(0)));
    return core::Ok();
  });
  if (!status.ok()) return std::move(status).error();
  return versions;
}

core::Result<int> Migrator::CurrentVersion() {
  auto versions = AppliedVersions();
  if (!versions.ok()) return std::move(versions).error();
  return versions->empty() ? 0 : versions->back();
}

core::Status Migrator::CheckNotTooNew() {
  auto current = CurrentVersion();
  if (!current.ok()) return std::move(current).error();
  if (*current > KnownVersion()) return SchemaTooNew(*current, KnownVersion());
  return core::Ok();
}

core::Status Migrator::Apply(const Migration& migration, bool& applied) {
  const Dialect& dialect = DialectOf(db_.Backend());
  return db_.Write([&](Sql& sql) -> core::Status {
    applied = false;
    if (!dialect.lock.empty()) CORPHUB_TRY(sql.Query(dialect.lock, {kMigrationLockKey}));
    CORPHUB_TRY(sql.Exec(kCreateTable));
    // Under the lock: another process may have gone ahead since AppliedVersions().
    auto top = sql.Query("SELECT MAX(version) FROM schema_migrations");
    if (!top.ok()) return std::move(top).error();
    auto highest = (*top)[0].GetOptionalInt64(0).value_or(0);
    if (highest > KnownVersion()) return SchemaTooNew(static_cast<int>(highest), KnownVersion());
    auto done = sql.Query("SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                          {std::int64_t{migration.version}});
    if (!done.ok()) return std::move(done).error();
    if ((*done)[0].GetInt64(0) > 0) return core::Ok();
    CORPHUB_TRY(sql.ExecScript(migration.sql));
    CORPHUB_TRY(
        sql.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, " +
                     std::string(dialect.now) + ")",
                 {std::int64_t{migration.version}, migration.name}));
    applied = true;
    return core::Ok();
  });
}

core::Status Migrator::Migrate() {
  auto versions = AppliedVersions();
  if (!versions.ok()) return std::move(versions).error();
  if (!versions->empty() && versions->back() > KnownVersion()) {
    return SchemaTooNew(versions->back(), KnownVersion());
  }
  for (const Migration& migration : migrations_) {
    if (std::binary_search(versions->begin(), versions->end(), migration.version)) continue;
    bool applied = false;
    auto status = Apply(migration, applied);
    if (!status.ok()) {
      if (status.error().kind == core::ErrorKind::kSchemaTooNew) return status;
      return core::MakeError(status.error().kind,
                             "migration " + migration.name + " failed: " + status.error().message);
    }
    if (applied) {
      core::Logger("storage")->info("applied migration {} to {}", migration.name, db_.Describe());
    }
  }
  return core::Ok();
}

}  // namespace corphub::storage
