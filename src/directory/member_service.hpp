#pragma once
// Members: WeCom's user/* (reference §2). Every write runs in one transaction under the
// organisation's directory lock, checks existence and uniqueness there, and records a
// contact-changed event and an audit record with the change.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/directory_repository.hpp"
#include "directory/member.hpp"

namespace corphub::directory {

struct MemberLimits {
  std::int64_t max_members = 0;  // 0: no cap (45024 past it)
};

// One page of user/list_id.
struct MemberIdPage {
  std::vector<MemberDepartmentRef> entries;
  std::string next_cursor;  // empty on the last page
};

// Which e-mail user/get_userid_by_email looks at.
enum class EmailType { kBusiness = 1, kPersonal = 2 };

class MemberService {
 public:
  static constexpr std::size_t kMaxBatchDelete = 200;
  static constexpr std::int64_t kMaxIdPage = 10000;

  MemberService(core::Transactor<DirectoryUnit>& store, const core::Clock& clock,
                core::IdGenerator& ids, MemberLimits limits)
      : store_(store), clock_(clock), ids_(ids), limits_(limits) {}

  core::Status Create(const core::Actor& actor, std::int64_t org_id, const NewMember& input);
  core::Status Update(const core::Actor& actor, std::int64_t org_id, const MemberChange& change);
  // The member leaves its departments, tags and other members' direct_leader lists.
  core::Status Delete(const core::Actor& actor, std::int64_t org_id, std::string_view userid);
  // All or nothing: one unknown userid deletes none.
  core::Status BatchDelete(const core::Actor& actor, std::int64_t org_id,
                           const std::vector<std::string>& userids);
  // user/authsucc: a member not yet activated becomes active.
  core::Status ConfirmActivation(const core::Actor& actor, std::int64_t org_id,
                                 std::string_view userid);

  // The same inside a transaction the caller holds (with the directory lock taken), for batch
  // imports that apply many rows in one transaction.
  core::Status CreateIn(DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id,
                        const NewMember& input);
  core::Status UpdateIn(DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id,
                        const MemberChange& change);
  core::Status DeleteIn(DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id,
                        std::string_view userid);
  // Takes the directory lock itself (a no-op when the caller already holds it).
  core::Status ConfirmActivationIn(DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id,
                                   std::string_view userid);
  // Creates many members as CreateIn would one after another (each checked against those
  // before it), in a few statements: one outcome per input, in order.
  std::vector<core::Status> CreateManyIn(DirectoryUnit& u, const core::Actor& actor,
                                         std::int64_t org_id, const std::vector<NewMember>& inputs);

  // Whether Create would accept `input` now (its fields, its departments, its userid, mobile
  // and e-mail free), without writing anything: for an application checked before it is queued.
  core::Status Check(std::int64_t org_id, const NewMember& input);

  core::Result<Member> Get(std::int64_t org_id, std::string_view userid);
  // The directory's version: it changes with every directory write (see LockTree), so an answer
  // computed at one version is still the answer while the version stays.
  core::Result<std::int64_t> Version(std::int64_t org_id);
  // The members of a department (and its subtree with fetch_child), each once, sorted by their
  // order there (larger first) then creation; `status` keeps only members with that status.
  core::Result<std::vector<Member>> ListDepartment(std::int64_t org_id, std::int64_t department_id,
                                                   bool fetch_child,
                                                   std::optional<MemberStatus> status);
  core::Result<MemberIdPage> ListIds(std::int64_t org_id, std::string_view cursor,
                                     std::int64_t limit);

  // 46004 when nobody matches.
  core::Result<std::string> UseridByMobile(std::int64_t org_id, std::string_view mobile);
  core::Result<std::string> UseridByEmail(std::int64_t org_id, std::string_view email,
                                          EmailType type);
  core::Result<std::string> OpenidOf(std::int64_t org_id, std::string_view userid);
  core::Result<std::string> UseridOfOpenid(std::int64_t org_id, std::string_view openid);

 private:
  // A new member from its input: its fields checked, its openid and times set.
  core::Result<Member> Build(std::int64_t org_id, const NewMember& input, core::TimePoint now);
  core::Status CheckUnique(DirectoryUnit& u, const Member& m);
  // Departments and direct leaders exist; leaders take the spelling they were created with.
  core::Status CheckReferences(DirectoryUnit& u, Member& m);
  // Rewrites others' direct_leader lists naming `userid` (to `renamed`, or without it), each
  // with its update_user event.
  core::Status FollowLeader(DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id,
                            const std::string& userid, const std::optional<std::string>& renamed,
                            core::TimePoint at);
  core::Result<Member> Find(DirectoryUnit& u, std::int64_t org_id, std::string_view userid);
  // WeCom's subscribe / unsubscribe: the member starts or stops following the apps (activated
  // or unfrozen; frozen or deleted while active). Recorded with the contact events, as
  // {"UserID"}; the callback dispatcher sends one to each app whose visible scope holds them.
  core::Status Follows(DirectoryUnit& u, std::int64_t org_id, const std::string& userid,
                       bool subscribe, core::TimePoint at);
  core::Status DeleteOne(DirectoryUnit& u, const core::Actor& actor, const Member& m,
                         core::TimePoint at);

  core::Transactor<DirectoryUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  MemberLimits limits_;
};

}  // namespace corphub::directory
