#pragma once
// Tags: WeCom's tag/* (reference §2). 40072 name not 1-32 characters, 40071 name taken, 40068
// unknown or bad tag id, 40070 when no target of an add or remove is valid.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/directory_repository.hpp"
#include "directory/tag.hpp"

namespace corphub::directory {

struct TagDetail {
  Tag tag;
  std::vector<TaggedMember> members;
  std::vector<std::int64_t> departments;
};

// The targets an add or remove skipped: unknown (or, for a remove, not tagged).
struct TagTargetsResult {
  std::vector<std::string> invalid_users;
  std::vector<std::int64_t> invalid_departments;
};

class TagService {
 public:
  static constexpr std::size_t kMaxNameChars = 32;
  static constexpr std::size_t kMaxUsersPerCall = 1000;
  static constexpr std::size_t kMaxDepartmentsPerCall = 100;

  TagService(core::Transactor<DirectoryUnit>& store, const core::Clock& clock)
      : store_(store), clock_(clock) {}

  core::Result<std::int64_t> Create(const core::Actor& actor, std::int64_t org_id,
                                    const std::string& name, std::optional<std::int64_t> id);
  core::Status Rename(const core::Actor& actor, std::int64_t org_id, std::int64_t id,
                      const std::string& name);
  core::Status Delete(const core::Actor& actor, std::int64_t org_id, std::int64_t id);
  core::Result<TagDetail> Get(std::int64_t org_id, std::int64_t id);
  core::Result<std::vector<Tag>> List(std::int64_t org_id);
  core::Result<TagTargetsResult> AddTargets(const core::Actor& actor, std::int64_t org_id,
                                            std::int64_t id,
                                            const std::vector<std::string>& userids,
                                            const std::vector<std::int64_t>& departments);
  core::Result<TagTargetsResult> RemoveTargets(const core::Actor& actor, std::int64_t org_id,
                                               std::int64_t id,
                                               const std::vector<std::string>& userids,
                                               const std::vector<std::int64_t>& departments);
  // The console's bulk tagging, all or nothing: an unknown userid is kUserNotFound and nothing
  // changes. Members already tagged (or, removing, not tagged) are no error.
  core::Status ChangeMembers(const core::Actor& actor, std::int64_t org_id, std::int64_t id,
                             const std::vector<std::string>& userids, bool add);

 private:
  core::Result<TagTargetsResult> ChangeTargets(const core::Actor& actor, std::int64_t org_id,
                                               std::int64_t id,
                                               const std::vector<std::string>& userids,
                                               const std::vector<std::int64_t>& departments,
                                               bool add, bool strict = false);

  core::Transactor<DirectoryUnit>& store_;
  const core::Clock& clock_;
};

}  // namespace corphub::directory
