// POST /testing/member-session {"userid":"..."}: opens a member session without activation, for
// tests (testing.enabled only) until the identity issue brings real sign-in. Answers the cookie
// and, in the body, the token and the CSRF token.
#include "api/admin_request.hpp"
#include "api/member_request.hpp"
#include "api/routes.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/member_session_service.hpp"
#include "net/router.hpp"

namespace corphub::api {

void AddTestingMemberRoutes(net::Router& router, core::WorkerPool& pool,
                            identity::MemberSessionService& sessions, const std::int64_t& org_id) {
  router.Add(
      "POST", "/testing/member-session",
      [&pool, &sessions, &org_id](net::Request& req) -> boost::asio::awaitable<net::Response> {
        auto body = AdminBody(req);
        if (!body) co_return AdminError(body.error());
        const auto* userid = body->if_contains("userid");
        if (userid == nullptr || !userid->is_string()) {
          co_return AdminError(
              core::MakeError(core::ErrorKind::kInvalidArgument, "userid missing"));
        }
        const std::string id(userid->as_string());
        auto opened = co_await core::Offload(
            pool, [&] { return sessions.Open(org_id, id, req.remote_address); });
        if (!opened) co_return AdminError(opened.error());
        auto res = net::Response::Json(200, core::JsonObjectWriter()
                                                .Str("token", opened->token)
                                                .Str("csrf_token", opened->session.csrf_token)
                                                .Int("member_id", opened->session.member_id)
                                                .Done());
        res.headers.emplace_back("Set-Cookie", MemberCookie(opened->token, req.secure));
        co_return res;
      });
}

}  // namespace corphub::api
