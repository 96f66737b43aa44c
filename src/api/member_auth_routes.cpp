// /api/v1/auth and /api/v1/sessions: a member proves their registered mobile or e-mail with a
// one-time code, which activates the account or signs the device in (docs/member-api.md);
// then sees their devices and ends them.
#include <boost/json/object.hpp>

#include "api/admin_request.hpp"
#include "api/member_request.hpp"
#include "api/member_routes.hpp"
#include "api/stream_hub.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/device_name.hpp"
#include "identity/member_password_service.hpp"
#include "identity/member_session_service.hpp"
#include "identity/verification_service.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

// 200 with the session's CSRF token and its cookie; 202 while an administrator has to confirm.
net::Response SignedIn(const identity::Verified& done, const net::Request& req) {
  if (done.outcome == identity::VerifyOutcome::kPending) {
    auto res = NoStoreJson(core::JsonObjectWriter()
                               .Str("result", "pending_approval")
                               .Str("userid", done.userid)
                               .Done());
    res.status = 202;
    return res;
  }
  auto res = NoStoreJson(
      core::JsonObjectWriter()
          .Str("result",
               done.outcome == identity::VerifyOutcome::kActivated ? "activated" : "signed_in")
          .Str("userid", done.userid)
          .Str("csrf_token", done.session->session.csrf_token)
          .Int("session_expires_at", core::UnixSeconds(done.session->session.expires_at))
          .Done());
  res.headers.emplace_back("Set-Cookie", MemberCookie(done.session->token, req.secure));
  return res;
}

