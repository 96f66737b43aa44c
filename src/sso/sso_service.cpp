#include "sso/sso_service.hpp"

#include <algorithm>
#include <cctype>

#include "callback/member_events.hpp"
#include "core/percent_decode.hpp"
#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace corphub::sso {
namespace {

using core::ErrorKind;
using core::MakeError;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return out;
}

// host[:port] without the port ("[::1]:8080" → "[::1]").
std::string_view HostOf(std::string_view authority) {
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) return authority;
  if (bracket != std::string_view::npos && colon < bracket) return authority;
  return authority.substr(0, colon);
}

constexpr std::size_t kCodeChars = 64;
constexpr std::size_t kTicketChars = 64;
constexpr std::size_t kJsapiTicketChars = 86;  // as long as WeCom's

}  // namespace

std::optional<std::string> UrlAuthority(std::string_view url) {
  if (!core::IsHttpUrl(url)) return std::nullopt;
  std::string_view rest = url.substr(url.find("://") + 3);
  const auto end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      authority.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  return Lower(authority);
}

bool Trusted(std::string_view domain, std::string_view authority) {
  if (domain.empty() || authority.empty()) return false;
  const std::string d = Lower(domain);
  const std::string a = Lower(authority);
  if (HostOf(d) != d) return d == a;  // the domain names a port: it must be that one
  return HostOf(a) == d;
}

std::string JsapiSignature(std::string_view ticket, std::string_view noncestr,
                           std::string_view timestamp, std::string_view url) {
  const std::string_view page = url.substr(0, url.find('#'));
  std::string text;
  text.append("jsapi_ticket=").append(ticket);
  text.append("&noncestr=").append(noncestr);
  text.append("&timestamp=").append(timestamp);
  text.append("&url=").append(page);
  return crypto::Sha1Hex(text);
}

std::string WithCode(std::string_view url, std::string_view code, std::string_view state) {
  const auto hash = url.find('#');
  std::string out(url.substr(0, hash));
  if (out.find('?') == std::string::npos) {
    out += '?';
  } else if (out.back() != '?' && out.back() != '&') {
    out += '&';
  }
  out.append("code=").append(core::PercentEncode(code));
  out.append("&state=").append(core::PercentEncode(state));
  if (hash != std::string_view::npos) out.append(url.substr(hash));
  return out;
}

core::Result<bool> SsoService::MemberInScope(std::int64_t org_id, const apps::App& app,
                                             std::int64_t member_id, SsoUnit& u) {
  auto scope = u.Apps().Scope(app.id);
  if (!scope) return std::move(scope).error();
  if (scope->IsEveryone()) return true;
  auto members = u.Members().FindByIds(org_id, {member_id});
  if (!members) return std::move(members).error();
  if (members->empty()) return false;
  return callback::InScope(scopes_, org_id, *scope, members->front().userid);
}

