#pragma once
// WeCom's OAuth2 for apps' web pages (reference §7), and the JS-SDK tickets.
//
// Authorize: the member client (signed in) asks for a code for an app's redirect_uri. The rules
// are WeCom's: appid is the corpid (40013), response_type is code, scope is snsapi_base or
// snsapi_privateinfo (privateinfo needs the agentid: 41011), the redirect_uri's host is the
// app's trusted domain (50001; without an agentid, some open app's), and the member is in the
// app's visible scope (50002). The code is single-use and lives 5 minutes.
//
// Redeem (auth/getuserinfo, user/getuserinfo): an app trades the code for the member's userid.
// A code asked for another app, used, expired or unknown answers 40029; a code without an
// agentid is taken by an app whose trusted domain is the redirect's host (else 50001) and whose
// scope holds the member (else 50002). snsapi_privateinfo adds a user_ticket (30 minutes, that
// app's alone) for auth/getuserdetail.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/member.hpp"
#include "directory/scope_index.hpp"
#include "sso/sso.hpp"

namespace corphub::sso {

struct AuthorizeRequest {
  std::string appid;
  std::string redirect_uri;
  std::string response_type;
  std::string scope;
  std::string agentid;  // as the query gave it: "" when absent
  std::string state;
};

// What the member client shows before it sends the browser on.
struct AuthorizeCheck {
  std::int64_t agentid = 0;  // 0: the request named no app
  std::string app_name;
  std::string logo_media_id;
  std::string scope;
  std::string redirect_host;
};

struct Redeemed {
  std::string userid;
  std::string device_id;
  std::string user_ticket;  // snsapi_privateinfo only
};

// The host[:port] of an http(s) URL, lowercase; nullopt for anything else (or one with
// user information).
std::optional<std::string> UrlAuthority(std::string_view url);
// Whether `authority` (host[:port]) is covered by the trusted `domain` (host, or host:port when
// the port matters), both compared without case.
bool Trusted(std::string_view domain, std::string_view authority);
// sha1("jsapi_ticket=T&noncestr=N&timestamp=TS&url=U") in lowercase hex, the url without its
// #fragment: the signature of wx.config and wx.agentConfig.
std::string JsapiSignature(std::string_view ticket, std::string_view noncestr,
                           std::string_view timestamp, std::string_view url);
// `url` with `code` and `state` added to its query (before any #fragment).
std::string WithCode(std::string_view url, std::string_view code, std::string_view state);

class SsoService {
 public:
  static constexpr std::chrono::minutes kCodeLife{5};
  static constexpr std::chrono::minutes kTicketLife{30};
  static constexpr std::chrono::hours kJsapiTicketLife{2};
  static constexpr std::size_t kMaxStateBytes = 128;

  SsoService(core::Transactor<SsoUnit>& store, directory::ScopeResolver& scopes,
             const core::Clock& clock)
      : store_(store), scopes_(scopes), clock_(clock) {}

  // The request's rules, for the member `member_id` (0: not known yet, the scope is not
  // checked). Blocking.
  core::Result<AuthorizeCheck> Check(std::int64_t org_id, std::int64_t member_id,
                                     const AuthorizeRequest& req);
  // Check, then a code: the URL the browser goes to (redirect_uri?code=…&state=…). Blocking.
  core::Result<std::string> Authorize(std::int64_t org_id, std::int64_t member_id,
                                      std::string_view device_id, const AuthorizeRequest& req);
  // The code's member for the app `agentid` (see above). Blocking.
  core::Result<Redeemed> Redeem(std::int64_t org_id, std::int64_t agentid, std::string_view code);
  // The member a user_ticket names, for the app that got it; 40058 for a ticket that is
  // unknown, expired or another app's. Blocking.
  core::Result<directory::Member> Detail(std::int64_t org_id, std::int64_t agentid,
                                         std::string_view user_ticket);
  // The live JS-SDK ticket of the organisation (agentid 0) or of an app, made when there is
  // none; the same one until it expires, on every node. Returns it and its seconds left.
  core::Result<std::pair<std::string, std::int64_t>> JsapiTicketFor(std::int64_t org_id,
                                                                    std::int64_t agentid);

 private:
  core::Result<bool> MemberInScope(std::int64_t org_id, const apps::App& app,
                                   std::int64_t member_id, SsoUnit& u);
  core::Transactor<SsoUnit>& store_;
  directory::ScopeResolver& scopes_;
  const core::Clock& clock_;
};

}  // namespace corphub::sso
