#pragma once
// The migrations compiled into the binary (see CMakeLists.txt and cmake/embed_files.cmake).
#include <cstddef>
#include <span>
#include <string_view>

#include "core/embedded.hpp"

namespace corphub::storage::sqlite_migrations {
extern const core::EmbeddedFile kFiles[];
extern const std::size_t kFileCount;
}  // namespace corphub::storage::sqlite_migrations

namespace corphub::storage::postgres_migrations {
extern const core::EmbeddedFile kFiles[];
extern const std::size_t kFileCount;
}  // namespace corphub::storage::postgres_migrations

namespace corphub::storage {

// The files for "sqlite" or "postgres"; empty for anything else.
std::span<const core::EmbeddedFile> EmbeddedMigrations(std::string_view backend);

}  // namespace corphub::storage
