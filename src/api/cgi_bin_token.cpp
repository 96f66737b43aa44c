// /cgi-bin/gettoken: GET (as WeCom documents it) or POST with the same query parameters, since
// SDKs differ. Always HTTP 200; errors carry WeCom's errcode.
#include <fmt/format.h>

#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/offload.hpp"
#include "corp/token_service.hpp"
#include "net/router.hpp"

namespace corphub::api {

void AddCgiBinTokenRoutes(net::Router& router, core::WorkerPool& pool, corp::TokenService& tokens) {
  auto handler = [&pool, &tokens](net::Request& req) -> boost::asio::awaitable<net::Response> {
    std::string corpid = req.Query("corpid").value_or("");
    std::string secret = req.Query("corpsecret").value_or("");
    auto issued = co_await core::Offload(pool, [&] { return tokens.Issue(corpid, secret); });
    if (!issued) co_return WecomError(issued.error());
    co_return WecomOk(fmt::format(R"("access_token":"{}","expires_in":{})", issued->access_token,
                                  issued->expires_in));
  };
  router.Add("GET", "/cgi-bin/gettoken", handler);
  router.Add("POST", "/cgi-bin/gettoken", handler);
}

}  // namespace corphub::api
