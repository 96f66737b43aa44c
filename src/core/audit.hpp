#pragma once
// Who did something, and the audit record every change leaves. Written by the domain in the
// same transaction as the change, so a change without its record cannot happen.
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::core {

// The caller on whose behalf a use case runs.
struct Actor {
  std::string principal;  // "contacts" (the contacts-sync secret), "app:<agentid>", "admin:<name>"
  std::string address;    // the remote address, or "" for the command line
};

struct AuditRecord {
  std::int64_t org_id = 0;
  TimePoint at{};
  std::string actor;               // Actor::principal
  std::string address;             // Actor::address
  std::string action;              // "user.create", "department.delete", "tag.add_targets", ...
  std::string target;              // what it was done to: a userid, a department or tag id
  std::string detail_json = "{}";  // a JSON object with the particulars
};

// A page of the audit log, newest first; empty fields filter nothing.
struct AuditQuery {
  std::int64_t org_id = 0;
  std::string actor;        // exactly ("admin:zhang", "contacts", "member:lisi")
  std::string action;       // exactly, or a prefix ending in '.' ("user." for every user action)
  std::string target;       // exactly
  std::int64_t since = 0;   // unix seconds, inclusive; 0: no bound
  std::int64_t until = 0;   // unix seconds, exclusive; 0: no bound
  std::int64_t before = 0;  // records with a smaller id (the next page); 0: from the newest
  std::int64_t limit = 50;
};

struct AuditEntry {
  std::int64_t id = 0;
  AuditRecord record;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Status Append(const AuditRecord& record) = 0;
  virtual Status AppendMany(const std::vector<AuditRecord>& records) = 0;
  virtual Result<std::vector<AuditEntry>> List(const AuditQuery& query) = 0;
};

}  // namespace corphub::core
