#include "api/routes.hpp"
#include "core/offload.hpp"
#include "diagnostics/probe_service.hpp"
#include "net/router.hpp"

namespace corphub::api {

void AddTestingRoutes(net::Router& router, core::WorkerPool& pool,
                      diagnostics::ProbeService& probes) {
  router.Add("POST", "/testing/probe",
             [&pool, &probes](net::Request& req) -> boost::asio::awaitable<net::Response> {
               std::string key = req.Query("key").value_or("");
               auto status = co_await core::Offload(
                   pool, [&] { return probes.Write(key, req.body); });
               if (!status) {
                 co_return net::Response::Error(status.error().HttpStatus(),
                                                status.error().Code(), status.error().message);
               }
               co_return net::Response::Json(200, R"({"ok":true})");
             });
  router.Add("GET", "/testing/probe/count",
             [&pool, &probes](net::Request&) -> boost::asio::awaitable<net::Response> {
               auto count = co_await core::Offload(pool, [&] { return probes.Count(); });
               if (!count) {
                 co_return net::Response::Error(count.error().HttpStatus(), count.error().Code(),
                                                count.error().message);
               }
               co_return net::Response::Json(200, "{\"count\":" + std::to_string(*count) + "}");
             });
}

}  // namespace corphub::api
