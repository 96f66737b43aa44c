#pragma once
// Numbered migrations (NNNN_name.sql), each applied in its own write transaction together with
// its row in schema_migrations, under a lock: PostgreSQL's pg_advisory_xact_lock taken in that
// transaction, SQLite's BEGIN IMMEDIATE. So several processes may migrate one database at once.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace corphub::storage {

struct Migration {
  int version = 0;
  std::string name;  // the file name, e.g. "0001_foundation.sql"
  std::string_view sql;
};

// Migrations sorted by version. kInternal for a bad name or a repeated version: the files are
// part of the build, so that is a bug.
core::Result<std::vector<Migration>> LoadMigrations(std::span<const core::EmbeddedFile> files);

// "database schema version N is newer than this corphub supports (M); upgrade corphub"
core::Error SchemaTooNew(int database_version, int known_version);

class Migrator {
 public:
  Migrator(Database& db, std::vector<Migration> migrations)
      : db_(db), migrations_(std::move(migrations)) {}

  // The highest version this binary has a file for.
  int KnownVersion() const { return migrations_.empty() ? 0 : migrations_.back().version; }
  // The highest version applied to the database; 0 before the first migration.
  core::Result<int> CurrentVersion();
  // kSchemaTooNew when the database is ahead of this binary.
  core::Status CheckNotTooNew();
  // Applies what is missing, in order; logs one line per migration applied.
  core::Status Migrate();

 private:
  core::Result<std::vector<int>> AppliedVersions();
  // One migration in one transaction; `applied` says whether this call applied it.
  core::Status Apply(const Migration& migration, bool& applied);

  Database& db_;
  std::vector<Migration> migrations_;
};

}  // namespace corphub::storage