core::Result<AuthorizeCheck> SsoService::Check(std::int64_t org_id, std::int64_t member_id,
                                               const AuthorizeRequest& req) {
  if (req.response_type != "code") {
    return MakeError(ErrorKind::kInvalidParameter, "response_type must be code");
  }
  if (req.scope != "snsapi_base" && req.scope != "snsapi_privateinfo" &&
      req.scope != "snsapi_userinfo") {
    return MakeError(ErrorKind::kInvalidParameter,
                     "scope must be snsapi_base or snsapi_privateinfo");
  }
  if (req.state.size() > kMaxStateBytes) {
    return MakeError(ErrorKind::kInvalidParameter, "state takes at most 128 bytes");
  }
  auto authority = UrlAuthority(req.redirect_uri);
  if (!authority) {
    return MakeError(ErrorKind::kInvalidParameter,
                     "redirect_uri must be an absolute http(s) URL, URL-encoded in the query");
  }
  std::optional<std::int64_t> agentid;
  if (!req.agentid.empty()) {
    auto parsed = core::ParseInt64(req.agentid);
    if (!parsed) return MakeError(ErrorKind::kInvalidAgentId, "agentid is not a number");
    agentid = *parsed;
  }
  // snsapi_userinfo is the 企业号-era name of privateinfo; some SDKs still send it.
  const std::string scope = req.scope == "snsapi_userinfo" ? "snsapi_privateinfo" : req.scope;
  if (scope == "snsapi_privateinfo" && !agentid) {
    return MakeError(ErrorKind::kMissingAgentId, "snsapi_privateinfo needs the app's agentid");
  }

  AuthorizeCheck out;
  out.scope = scope;
  out.redirect_host = *authority;
  std::optional<apps::App> named;
  core::Status read = store_.Read([&](SsoUnit& u) -> core::Status {
    auto corpid = u.Sso().CorpId(org_id);
    if (!corpid) return std::move(corpid).error();
    if (req.appid != *corpid) {
      return MakeError(ErrorKind::kInvalidCorpId, "appid is not this organisation's corpid");
    }
    if (agentid) {
      auto app = u.Apps().FindByAgentid(org_id, *agentid);
      if (!app) return std::move(app).error();
      if (!*app) return MakeError(ErrorKind::kInvalidAgentId, "no app has this agentid");
      if ((*app)->closed) return MakeError(ErrorKind::kAppDisabled, "the app is closed");
      if (!Trusted((*app)->redirect_domain, *authority)) {
        return MakeError(ErrorKind::kRedirectUntrusted,
                         "redirect_uri's host " + *authority + " is not the app's trusted domain" +
                             ((*app)->redirect_domain.empty()
                                  ? std::string(" (it has none: set redirect_domain)")
                                  : " (" + (*app)->redirect_domain + ")"));
      }
      named = std::move(**app);
    } else {
      auto apps = u.Apps().List(org_id);
      if (!apps) return std::move(apps).error();
      const bool any = std::any_of(apps->begin(), apps->end(), [&](const apps::App& a) {
        return !a.closed && Trusted(a.redirect_domain, *authority);
      });
      if (!any) {
        return MakeError(ErrorKind::kRedirectUntrusted,
                         "redirect_uri's host " + *authority + " is no app's trusted domain");
      }
    }
    if (named && member_id != 0) {
      auto in = MemberInScope(org_id, *named, member_id, u);
      if (!in) return std::move(in).error();
      if (!*in) {
        return MakeError(ErrorKind::kOutOfAppScope, "the member is outside the app's scope");
      }
    }
    return core::Ok();
  });
  CORPHUB_TRY(read);
  if (named) {
    out.agentid = named->agentid;
    out.app_name = named->name;
    out.logo_media_id = named->logo_media_id;
  }
  return out;
}

core::Result<std::string> SsoService::Authorize(std::int64_t org_id, std::int64_t member_id,
                                                std::string_view device_id,
                                                const AuthorizeRequest& req) {
  auto checked = Check(org_id, member_id, req);
  if (!checked) return std::move(checked).error();
  const std::string code = crypto::RandomToken(kCodeChars);
  AuthCode c;
  c.code_hash = crypto::Sha256Hex(code);
  c.org_id = org_id;
  c.member_id = member_id;
  c.agentid = checked->agentid;
  c.scope = checked->scope;
  c.redirect_host = checked->redirect_host;
  c.device_id = std::string(device_id);
  const std::int64_t now = core::UnixMillis(clock_.Now());
  c.expires_at_ms = now + std::chrono::milliseconds(kCodeLife).count();
  core::Status written = store_.Write([&](SsoUnit& u) -> core::Status {
    CORPHUB_TRY(u.Sso().Purge(now));
    return u.Sso().InsertCode(c);
  });
  CORPHUB_TRY(written);
  return WithCode(req.redirect_uri, code, req.state);
}

