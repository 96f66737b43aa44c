#pragma once
// Single sign-on with WeCom's flow (reference §7): /connect/oauth2/authorize gives a signed-in
// member's browser a one-time code for the app's redirect_uri; the app's server trades it for
// the member's userid (auth/getuserinfo) and, with snsapi_privateinfo, a user_ticket for their
// details (auth/getuserdetail). And the JS-SDK tickets (get_jsapi_ticket, ticket/get) pages sign
// wx.config and wx.agentConfig with. Codes and tickets live in the store, so any node may issue
// and any node may redeem them; only their SHA-256 is kept for codes and user tickets.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "apps/app.hpp"
#include "core/result.hpp"
#include "directory/directory_repository.hpp"

namespace corphub::sso {

struct AuthCode {
  std::string code_hash;  // lowercase hex SHA-256 of the code
  std::int64_t org_id = 0;
  std::int64_t member_id = 0;
  std::int64_t agentid = 0;   // the app the code was asked for; 0: none (snsapi_base alone)
  std::string scope;          // snsapi_base or snsapi_privateinfo
  std::string redirect_host;  // the redirect_uri's host[:port], lowercase
  std::string device_id;      // the member session's, for the legacy DeviceId
  std::int64_t expires_at_ms = 0;
};

struct UserTicket {
  std::string ticket_hash;
  std::int64_t org_id = 0;
  std::int64_t member_id = 0;
  std::int64_t agentid = 0;  // the app that redeemed the code; only it may use the ticket
  std::int64_t expires_at_ms = 0;
};

// A JS-SDK ticket: the organisation's (agentid 0, wx.config) or an app's (wx.agentConfig).
struct JsapiTicket {
  std::int64_t org_id = 0;
  std::int64_t agentid = 0;
  std::string ticket;
  std::int64_t expires_at_ms = 0;
};

class SsoRepository {
 public:
  virtual ~SsoRepository() = default;
  virtual core::Status InsertCode(const AuthCode& code) = 0;
  // Removes the code and returns it, if it exists and has not expired: of two callers racing
  // for one code, one gets it.
  virtual core::Result<std::optional<AuthCode>> TakeCode(std::string_view code_hash,
                                                         std::int64_t now_ms) = 0;
  virtual core::Status InsertTicket(const UserTicket& ticket) = 0;
  virtual core::Result<std::optional<UserTicket>> FindTicket(std::string_view ticket_hash,
                                                             std::int64_t now_ms) = 0;
  // The live ticket of (org, agentid), if any.
  virtual core::Result<std::optional<JsapiTicket>> FindJsapiTicket(std::int64_t org_id,
                                                                   std::int64_t agentid,
                                                                   std::int64_t now_ms) = 0;
  // Keeps `ticket` unless a live one is there already (another node made it first); returns
  // the one that is kept.
  virtual core::Result<JsapiTicket> PutJsapiTicket(const JsapiTicket& ticket,
                                                   std::int64_t now_ms) = 0;
  // The organisation's corpid (what authorize's appid must be).
  virtual core::Result<std::string> CorpId(std::int64_t org_id) = 0;
  // Forgets expired codes and user tickets.
  virtual core::Status Purge(std::int64_t now_ms) = 0;
};

class SsoUnit : public virtual directory::DirectoryUnit {
 public:
  virtual ~SsoUnit() = default;
  virtual SsoRepository& Sso() = 0;
  virtual apps::AppRepository& Apps() = 0;
};

}  // namespace corphub::sso
