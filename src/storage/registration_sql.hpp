#pragma once
// identity::RegistrationRepository over Sql, for every backend.
#include "identity/registration.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class RegistrationSql final : public identity::RegistrationRepository {
 public:
  explicit RegistrationSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(identity::Registration& r) override;
  core::Result<std::optional<identity::Registration>> Find(std::int64_t org_id,
                                                           std::string_view public_id) override;
  core::Result<std::vector<identity::Registration>> List(
      std::int64_t org_id, std::optional<identity::RegistrationStatus> status,
      std::int64_t limit) override;
  core::Result<bool> PendingWith(std::int64_t org_id, std::string_view mobile_key,
                                 std::string_view email_key) override;
  core::Result<std::int64_t> CountPending(std::int64_t org_id) override;
  core::Result<bool> Decide(const identity::Registration& r) override;
  core::Status SetNotice(std::int64_t id, std::string_view notice) override;
  core::Result<bool> Open(std::int64_t org_id) override;
  core::Status SetOpen(std::int64_t org_id, bool on, core::TimePoint at) override;
  core::Result<std::string> OrgName(std::int64_t org_id) override;
  core::Result<std::vector<identity::RegistrationDepartment>> Departments(
      std::int64_t org_id) override;

 private:
  core::Result<std::vector<identity::Registration>> Select(std::string_view where,
                                                           const Params& params);
  Sql& sql_;
};

}  // namespace corphub::storage
