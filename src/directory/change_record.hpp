#pragma once
// What every directory write leaves behind, in its own transaction: the contact-changed event
// that callbacks deliver (WeCom's change_contact) and the audit record.
#include <string>
#include <string_view>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "directory/directory_repository.hpp"

namespace corphub::directory {

struct ChangeRecord {
  std::string_view change_type;  // WeCom's ChangeType: create_user, update_party, ...
  std::string event_json;        // the callback's fields, e.g. {"UserID":"zhangsan"}
  std::string_view action;       // the audit action: "user.create", ...
  std::string target;            // the userid, department or tag id
  std::string detail_json = "{}";
};

inline core::Status Record(DirectoryUnit& unit, const core::Actor& actor, std::int64_t org_id,
                           core::TimePoint at, const ChangeRecord& change) {
  if (!change.change_type.empty()) {
    CORPHUB_TRY(unit.ContactEvents().Append(
        ContactEvent{org_id, 0, std::string(change.change_type), change.event_json, at}));
  }
  return unit.Audit().Append(core::AuditRecord{org_id, at, actor.principal, actor.address,
                                               std::string(change.action), change.target,
                                               change.detail_json});
}

}  // namespace corphub::directory
