#include "api/routes.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "diagnostics/probe_service.hpp"
#include "net/router.hpp"

namespace corphub::api {

void AddTestingRoutes(net::Router& router, core::WorkerPool& pool,
                      diagnostics::ProbeService& probes) {
  router.Add("POST", "/testing/probe",
             [&pool, &probes](net::Request& req) -> boost::asio::awaitable<net::Response> {
               std::string key = req.Query("key").value_or("");
               auto status =
                   co_await core::Offload(pool, [&] { return probes.Write(key, req.body); });
               if (!status) {
                 co_return net::Response::Error(status.error());
               }
               co_return net::Response::Json(200, R"({"ok":true})");
             });
  router.Add("GET", "/testing/probe/count",
             [&pool, &probes](net::Request&) -> boost::asio::awaitable<net::Response> {
               auto count = co_await core::Offload(pool, [&] { return probes.Count(); });
               if (!count) {
                 co_return net::Response::Error(count.error());
               }
               co_return net::Response::Json(200, "{\"count\":" + std::to_string(*count) + "}");
             });
  router.Add("GET", "/testing/probe/keys",
             [&pool, &probes](net::Request&) -> boost::asio::awaitable<net::Response> {
               auto keys = co_await core::Offload(pool, [&] { return probes.Keys(); });
               if (!keys) {
                 co_return net::Response::Error(keys.error());
               }
               std::string body = "{\"keys\":[";
               for (std::size_t i = 0; i < keys->size(); ++i) {
                 body += (i ? ",\"" : "\"") + core::JsonEscape((*keys)[i]) + "\"";
               }
               co_return net::Response::Json(200, body + "]}");
             });
}

}  // namespace corphub::api
