#pragma once
// Fresh, empty databases for one test, removed afterwards: a temporary directory for SQLite, a
// new database on the server named by CORPHUB_TEST_POSTGRES_URL for PostgreSQL.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/storage_options.hpp"

namespace corphub::storage::testing {

enum class TestBackend { kSqlite, kPostgres };

const char* NameOf(TestBackend backend);

// The server the PostgreSQL instances use; empty when the variable is unset.
std::string PostgresAdminUrl();

// Runs one statement on that server's own database, outside any transaction (CREATE DATABASE,
// pg_terminate_backend). Throws std::runtime_error when it fails.
void PostgresAdminExec(const std::string& sql);

// gtest prints parameters and error kinds by name.
void PrintTo(TestBackend backend, std::ostream* os);

inline constexpr const char* kNoPostgresReason =
    "CORPHUB_TEST_POSTGRES_URL is not set; start a server with "
    "`scripts/pg-temp.sh start DIR` and export the URL it prints";

class ScratchDatabases {
 public:
  explicit ScratchDatabases(TestBackend backend) : backend_(backend) {}
  ~ScratchDatabases();
  ScratchDatabases(const ScratchDatabases&) = delete;
  ScratchDatabases& operator=(const ScratchDatabases&) = delete;

  // Options naming a new empty database (SQLite: the default <data_dir>/corphub.db of a new
  // temporary directory). Throws std::runtime_error when one cannot be made.
  StorageOptions Create();

 private:
  TestBackend backend_;
  std::vector<std::string> sqlite_dirs_;
  std::vector<std::string> postgres_databases_;
};

}  // namespace corphub::storage::testing
