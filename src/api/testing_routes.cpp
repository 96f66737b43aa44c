#include "api/routes.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "core/qr_code.hpp"
#include "diagnostics/probe_service.hpp"
#include "net/router.hpp"
#include "office/png.hpp"

namespace corphub::api {

void AddTestingRoutes(net::Router& router, core::WorkerPool& pool,
                      diagnostics::ProbeService& probes) {
  // Every route the server has (method and pattern), so a test can check each of them.
  router.Add("GET", "/testing/routes",
             [&router](net::Request&) -> boost::asio::awaitable<net::Response> {
               std::vector<std::string> items;
               for (const auto& [method, pattern] : router.Patterns()) {
                 items.push_back(
                     core::JsonObjectWriter().Str("method", method).Str("pattern", pattern).Done());
               }
               co_return net::Response::Json(
                   200, core::JsonObjectWriter().RawArray("routes", items).Done());
             });
  // Any text as a QR code PNG (the request body), so tests can scan every version corphub draws.
  router.Add("POST", "/testing/qr", [](net::Request& req) -> boost::asio::awaitable<net::Response> {
    auto qr = core::QrCode::Encode(req.body);
    if (!qr) co_return net::Response::Error(qr.error());
    net::Response res;
    res.status = 200;
    res.Set("Content-Type", "image/png");
    res.Set("X-QR-Version", std::to_string(qr->Version()));
    res.body = office::QrPng(*qr, 400);
    co_return res;
  });
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
