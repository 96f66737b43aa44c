// WeCom's OAuth2 for apps' web pages and the JS-SDK tickets (reference §7):
//   GET /connect/oauth2/authorize            → the member client's /sso/authorize screen
//   GET|POST /api/v1/sso/authorize            what it shows, and the code it sends the browser on
//   with GET /cgi-bin/auth/getuserinfo?code=       userid (+ user_ticket with snsapi_privateinfo)
//   GET /cgi-bin/user/getuserinfo?code=       the same, with the legacy CamelCase keys
//   POST /cgi-bin/auth/getuserdetail          the member's details for a user_ticket
//   GET /cgi-bin/get_jsapi_ticket             the organisation's JS-SDK ticket (wx.config)
//   GET /cgi-bin/ticket/get?type=agent_config the app's (wx.agentConfig)
// The authorize screen is the member client's, so the member's session cookie (SameSite=Strict,
// which a navigation from the app's site does not carry) is read by its own same-site request.
#include <boost/json/object.hpp>

#include "api/admin_request.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/member_request.hpp"
#include "api/member_routes.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "sso/sso_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;

// The request's fields, from the query (GET) or the JSON body (POST): the same names.
template <class Get>
sso::AuthorizeRequest RequestOf(Get get) {
  return sso::AuthorizeRequest{get("appid"), get("redirect_uri"), get("response_type"),
                               get("scope"), get("agentid"),      get("state")};
}

sso::AuthorizeRequest FromQuery(const net::Request& req) {
  return RequestOf([&](std::string_view key) { return StringQuery(req, key); });
}

sso::AuthorizeRequest FromBody(const json::object& body) {
  return RequestOf([&](std::string_view key) { return Field(body, key); });
}

core::Status AppToken(const corp::Principal& who) {
  if (!who.IsApp()) {
    return MakeError(ErrorKind::kApiForbidden,
                     "OAuth2 codes are redeemed with an app's access_token, not the "
                     "contacts-sync secret's");
  }
  return core::Ok();
}

}  // namespace

