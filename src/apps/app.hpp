#pragma once
// An app (自建应用): what internal systems send messages through. It has an agentid, a secret
// for gettoken (only its SHA-256 is stored), a visible scope, and a retention for its messages.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::apps {

// Who may see the app and receive its messages: members, departments (with their subtrees) and
// tags (their members, and their departments' subtrees).
struct AppScope {
  std::vector<std::int64_t> member_ids;
  std::vector<std::int64_t> department_ids;
  std::vector<std::int64_t> tag_ids;

  static AppScope Everyone() { return AppScope{{}, {1}, {}}; }
  // The root department is in it: no need to intersect.
  bool IsEveryone() const {
    for (auto d : department_ids) {
      if (d == 1) return true;
    }
    return false;
  }
};

struct App {
  std::int64_t id = 0;  // storage's key
  std::int64_t org_id = 0;
  std::int64_t agentid = 0;  // 1000002 and up, as WeCom numbers self-built apps
  std::string name;
  std::string description;
  std::string secret_hash;  // lowercase hex SHA-256 of the secret
  int retention_days = 5;   // its messages' default life; 0: kept permanently
  bool closed = false;
  std::string ip_allowlist;  // addresses and CIDR ranges, one per line; empty: any address
  // agent/set's settings.
  std::string logo_media_id;     // a permanent image (/media/img/<id>); empty: none
  std::string redirect_domain;   // the trusted domain for OAuth2 redirects and the JS-SDK
  std::string home_url;          // what opens when a member enters the app
  int report_location_flag = 0;  // 1: members' locations reported on entering the conversation
  bool report_enter = false;     // enter_agent events reported to the app's callback
  bool report_user = false;      // change_contact events reported to the app's callback
  std::string menu_json;         // {"button":[...]} as menu/create stored it; empty: no menu
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

// Names the secret an access_token was issued for without keeping the secret: the first 16 hex
// digits of its hash. A token whose tag is not its app's current one was issued for a secret
// since reset.
inline std::string SecretTag(std::string_view secret_hash) {
  return std::string(secret_hash.substr(0, 16));
}

class AppRepository {
 public:
  virtual ~AppRepository() = default;
  // Sets app.id. kAlreadyExists when the agentid or the secret is taken.
  virtual core::Status Insert(App& app) = 0;
  // The largest agentid in use (0 when none).
  virtual core::Result<std::int64_t> MaxAgentid(std::int64_t org_id) = 0;
  virtual core::Result<std::optional<App>> FindByAgentid(std::int64_t org_id,
                                                         std::int64_t agentid) = 0;
  virtual core::Result<std::optional<App>> FindBySecretHash(std::string_view secret_hash) = 0;
  // By agentid.
  virtual core::Result<std::vector<App>> List(std::int64_t org_id) = 0;
  virtual core::Result<AppScope> Scope(std::int64_t app_id) = 0;
  virtual core::Status SetScope(std::int64_t app_id, const AppScope& scope) = 0;
  virtual core::Status SetAllowlist(std::int64_t app_id, std::string_view allowlist,
                                    core::TimePoint at) = 0;
  virtual core::Status SetSecretHash(std::int64_t app_id, std::string_view secret_hash,
                                     core::TimePoint at) = 0;
  // Writes name, description, closed, the settings above and updated_at of app.id.
  virtual core::Status UpdateSettings(const App& app) = 0;
  // `menu_json` empty removes the menu.
  virtual core::Status SetMenu(std::int64_t app_id, std::string_view menu_json,
                               core::TimePoint at) = 0;
};

class AppUnit {
 public:
  virtual ~AppUnit() = default;
  virtual AppRepository& Apps() = 0;
  virtual core::AuditLog& Audit() = 0;
};

}  // namespace corphub::apps
