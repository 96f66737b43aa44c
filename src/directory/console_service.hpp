#pragma once
// What the admin console reads and changes in the directory beyond WeCom's API: the tree with
// member counts, member search (pinyin included) with filters and paging, and bulk changes.
// Changes go through the member and tag services, so they keep every rule, event and audit
// record a /cgi-bin change would.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/department_service.hpp"
#include "directory/directory_repository.hpp"
#include "directory/member_service.hpp"
#include "directory/tag_service.hpp"

namespace corphub::directory {

struct CountedDepartment {
  Department department;
  std::int64_t member_count = 0;  // members directly in it
  std::int64_t total_count = 0;   // members in its subtree, each once
};

struct ConsoleMember {
  Member member;
  std::vector<Tag> tags;
};

struct ConsolePage {
  std::int64_t total = 0;
  std::vector<ConsoleMember> members;
};

struct CountedTag {
  Tag tag;
  std::int64_t member_count = 0;
};

// kFreeze / kUnfreeze: the members' `enable` to 0 (their sessions end) or back to 1.
enum class BulkAction { kMove, kAddTag, kRemoveTag, kDelete, kFreeze, kUnfreeze };

struct BulkChange {
  BulkAction action = BulkAction::kMove;
  std::vector<std::string> userids;
  std::int64_t department_id = 0;  // kMove
  std::int64_t tag_id = 0;         // kAddTag, kRemoveTag
};

class ConsoleService {
 public:
  static constexpr std::size_t kMaxBulk = 1000;
  static constexpr std::int64_t kMaxPage = 500;

  ConsoleService(core::Transactor<DirectoryUnit>& store, MemberService& members, TagService& tags)
      : store_(store), members_(members), tags_(tags) {}

  // The whole tree in tree order with counts; kept by directory version.
  core::Result<std::shared_ptr<const std::vector<CountedDepartment>>> Tree(std::int64_t org_id);
  // kInvalidArgument for a bad offset or limit; kDepartmentNotFound / kInvalidTagId for a filter
  // naming nothing.
  core::Result<ConsolePage> Search(std::int64_t org_id, MemberQuery query);
  core::Result<std::vector<CountedTag>> Tags(std::int64_t org_id);
  // A page of the audit log (every change, by anyone), newest first; limit taken as 1-200.
  // `next_before` is the `before` of the next page, 0 when there is none (one more entry is
  // read to know).
  struct AuditPage {
    std::vector<core::AuditEntry> entries;
    std::int64_t next_before = 0;
  };
  core::Result<AuditPage> Audit(core::AuditQuery query);
  // All or nothing; returns how many members it was applied to.
  core::Result<std::int64_t> Apply(const core::Actor& actor, std::int64_t org_id,
                                   const BulkChange& change);

  // What the admin typed, as MemberQuery::text wants it: ASCII lowercased, spaces dropped.
  static std::string NormaliseQuery(std::string_view text);

 private:
  core::Transactor<DirectoryUnit>& store_;
  MemberService& members_;
  TagService& tags_;

  std::mutex mu_;
  std::int64_t tree_org_ = 0;
  std::int64_t tree_version_ = -1;
  std::shared_ptr<const std::vector<CountedDepartment>> tree_;
};

// Checks that the query's department and tag filters name something (kDepartmentNotFound,
// kInvalidTagId) and drops a filter on the root's whole subtree, which is everyone. The member
// list and the export share it.
core::Status PrepareQuery(DirectoryUnit& u, std::int64_t org_id, MemberQuery& query);

// The counts for `departments` (tree order, as TreeOrder gives) from (member, department)
// pairs: exposed for tests.
std::vector<CountedDepartment> CountMembers(
    std::vector<Department> departments,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& member_departments);

}  // namespace corphub::directory
