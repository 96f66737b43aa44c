#include "storage/target.hpp"

#include <array>
#include <filesystem>
#include <string_view>

namespace corphub::storage {
namespace {

// libpq keyword strings are recognised by their usual first keywords ("host=db1 dbname=x").
constexpr std::array<std::string_view, 6> kConninfoStarts = {
    "host=", "hostaddr=", "dbname=", "user=", "port=", "service="};

bool StartsWith(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorKind::kInvalidArgument, "storage: " + std::move(message));
}

core::Result<ResolvedTarget> SqliteAt(std::string_view path) {
  if (path.empty()) return Invalid("the sqlite url names no file (write sqlite:PATH)");
  if (path == ":memory:" || StartsWith(path, "file:")) {
    return Invalid(
        "sqlite needs a file path: an in-memory database cannot be shared by the "
        "writer and the readers");
  }
  return ResolvedTarget{BackendKind::kSqlite, std::string(path)};
}

}  // namespace

core::Result<ResolvedTarget> ResolveTarget(const StorageOptions& options) {
  std::string_view url = options.url;
  if (url.empty()) {
    if (options.data_dir.empty()) return Invalid("neither a url nor a data_dir is set");
    return ResolvedTarget{BackendKind::kSqlite,
                          (std::filesystem::path(options.data_dir) / "corphub.db").string()};
  }
  if (StartsWith(url, "sqlite://")) return SqliteAt(url.substr(9));
  if (StartsWith(url, "sqlite:")) return SqliteAt(url.substr(7));
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) {
    return ResolvedTarget{BackendKind::kPostgres, std::string(url)};
  }
  for (std::string_view start : kConninfoStarts) {
    if (StartsWith(url, start)) return ResolvedTarget{BackendKind::kPostgres, std::string(url)};
  }
  return Invalid(
      "the url must start with sqlite:, postgres:// or postgresql://, or be a libpq "
      "keyword string such as host=... dbname=...");
}

}  // namespace corphub::storage
