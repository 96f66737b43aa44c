#pragma once
// Repository SQL uses `?` placeholders (SQLite's); PostgreSQL wants $1..$n.
#include <cstddef>
#include <string>
#include <string_view>

namespace corphub::storage::postgres {

struct RewrittenSql {
  std::string sql;
  std::size_t placeholders = 0;
};

// Replaces each `?` with $1, $2, ... in order, leaving alone those inside '...' (and E'...'),
// "quoted identifiers", $tag$ dollar quotes $tag$, -- line and /* block */ comments. (So the
// jsonb `?` operators cannot be written in repository SQL; use jsonb_exists() instead.)
RewrittenSql RewritePlaceholders(std::string_view sql);

}  // namespace corphub::storage::postgres
