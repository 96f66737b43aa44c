#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/audit.hpp"
#include "core/result.hpp"
#include "directory/department.hpp"
#include "directory/member.hpp"
#include "directory/tag.hpp"
#include "jobs/job.hpp"

namespace corphub::directory {

class DepartmentRepository {
 public:
  virtual ~DepartmentRepository() = default;
  // Holds the organisation's directory for this transaction and bumps its version: every
  // directory write (departments, members, tags, batch imports) calls it first. Concurrent
  // writers on PostgreSQL take turns on that row, so none can pass a check (free id, sibling
  // name, cycle, unique mobile, member count) that another is about to invalidate; and readers
  // can tell by the version whether the directory changed.
  virtual core::Status LockTree(std::int64_t org_id) = 0;
  // The version LockTree last left (0 before any write).
  virtual core::Result<std::int64_t> Version(std::int64_t org_id) = 0;
  // kAlreadyExists when (org_id, id) is taken.
  virtual core::Status Insert(const Department& department) = 0;
  // Writes name, name_en, parent_id, order and updated_at of (org_id, id); kNotFound when it is
  // missing.
  virtual core::Status Update(const Department& department) = 0;
  virtual core::Status Delete(std::int64_t org_id, std::int64_t id) = 0;
  virtual core::Result<std::optional<Department>> Find(std::int64_t org_id, std::int64_t id) = 0;
  // Every department of the organisation, in no particular order.
  virtual core::Result<std::vector<Department>> ListAll(std::int64_t org_id) = 0;
  virtual core::Result<std::vector<Department>> Children(std::int64_t org_id,
                                                         std::int64_t parent_id) = 0;
  // The largest id in use (0 when there is none).
  virtual core::Result<std::int64_t> MaxId(std::int64_t org_id) = 0;
};

// A member's department leaders, for department/list.
struct DepartmentLeader {
  std::int64_t department_id = 0;
  std::string userid;
};

// One (member, department) pair of user/list_id, with its place for the cursor.
struct MemberDepartmentRef {
  std::int64_t member_id = 0;
  std::int64_t position = 0;  // the department's index in the member's list
  std::string userid;
  std::int64_t department_id = 0;
};

// The console's member search (MemberRepository::Search).
struct MemberQuery {
  std::string text;  // lowercased, without spaces; empty: everyone
  std::optional<std::int64_t> department_id;
  bool recursive = false;  // with department_id: its whole subtree
  std::optional<MemberStatus> status;
  std::optional<std::int64_t> tag_id;  // members tagged directly
  // A scoped administrator's view: only members in one of these departments or tagged (directly)
  // with one of these tags. nullopt: everyone.
  std::optional<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> within;
  std::int64_t offset = 0;
  std::int64_t limit = 50;
};

struct MemberSearchPage {
  std::int64_t total = 0;
  std::vector<Member> members;  // by name in pinyin, then userid
};

// A unique key of members that a lookup goes by.
enum class MemberKey { kUserid, kMobile, kEmail, kBizMail, kExternalId, kOpenid };

class MemberRepository {
 public:
  virtual ~MemberRepository() = default;
  // Inserts the member and its departments; sets member.id. kAlreadyExists when a unique key
  // (userid, mobile, e-mail, business e-mail, external id, openid) is taken: the service checks
  // those first, under LockTree, so this is a last line of defence.
  virtual core::Status Insert(Member& member) = 0;
  // Rewrites every field and the departments of member.id; kNotFound when it is missing.
  virtual core::Status Update(const Member& member) = 0;
  // Removes the member, its departments and its tags.
  virtual core::Status Delete(std::int64_t org_id, std::int64_t member_id) = 0;
  // By a unique key, compared in its key form (UseridKey, MobileKey, EmailKey; others exact).
  virtual core::Result<std::optional<Member>> FindBy(std::int64_t org_id, MemberKey key,
                                                     std::string_view value) = 0;
  // The members whose key is one of `values` (each compared in its key form), for batch
  // imports that look up a chunk of rows at once.
  virtual core::Result<std::vector<Member>> FindManyBy(std::int64_t org_id, MemberKey key,
                                                       const std::vector<std::string>& values) = 0;
  // The members with these ids (unknown ones left out), in no particular order.
  virtual core::Result<std::vector<Member>> FindByIds(std::int64_t org_id,
                                                      const std::vector<std::int64_t>& ids) = 0;
  // Inserts several members (and their departments) in few statements; sets each id. The
  // caller has checked every unique key: a conflict aborts the transaction.
  virtual core::Status InsertMany(std::vector<Member>& members) = 0;
  // The members in any of `department_ids`, each once, with all their departments, in no
  // particular order.
  virtual core::Result<std::vector<Member>> InDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& department_ids) = 0;
  // Members matching the query: userid, name (also in pinyin and its initials), alias, mobile,
  // e-mail and external id, with the filters; one page of them and how many match in all.
  virtual core::Result<MemberSearchPage> Search(std::int64_t org_id, const MemberQuery& query) = 0;
  // Every (member id, department id) pair of the organisation, for the console's counts.
  virtual core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> DepartmentPairs(
      std::int64_t org_id) = 0;
  // Fills the search keys of up to `limit` members written before they existed; returns how
  // many it did (0: none is left).
  virtual core::Result<std::int64_t> KeySearch(std::int64_t limit) = 0;
  // Members whose direct_leaders may name `userid` (a superset: the caller filters).
  virtual core::Result<std::vector<Member>> LedBy(std::int64_t org_id, std::string_view userid) = 0;
  virtual core::Result<std::int64_t> Count(std::int64_t org_id) = 0;
  virtual core::Result<std::int64_t> CountInDepartment(std::int64_t org_id,
                                                       std::int64_t department_id) = 0;
  // Leaders of every department, by department then member creation.
  virtual core::Result<std::vector<DepartmentLeader>> Leaders(std::int64_t org_id) = 0;
  // Up to `limit` (member, department) pairs after (after_member, after_position), in member
  // creation order and then the member's department order.
  virtual core::Result<std::vector<MemberDepartmentRef>> DepartmentPage(std::int64_t org_id,
                                                                        std::int64_t after_member,
                                                                        std::int64_t after_position,
                                                                        std::int64_t limit) = 0;
};