core::Result<Redeemed> SsoService::Redeem(std::int64_t org_id, std::int64_t agentid,
                                          std::string_view code) {
  if (code.empty() || code.size() > 512) {
    return MakeError(ErrorKind::kInvalidOAuthCode, "invalid code");
  }
  const std::int64_t now = core::UnixMillis(clock_.Now());
  Redeemed out;
  std::string ticket;
  core::Status done = store_.Write([&](SsoUnit& u) -> core::Status {
    auto taken = u.Sso().TakeCode(crypto::Sha256Hex(code), now);
    if (!taken) return std::move(taken).error();
    if (!*taken || (*taken)->org_id != org_id) {
      return MakeError(ErrorKind::kInvalidOAuthCode,
                       "invalid code: unknown, used once already, or older than 5 minutes");
    }
    const AuthCode& c = **taken;
    if (c.agentid != 0 && c.agentid != agentid) {
      return MakeError(ErrorKind::kInvalidOAuthCode,
                       "invalid code: it was given for agentid " + std::to_string(c.agentid));
    }
    auto app = u.Apps().FindByAgentid(org_id, agentid);
    if (!app) return std::move(app).error();
    if (!*app) return MakeError(ErrorKind::kInvalidAgentId, "no app has this agentid");
    if (!Trusted((*app)->redirect_domain, c.redirect_host)) {
      return MakeError(
          ErrorKind::kRedirectUntrusted,
          "the code went to " + c.redirect_host + ", which is not this app's trusted domain");
    }
    auto in = MemberInScope(org_id, **app, c.member_id, u);
    if (!in) return std::move(in).error();
    if (!*in) return MakeError(ErrorKind::kOutOfAppScope, "the member is outside the app's scope");
    auto members = u.Members().FindByIds(org_id, {c.member_id});
    if (!members) return std::move(members).error();
    // A member holds a session only once signed in; a frozen one's sessions were ended.
    const auto status =
        members->empty() ? directory::MemberStatus::kLeft : members->front().Status();
    if (status == directory::MemberStatus::kLeft || status == directory::MemberStatus::kDisabled) {
      return MakeError(ErrorKind::kInvalidOAuthCode,
                       "invalid code: its member has left or was disabled since");
    }
    out.userid = members->front().userid;
    out.device_id = c.device_id;
    if (c.scope == "snsapi_privateinfo") {
      ticket = crypto::RandomToken(kTicketChars);
      UserTicket t;
      t.ticket_hash = crypto::Sha256Hex(ticket);
      t.org_id = org_id;
      t.member_id = c.member_id;
      t.agentid = agentid;
      t.expires_at_ms = now + std::chrono::milliseconds(kTicketLife).count();
      CORPHUB_TRY(u.Sso().InsertTicket(t));
    }
    return core::Ok();
  });
  // A refusal rolls the take back. A code refused for its domain or its member's scope is
  // spent all the same (its member's browser was sent off with it once); one that was another
  // app's stays for that app.
  if (!done) {
    if (done.error().kind != ErrorKind::kInvalidOAuthCode) {
      (void)store_.Write([&](SsoUnit& u) -> core::Status {
        auto taken = u.Sso().TakeCode(crypto::Sha256Hex(code), now);
        return taken ? core::Ok() : core::Status(std::move(taken).error());
      });
    }
    return std::move(done).error();
  }
  out.user_ticket = ticket;
  return out;
}

core::Result<directory::Member> SsoService::Detail(std::int64_t org_id, std::int64_t agentid,
                                                   std::string_view user_ticket) {
  const std::int64_t now = core::UnixMillis(clock_.Now());
  std::optional<directory::Member> member;
  core::Status read = store_.Read([&](SsoUnit& u) -> core::Status {
    auto found = u.Sso().FindTicket(crypto::Sha256Hex(user_ticket), now);
    if (!found) return std::move(found).error();
    if (!*found || (*found)->org_id != org_id || (*found)->agentid != agentid) {
      return MakeError(ErrorKind::kInvalidParameter,
                       "invalid user_ticket: unknown, older than 30 minutes, or another app's");
    }
    auto members = u.Members().FindByIds(org_id, {(*found)->member_id});
    if (!members) return std::move(members).error();
    if (members->empty()) return MakeError(ErrorKind::kUserNotFound, "the member has left");
    member = std::move(members->front());
    return core::Ok();
  });
  CORPHUB_TRY(read);
  return std::move(*member);
}

core::Result<std::pair<std::string, std::int64_t>> SsoService::JsapiTicketFor(
    std::int64_t org_id, std::int64_t agentid) {
  const std::int64_t now = core::UnixMillis(clock_.Now());
  std::optional<JsapiTicket> kept;
  CORPHUB_TRY(store_.Read([&](SsoUnit& u) -> core::Status {
    auto found = u.Sso().FindJsapiTicket(org_id, agentid, now);
    if (!found) return std::move(found).error();
    kept = std::move(*found);
    return core::Ok();
  }));
  if (!kept) {
    JsapiTicket t;
    t.org_id = org_id;
    t.agentid = agentid;
    t.ticket = crypto::RandomToken(kJsapiTicketChars);
    t.expires_at_ms = now + std::chrono::milliseconds(kJsapiTicketLife).count();
    core::Status written = store_.Write([&](SsoUnit& u) -> core::Status {
      auto put = u.Sso().PutJsapiTicket(t, now);
      if (!put) return std::move(put).error();
      kept = std::move(*put);
      return core::Ok();
    });
    CORPHUB_TRY(written);
  }
  return std::make_pair(kept->ticket,
                        std::max<std::int64_t>(0, (kept->expires_at_ms - now) / 1000));
}

}  // namespace corphub::sso