net::Response ClearCookie(net::Response res) {
  res.headers.emplace_back(
      "Set-Cookie", std::string(kMemberCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return res;
}

}  // namespace

void AddMemberAuthRoutes(net::Router& router, core::WorkerPool& pool,
                         identity::VerificationService& verification,
                         identity::MemberSessionService& sessions,
                         identity::MemberPasswordService& passwords, StreamHub& hub,
                         const std::int64_t& org_id, std::string label) {
  MemberDeps auth{pool, sessions};

  router.Add("POST", "/api/v1/auth/code",
             [&pool, &verification, &org_id](net::Request& req) -> awaitable<net::Response> {
               auto body = JsonBody(req);
               if (!body) co_return AdminError(body.error());
               const std::string identifier = Field(*body, "identifier");
               auto sent = co_await core::Offload(pool, [&] {
                 return verification.SendCode(org_id, identifier, req.remote_address);
               });
               if (!sent) co_return AdminError(sent.error());
               co_return NoStoreJson(core::JsonObjectWriter()
                                         .Str("challenge", sent->challenge)
                                         .Str("channel", sent->channel)
                                         .Str("sent_to", sent->masked)
                                         .Int("expires_at", core::UnixSeconds(sent->expires_at))
                                         .Int("resend_after", sent->resend_after_s)
                                         .Done());
             });

  router.Add("POST", "/api/v1/auth/verify",
             [&pool, &verification](net::Request& req) -> awaitable<net::Response> {
               auto body = JsonBody(req);
               if (!body) co_return AdminError(body.error());
               const std::string challenge = Field(*body, "challenge");
               const std::string code = Field(*body, "code");
               const std::string device = identity::DeviceName(req.Header("user-agent"));
               auto done = co_await core::Offload(pool, [&] {
                 return verification.Verify(challenge, code, req.remote_address, device);
               });
               if (!done) co_return AdminError(done.error());
               co_return SignedIn(*done, req);
             });

  // The ways this server can sign a member in, for the sign-in page.
  router.Add("GET", "/api/v1/auth/methods",
             [&verification, label](net::Request&) -> awaitable<net::Response> {
               co_return NoStoreJson(
                   core::JsonObjectWriter()
                       .Bool("code", true)
                       .Bool("password", true)
                       .Bool("account", verification.HasAccountChecker())
                       .Str("account_label", verification.HasAccountChecker() ? label : "")
                       .Done());
             });

  // The external account id, proven by the organisation's account service.
  router.Add("POST", "/api/v1/auth/account",
             [&pool, &verification, &org_id](net::Request& req) -> awaitable<net::Response> {
               auto body = JsonBody(req);
               if (!body) co_return AdminError(body.error());
               const std::string account = Field(*body, "account");
               const std::string password = Field(*body, "password");
               const std::string device = identity::DeviceName(req.Header("user-agent"));
               auto done = co_await core::Offload(pool, [&] {
                 return verification.VerifyAccount(org_id, account, password, req.remote_address,
                                                   device);
               });
               if (!done) co_return AdminError(done.error());
               co_return SignedIn(*done, req);
             });

  // The optional password: a signed-in member sets it; another device then signs in with it.
  router.Add("POST", "/api/v1/auth/password",
             [&pool, &passwords, &org_id](net::Request& req) -> awaitable<net::Response> {
               auto body = JsonBody(req);
               if (!body) co_return AdminError(body.error());
               const std::string identifier = Field(*body, "identifier");
               const std::string password = Field(*body, "password");
               const std::string device = identity::DeviceName(req.Header("user-agent"));
               auto done = co_await core::Offload(pool, [&] {
                 return passwords.SignIn(org_id, identifier, password, req.remote_address, device);
               });
               if (!done) co_return AdminError(done.error());
               co_return SignedIn(*done, req);
             });

  router.Add(
      "GET", "/api/v1/password",
      MemberAuthed(auth,
                   [&pool, &passwords](const identity::MemberSession& s,
                                       net::Request&) -> awaitable<net::Response> {
                     auto has =
                         co_await core::Offload(pool, [&] { return passwords.Has(s.member_id); });
                     if (!has) co_return AdminError(has.error());
                     co_return NoStoreJson(core::JsonObjectWriter().Bool("set", *has).Done());
                   }));

  for (const char* path : {"/api/v1/password", "/api/v1/password/remove"}) {
    const bool remove = std::string_view(path).ends_with("/remove");
    router.Add(
        remove ? "POST" : "PUT", path,
        MemberAuthed(
            auth,
            [&pool, &passwords, &sessions, remove](const identity::MemberSession& s,
                                                   net::Request& req) -> awaitable<net::Response> {
              auto body = JsonBody(req);
              if (!body) co_return AdminError(body.error());
              const std::string current = Field(*body, "current");
              const std::string password = Field(*body, "password");
              auto done = co_await core::Offload(pool, [&]() -> core::Status {
                auto who = sessions.Profile(s);
                if (!who) return std::move(who).error();
                return remove ? passwords.Remove(s.org_id, s.member_id, who->userid, current,
                                                 req.remote_address)
                              : passwords.Set(s.org_id, s.member_id, who->userid, current, password,
                                              req.remote_address);
              });
              if (!done) co_return AdminError(done.error());
              co_return NoStoreJson(core::JsonObjectWriter().Bool("set", !remove).Done());
            }));
  }

  router.Add("POST", "/api/v1/logout",
             MemberAuthed(auth,
                          [&pool, &sessions, &hub](const identity::MemberSession& s,
                                                   net::Request&) -> awaitable<net::Response> {
                            auto ended = co_await core::Offload(
                                pool, [&] { return sessions.End(s.member_id, s.id); });
                            if (!ended) co_return AdminError(ended.error());
                            hub.Cut(*ended);
                            co_return ClearCookie(NoStoreJson("{\"ok\":true}"));
                          }));

  router.Add("GET", "/api/v1/sessions",
             MemberAuthed(auth,
                          [&pool, &sessions](const identity::MemberSession& s,
                                             net::Request&) -> awaitable<net::Response> {
                            auto list = co_await core::Offload(
                                pool, [&] { return sessions.List(s.member_id); });
                            if (!list) co_return AdminError(list.error());
                            co_return NoStoreJson(SessionsJson(*list, s.id));
                          }));

  router.Add("DELETE", "/api/v1/sessions/{id}",
             MemberAuthed(
                 auth,
                 [&pool, &sessions, &hub](const identity::MemberSession& s,
                                          net::Request& req) -> awaitable<net::Response> {
                   const std::string& raw = req.params["id"];
                   char* end = nullptr;
                   const long long id = std::strtoll(raw.c_str(), &end, 10);
                   if (raw.empty() || end != raw.c_str() + raw.size() || id <= 0) {
                     co_return AdminError(core::MakeError(ErrorKind::kNotFound, "no such session"));
                   }
                   auto ended =
                       co_await core::Offload(pool, [&] { return sessions.End(s.member_id, id); });
                   if (!ended) co_return AdminError(ended.error());
                   hub.Cut(*ended);
                   auto res = NoStoreJson("{\"ok\":true}");
                   co_return id == s.id ? ClearCookie(std::move(res)) : res;
                 }));

  router.Add("POST", "/api/v1/sessions/end_others",
             MemberAuthed(auth,
                          [&pool, &sessions, &hub](const identity::MemberSession& s,
                                                   net::Request&) -> awaitable<net::Response> {
                            auto ended = co_await core::Offload(pool, [&] {
                              return sessions.End(s.member_id, std::nullopt, s.id);
                            });
                            if (!ended) co_return AdminError(ended.error());
                            hub.Cut(*ended);
                            co_return NoStoreJson(EndedJson(*ended));
                          }));
}

}  // namespace corphub::api