class TagRepository {
 public:
  virtual ~TagRepository() = default;
  // kAlreadyExists when the id or the name is taken.
  virtual core::Status Insert(const Tag& tag) = 0;
  virtual core::Status Update(const Tag& tag) = 0;  // name and updated_at; kNotFound
  // Removes the tag and its memberships; kNotFound when it is missing.
  virtual core::Status Delete(std::int64_t org_id, std::int64_t id) = 0;
  virtual core::Result<std::optional<Tag>> Find(std::int64_t org_id, std::int64_t id) = 0;
  virtual core::Result<std::optional<Tag>> FindByName(std::int64_t org_id,
                                                      std::string_view name) = 0;
  virtual core::Result<std::vector<Tag>> List(std::int64_t org_id) = 0;  // by id
  virtual core::Result<std::int64_t> MaxId(std::int64_t org_id) = 0;
  // Adding a present member or department, or removing an absent one, is no error.
  virtual core::Status AddMembers(std::int64_t org_id, std::int64_t tag_id,
                                  const std::vector<std::int64_t>& member_ids) = 0;
  virtual core::Status RemoveMembers(std::int64_t org_id, std::int64_t tag_id,
                                     const std::vector<std::int64_t>& member_ids) = 0;
  virtual core::Status AddDepartments(std::int64_t org_id, std::int64_t tag_id,
                                      const std::vector<std::int64_t>& department_ids) = 0;
  virtual core::Status RemoveDepartments(std::int64_t org_id, std::int64_t tag_id,
                                         const std::vector<std::int64_t>& department_ids) = 0;
  // The tag's members by member creation; its departments by id.
  virtual core::Result<std::vector<TaggedMember>> Members(std::int64_t org_id,
                                                          std::int64_t tag_id) = 0;
  virtual core::Result<std::vector<std::int64_t>> Departments(std::int64_t org_id,
                                                              std::int64_t tag_id) = 0;
  // The tags each of `member_ids` has directly: (member id, tag) pairs.
  virtual core::Result<std::vector<std::pair<std::int64_t, Tag>>> OfMembers(
      std::int64_t org_id, const std::vector<std::int64_t>& member_ids) = 0;
  // How many members each tag has directly: (tag id, count), tags without members left out.
  virtual core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MemberCounts(
      std::int64_t org_id) = 0;
  // Forgets a department in every tag (the department is being deleted).
  virtual core::Status ForgetDepartment(std::int64_t org_id, std::int64_t department_id) = 0;
};

// A contact-changed event, as WeCom's change_contact callback will carry it.
struct ContactEvent {
  std::int64_t org_id = 0;
  std::int64_t seq = 0;     // assigned on append, increasing
  std::string change_type;  // create_user, update_user, delete_user, create_party, ...
  std::string detail_json;  // the callback's fields: {"UserID": ...} and so on
  core::TimePoint at{};
};

class ContactEventLog {
 public:
  virtual ~ContactEventLog() = default;
  virtual core::Status Append(const ContactEvent& event) = 0;
  virtual core::Status AppendMany(const std::vector<ContactEvent>& events) = 0;
  // Events after `after_seq`, oldest first, at most `limit`.
  virtual core::Result<std::vector<ContactEvent>> After(std::int64_t org_id, std::int64_t after_seq,
                                                        std::int64_t limit) = 0;
};

// The repositories a directory use case works with inside one transaction. Batch imports commit
// their job's progress with the rows they apply, hence the jobs.
class DirectoryUnit : public virtual jobs::JobUnit {
 public:
  virtual ~DirectoryUnit() = default;
  virtual DepartmentRepository& Departments() = 0;
  virtual MemberRepository& Members() = 0;
  virtual TagRepository& Tags() = 0;
  virtual ContactEventLog& ContactEvents() = 0;
  virtual core::AuditLog& Audit() = 0;
};

}  // namespace corphub::directory
