#pragma once
// directory::TagRepository over Sql, for every backend.
#include "directory/directory_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class TagSql final : public directory::TagRepository {
 public:
  explicit TagSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(const directory::Tag& tag) override;
  core::Status Update(const directory::Tag& tag) override;
  core::Status Delete(std::int64_t org_id, std::int64_t id) override;
  core::Result<std::optional<directory::Tag>> Find(std::int64_t org_id, std::int64_t id) override;
  core::Result<std::optional<directory::Tag>> FindByName(std::int64_t org_id,
                                                         std::string_view name) override;
  core::Result<std::vector<directory::Tag>> List(std::int64_t org_id) override;
  core::Result<std::vector<std::pair<std::int64_t, directory::Tag>>> OfMembers(
      std::int64_t org_id, const std::vector<std::int64_t>& member_ids) override;
  core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> MemberCounts(
      std::int64_t org_id) override;
  core::Result<std::int64_t> MaxId(std::int64_t org_id) override;
  core::Status AddMembers(std::int64_t org_id, std::int64_t tag_id,
                          const std::vector<std::int64_t>& member_ids) override;
  core::Status RemoveMembers(std::int64_t org_id, std::int64_t tag_id,
                             const std::vector<std::int64_t>& member_ids) override;
  core::Status AddDepartments(std::int64_t org_id, std::int64_t tag_id,
                              const std::vector<std::int64_t>& department_ids) override;
  core::Status RemoveDepartments(std::int64_t org_id, std::int64_t tag_id,
                                 const std::vector<std::int64_t>& department_ids) override;
  core::Result<std::vector<directory::TaggedMember>> Members(std::int64_t org_id,
                                                             std::int64_t tag_id) override;
  core::Result<std::vector<std::int64_t>> Departments(std::int64_t org_id,
                                                      std::int64_t tag_id) override;
  core::Status ForgetDepartment(std::int64_t org_id, std::int64_t department_id) override;

 private:
  core::Result<std::vector<directory::Tag>> Select(std::string_view where, const Params& params);
  core::Status ForEach(std::string_view sql, std::int64_t org_id, std::int64_t tag_id,
                       const std::vector<std::int64_t>& ids);
  Sql& sql_;
};

// directory::ContactEventLog and core::AuditLog over Sql.
class ContactEventSql final : public directory::ContactEventLog {
 public:
  explicit ContactEventSql(Sql& sql) : sql_(sql) {}
  core::Status Append(const directory::ContactEvent& event) override;
  core::Status AppendMany(const std::vector<directory::ContactEvent>& events) override;
  core::Result<std::vector<directory::ContactEvent>> After(std::int64_t org_id,
                                                           std::int64_t after_seq,
                                                           std::int64_t limit) override;

 private:
  Sql& sql_;
};

class AuditSql final : public core::AuditLog {
 public:
  explicit AuditSql(Sql& sql) : sql_(sql) {}
  core::Status Append(const core::AuditRecord& record) override;
  core::Status AppendMany(const std::vector<core::AuditRecord>& records) override;
  core::Result<std::vector<core::AuditEntry>> List(const core::AuditQuery& query) override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
