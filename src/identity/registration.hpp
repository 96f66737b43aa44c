#pragma once
// Open registration: someone not yet in the directory applies (name, department, position,
// wished userid, mobile, e-mail); an administrator approves, which creates the member and
// invites them, or rejects, which tells the applicant. Off unless the organisation opens it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::identity {

enum class RegistrationStatus { kPending, kApproved, kRejected };

std::string_view RegistrationStatusName(RegistrationStatus s);
std::optional<RegistrationStatus> ParseRegistrationStatus(std::string_view name);

struct Registration {
  std::int64_t id = 0;  // storage's key
  std::int64_t org_id = 0;
  std::string public_id;   // random: how the applicant and the console name it
  std::string token_hash;  // SHA-256 hex of the applicant's status token
  std::string name;
  std::int64_t department_id = 0;
  std::string position;
  std::string userid;  // wished; may be empty
  std::string mobile;
  std::string email;
  std::string note;
  std::string address;  // where it was sent from
  RegistrationStatus status = RegistrationStatus::kPending;
  std::string reason;      // on rejection
  std::string decided_by;  // the administrator's principal
  std::string member_userid;
  std::string notice;  // the rejection notice: "", "sent" or "failed"
  core::TimePoint created_at{};
  std::optional<core::TimePoint> decided_at;
  // Filled on reads.
  std::string department_name;
};

struct RegistrationDepartment {
  std::int64_t id = 0;
  std::int64_t parent_id = 0;
  std::string name;
  std::int64_t order = 0;
};

class RegistrationRepository {
 public:
  virtual ~RegistrationRepository() = default;
  virtual core::Status Insert(Registration& r) = 0;  // sets r.id
  virtual core::Result<std::optional<Registration>> Find(std::int64_t org_id,
                                                         std::string_view public_id) = 0;
  // Newest first; `status` keeps only those.
  virtual core::Result<std::vector<Registration>> List(std::int64_t org_id,
                                                       std::optional<RegistrationStatus> status,
                                                       std::int64_t limit) = 0;
  // Whether an application still waiting has this mobile key or e-mail key (either may be empty).
  virtual core::Result<bool> PendingWith(std::int64_t org_id, std::string_view mobile_key,
                                         std::string_view email_key) = 0;
  virtual core::Result<std::int64_t> CountPending(std::int64_t org_id) = 0;
  // Records the decision of an application still pending; false when it was decided already.
  virtual core::Result<bool> Decide(const Registration& r) = 0;
  virtual core::Status SetNotice(std::int64_t id, std::string_view notice) = 0;
  virtual core::Result<bool> Open(std::int64_t org_id) = 0;
  virtual core::Status SetOpen(std::int64_t org_id, bool on, core::TimePoint at) = 0;
  virtual core::Result<std::string> OrgName(std::int64_t org_id) = 0;
  virtual core::Result<std::vector<RegistrationDepartment>> Departments(std::int64_t org_id) = 0;
};

}  // namespace corphub::identity
