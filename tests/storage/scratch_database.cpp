#include "scratch_database.hpp"

#include <postgresql/libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <system_error>

namespace corphub::storage::testing {
namespace {

std::string RandomSuffix() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (int i = 0; i < 12; ++i) out += kDigits[device() % 16];
  return out;
}

}  // namespace

void PostgresAdminExec(const std::string& sql) {
  std::string url = PostgresAdminUrl();
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach CORPHUB_TEST_POSTGRES_URL: " + reason);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  std::string reason = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + reason);
}

namespace {

// The admin URL with its database replaced: the path of a URI, or a later dbname keyword.
std::string WithDatabase(const std::string& url, const std::string& dbname) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + dbname;
  auto path = url.find('/', scheme + 3);
  auto query = url.find('?', scheme + 3);
  std::string authority = url.substr(0, std::min(path, query));
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return authority + "/" + dbname + rest;
}

}  // namespace

void PrintTo(TestBackend backend, std::ostream* os) { *os << NameOf(backend); }

const char* NameOf(TestBackend backend) {
  return backend == TestBackend::kSqlite ? "sqlite" : "postgres";
}

std::string PostgresAdminUrl() {
  const char* url = std::getenv("CORPHUB_TEST_POSTGRES_URL");
  return url == nullptr ? std::string() : std::string(url);
}

StorageOptions ScratchDatabases::Create() {
  StorageOptions options;
  if (backend_ == TestBackend::kSqlite) {
    auto dir = std::filesystem::temp_directory_path() / ("corphub-storage-" + RandomSuffix());
    std::filesystem::create_directories(dir);
    sqlite_dirs_.push_back(dir.string());
    options.data_dir = (dir / "data").string();  // missing: Open must create it
    return options;
  }
  std::string name = "corphub_t_" + RandomSuffix();
  PostgresAdminExec("CREATE DATABASE " + name);
  postgres_databases_.push_back(name);
  options.url = WithDatabase(PostgresAdminUrl(), name);
  return options;
}

ScratchDatabases::~ScratchDatabases() {
  for (const auto& dir : sqlite_dirs_) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  for (const auto& name : postgres_databases_) {
    try {
      PostgresAdminExec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The server went away; the cluster is thrown away with it.
    }
  }
}

}  // namespace corphub::storage::testing
