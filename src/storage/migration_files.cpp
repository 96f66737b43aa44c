#include "storage/migration_files.hpp"

namespace corphub::storage {

std::span<const core::EmbeddedFile> EmbeddedMigrations(std::string_view backend) {
  if (backend == "sqlite") return {sqlite_migrations::kFiles, sqlite_migrations::kFileCount};
  if (backend == "postgres") return {postgres_migrations::kFiles, postgres_migrations::kFileCount};
  return {};
}

}  // namespace corphub::storage
