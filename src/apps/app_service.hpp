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
#include "apps/menu.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/ip_range.hpp"
#include "core/transactor.hpp"

namespace corphub::apps {

// What agent/set (or the console) changes; what is absent stays.
struct AppSettings {
  std::optional<std::string> name;             // 1 to 32 characters
  std::optional<std::string> description;      // empty, or 4 to 120 characters
  std::optional<std::string> redirect_domain;  // empty, or a host name with an optional :port
  std::optional<std::string> home_url;         // empty, or an http(s) URL of at most 1024 bytes
  std::optional<int> report_location_flag;     // 0 or 1
  std::optional<bool> report_enter;
  std::optional<bool> report_user;
  std::optional<std::string> logo_media_id;  // a permanent image's media_id; empty: none
  std::optional<bool> closed;                // the console's only: agent/set does not close
};

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
  // Changes what `settings` holds: 45022 for a bad name, 40058 (kInvalidParameter) naming the
  // field for a bad description, redirect_domain, home_url or report_location_flag. Closing an
  // app stops its tokens (50003) at once here and within kGuardTtl elsewhere. Audited
  // (app.settings, with the fields changed).
  core::Result<App> Update(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                           const AppSettings& settings);
  // Replaces the app's menu (validated: apps/menu.hpp); Audited (app.menu).
  core::Status SetMenu(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                       const std::vector<MenuButton>& buttons);
  // Removes it (nothing to remove is not an error). Audited (app.menu).
  core::Status DeleteMenu(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid);
  // The addresses the app's token may be used from (WeCom's trusted IPs): `text` holds IPv4 and
  // IPv6 addresses and CIDR ranges separated by line breaks, commas or spaces; empty: anywhere.
  // kInvalidArgument for a bad entry. Stored canonical, one per line. Audited (app.allowlist).
  core::Status SetAllowlist(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                            std::string_view text);
  // What each call with an app's token is checked against (its secret, allowlist and visible
  // scope) is served from memory and read again at most every kGuardTtl, so a change made on
  // another node (or by the command line) applies within that; a change made here applies at
  // once.
  static constexpr std::chrono::seconds kGuardTtl{5};
  // kInvalidAccessToken (40014) when the token's `secret_tag` is not the app's current secret's
  // (the secret was reset since); kAppDisabled (50003) when the app is closed; kIpNotAllowed
  // (60020) unless `address` is on the app's allowlist (or it has none). nullopt when the store
  // must be asked (then call CheckCaller, off the I/O thread).
  std::optional<core::Status> CheckCallerCached(std::int64_t org_id, std::int64_t agentid,
                                                std::string_view secret_tag,
                                                std::string_view address);
  core::Status CheckCaller(std::int64_t org_id, std::int64_t agentid, std::string_view secret_tag,
                           std::string_view address);
  // The app's visible scope, as above; kInvalidAgentId. Blocking when not in memory.
  core::Result<AppScope> VisibleScope(std::int64_t org_id, std::int64_t agentid);

 private:
  core::Transactor<AppUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  // An app's allowlist and visible scope, as last read.
  struct Guard {
    std::string secret_tag;
    bool closed = false;
    std::vector<core::IpRange> ranges;
    AppScope scope;
    core::TimePoint read_at;
  };
  static core::Status Check(const Guard& guard, std::int64_t agentid, std::string_view secret_tag,
                            std::string_view address);
  // The fresh guard in memory, if any (call with guard_mu_ held).
  const Guard* FreshGuard(std::int64_t org_id, std::int64_t agentid) const;
  // Reads the guard from the store and keeps it. Blocking.
  core::Result<Guard> LoadGuard(std::int64_t org_id, std::int64_t agentid);
  void ForgetGuard(std::int64_t org_id, std::int64_t agentid);
  std::mutex guard_mu_;
  std::map<std::pair<std::int64_t, std::int64_t>, Guard> guards_;  // by (org, agentid)
};

}  // namespace corphub::apps