void AddSsoRoutes(net::Router& router, CgiBinDeps deps, MemberDeps members, sso::SsoService& sso) {
  core::WorkerPool& pool = deps.pool;

  // WeCom's authorize URL ends in #wechat_redirect, which never reaches a server; the query is
  // handed on as it came.
  router.Add("GET", "/connect/oauth2/authorize", [](net::Request& req) -> awaitable<net::Response> {
    net::Response res;
    res.status = 302;
    res.headers.emplace_back("Location", "/sso/authorize?" + req.query);
    res.headers.emplace_back("Cache-Control", "no-store");
    co_return res;
  });

  router.Add(
      "GET", "/api/v1/sso/authorize",
      MemberAuthed(
          members,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            const sso::AuthorizeRequest r = FromQuery(req);
            auto checked =
                co_await core::Offload(pool, [&] { return sso.Check(s.org_id, s.member_id, r); });
            if (!checked) co_return AdminError(checked.error());
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .Int("agentid", checked->agentid)
                                      .Str("app_name", checked->app_name)
                                      .Str("logo_url", checked->logo_media_id.empty()
                                                           ? ""
                                                           : "/media/img/" + checked->logo_media_id)
                                      .Str("scope", checked->scope)
                                      .Str("redirect_host", checked->redirect_host)
                                      .Done());
          }));

  router.Add(
      "POST", "/api/v1/sso/authorize",
      MemberAuthed(
          members,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            auto body = JsonBody(req);
            if (!body) co_return AdminError(body.error());
            const sso::AuthorizeRequest r = FromBody(*body);
            auto url = co_await core::Offload(pool, [&] {
              return sso.Authorize(s.org_id, s.member_id, std::to_string(s.id), r);
            });
            if (!url) co_return AdminError(url.error());
            co_return NoStoreJson(core::JsonObjectWriter().Str("redirect_url", *url).Done());
          }));

  auto redeem = [&](bool legacy) {
    return Authed(
        deps,
        [&, legacy](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
          if (auto ok = AppToken(who); !ok) co_return WecomError(ok.error());
          const std::string code = StringQuery(req, "code");
          if (code.empty()) {
            co_return WecomError(MakeError(ErrorKind::kInvalidOAuthCode, "code missing"));
          }
          auto done = co_await core::Offload(
              pool, [&] { return sso.Redeem(who.org_id, who.agentid, code); });
          if (!done) co_return WecomError(done.error());
          json::object out;
          if (legacy) {
            out["UserId"] = done->userid;
            out["DeviceId"] = done->device_id;
          } else {
            out["userid"] = done->userid;
          }
          if (!done->user_ticket.empty()) {
            out["user_ticket"] = done->user_ticket;
            out["expires_in"] =
                std::chrono::duration_cast<std::chrono::seconds>(sso::SsoService::kTicketLife)
                    .count();
          }
          co_return WecomOk(ObjectMembers(out));
        });
  };
  for (const char* method : {"GET", "POST"}) {
    router.Add(method, "/cgi-bin/auth/getuserinfo", redeem(false));
    router.Add(method, "/cgi-bin/user/getuserinfo", redeem(true));
  }

  router.Add(
      "POST", "/cgi-bin/auth/getuserdetail",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        if (auto ok = AppToken(who); !ok) co_return WecomError(ok.error());
        auto body = ParseObject(req.body);
        if (!body) co_return WecomError(body.error());
        auto ticket = StringField(*body, "user_ticket");
        if (!ticket) co_return WecomError(ticket.error());
        if (!*ticket || (*ticket)->empty()) {
          co_return WecomError(MakeError(ErrorKind::kInvalidParameter, "user_ticket missing"));
        }
        auto member = co_await core::Offload(
            pool, [&] { return sso.Detail(who.org_id, who.agentid, **ticket); });
        if (!member) co_return WecomError(member.error());
        co_return WecomOk(ObjectMembers(json::object{
            {"userid", member->userid},
            {"gender", std::to_string(member->gender)},
            {"avatar", member->avatar},
            {"qr_code", ""},
            {"mobile", member->mobile},
            {"email", member->email},
            {"biz_mail", member->biz_mail},
            {"address", member->address},
        }));
      }));

  auto ticket_json = [](const std::pair<std::string, std::int64_t>& t) {
    return ObjectMembers(json::object{{"ticket", t.first}, {"expires_in", t.second}});
  };
  auto corp_ticket = Authed(
      deps,
      [&, ticket_json](const corp::Principal& who, net::Request&) -> awaitable<net::Response> {
        if (auto ok = AppToken(who); !ok) co_return WecomError(ok.error());
        auto t = co_await core::Offload(pool, [&] { return sso.JsapiTicketFor(who.org_id, 0); });
        if (!t) co_return WecomError(t.error());
        co_return WecomOk(ticket_json(*t));
      });
  router.Add("GET", "/cgi-bin/get_jsapi_ticket", corp_ticket);
  router.Add("POST", "/cgi-bin/get_jsapi_ticket", corp_ticket);
  auto app_ticket = Authed(
      deps,
      [&, ticket_json](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        if (auto ok = AppToken(who); !ok) co_return WecomError(ok.error());
        if (StringQuery(req, "type") != "agent_config") {
          co_return WecomError(
              MakeError(ErrorKind::kInvalidParameter, "type must be agent_config"));
        }
        auto t = co_await core::Offload(
            pool, [&] { return sso.JsapiTicketFor(who.org_id, who.agentid); });
        if (!t) co_return WecomError(t.error());
        co_return WecomOk(ticket_json(*t));
      });
  router.Add("GET", "/cgi-bin/ticket/get", app_ticket);
  router.Add("POST", "/cgi-bin/ticket/get", app_ticket);
}

}  // namespace corphub::api
