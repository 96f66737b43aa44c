#pragma once
// Which backend a StorageOptions names, and where it is.
#include <string>

#include "core/result.hpp"
#include "storage/storage_options.hpp"

namespace corphub::storage {

enum class BackendKind { kSqlite, kPostgres };

struct ResolvedTarget {
  BackendKind kind = BackendKind::kSqlite;
  std::string location;  // the SQLite file's path, or the libpq connection string
};

// kInvalidArgument for an unknown scheme or an empty path; the message never repeats the url
// (it may hold a password).
core::Result<ResolvedTarget> ResolveTarget(const StorageOptions& options);

}  // namespace corphub::storage
