#pragma once
// The scope a scoped administrator's member import keeps to, and how its durable job keeps it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "directory/directory_repository.hpp"
#include "directory/scope_index.hpp"

namespace corphub::directory {

// What a scoped administrator may import into: the departments (with subtrees) and tags of
// their edit scope. A row outside it fails (permission_denied): a member outside it, a
// department path leading out of it, a new member without a department of it.
struct ImportScope {
  std::vector<std::int64_t> department_ids;
  std::vector<std::int64_t> tag_ids;

  bool operator==(const ImportScope&) const = default;
};

// As the job's input keeps it: "d:5,7;t:3" (either list may be empty). nullopt for a text that
// is not one.
std::string EncodeImportScope(const ImportScope& scope);
std::optional<ImportScope> DecodeImportScope(std::string_view text);

// The scope against the tree read in the caller's transaction (its tags' departments read
// there too).
core::Result<ScopeIndex> IndexImportScope(DirectoryUnit& u, std::int64_t org_id,
                                          const std::vector<Department>& departments,
                                          const ImportScope& scope);

}  // namespace corphub::directory
