#pragma once
// Creating and reading apps. `corphub app create` and (later) the console make apps here; the
// secret is shown once, at creation, and only its hash is kept.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/app.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/ip_range.hpp"
#include "core/transactor.hpp"

namespace corphub::apps {

struct CreatedApp {
  App app;
  std::string secret;  // in clear, this once
};

class AppService {
 public:
  static constexpr std::int64_t kFirstAgentid = 1000002;
  static constexpr std::size_t kSecretChars = 43;  // as long as WeCom's
  static constexpr std::size_t kMaxNameChars = 32;

  AppService(core::Transactor<AppUnit>& store, const core::Clock& clock, core::IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // A new app visible to the whole organisation. kInvalidArgument for a name that is empty or
  // longer than 32 characters, or a negative retention.
  core::Result<CreatedApp> Create(std::int64_t org_id, std::string_view name,
                                  std::string_view description = {}, int retention_days = 5);
  core::Result<std::vector<App>> List(std::int64_t org_id);
  // The app and its visible scope; kInvalidAgentId when there is no such app.
  core::Result<std::pair<App, AppScope>> Find(std::int64_t org_id, std::int64_t agentid);
  // Replaces the app's visible scope (members by id, departments, tags; the caller checked that
  // they exist). kInvalidArgument for an empty scope or one over 1000 members, 100 departments
  // or 100 tags. Audited (app.scope).
  core::Status SetScope(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                        AppScope scope);
  // A new secret, returned this once; the old one stops working for gettoken (the caller revokes
  // the tokens it gave). Audited (app.secret_reset).
  core::Result<std::string> ResetSecret(const core::Actor& actor, std::int64_t org_id,
                                        std::int64_t agentid);
  // The addresses the app's token may be used from (WeCom's trusted IPs): `text` holds IPv4 and
  // IPv6 addresses and CIDR ranges separated by line breaks, commas or spaces; empty: anywhere.
  // kInvalidArgument for a bad entry. Stored canonical, one per line. Audited (app.allowlist).
  core::Status SetAllowlist(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                            std::string_view text);
  // kIpNotAllowed (60020) unless `address` is on the app's allowlist (or it has none). Served
  // from memory, read again at most every kAllowlistTtl; nullopt when the store must be asked
  // (then call CheckCaller, off the I/O thread).
  std::optional<core::Status> CheckCallerCached(std::int64_t org_id, std::int64_t agentid,
                                                std::string_view address);
  core::Status CheckCaller(std::int64_t org_id, std::int64_t agentid, std::string_view address);
  static constexpr std::chrono::seconds kAllowlistTtl{5};

 private:
  core::Transactor<AppUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  struct Allowlist {
    std::vector<core::IpRange> ranges;
    core::TimePoint read_at;
  };
  static core::Status Check(const Allowlist& list, std::int64_t agentid, std::string_view address);
  std::mutex allow_mu_;
  std::map<std::pair<std::int64_t, std::int64_t>, Allowlist> allowlists_;  // (org, agentid)
};

}  // namespace corphub::apps
