#include <fmt/format.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <memory>
#include <mutex>

#include "api/routes.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"

namespace corphub::api {
namespace {

// /healthz pings the database at most once a second, so a load balancer's probes and a
// benchmark do not turn into database traffic.
class HealthCheck {
 public:
  explicit HealthCheck(SystemDeps deps) : deps_(std::move(deps)) {}

  boost::asio::awaitable<net::Response> Handle(net::Request&) {
    auto now = deps_.clock.Now();
    auto checked = checked_at_.load();
    if (now.time_since_epoch().count() - checked > kPingEvery.count() || checked == 0) {
      auto status = co_await core::Offload(deps_.pool, [this] { return deps_.ping(); });
      std::lock_guard lock(mu_);
      ok_ = status.ok();
      reason_ = status.ok() ? "" : status.error().message;
      checked_at_.store(deps_.clock.Now().time_since_epoch().count());
    }
    bool ok = false;
    std::string reason;
    {
      std::lock_guard lock(mu_);
      ok = ok_;
      reason = reason_;
    }
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(now - deps_.started).count();
    std::string body = fmt::format(
        R"({{"status":"{}","version":"{}","storage":{{"backend":"{}","ok":{}{}}},"uptime_seconds":{}}})",
        ok ? "ok" : "unavailable", core::JsonEscape(deps_.version), deps_.backend,
        ok ? "true" : "false", ok ? "" : ",\"error\":\"" + core::JsonEscape(reason) + "\"", uptime);
    auto res = net::Response::Json(ok ? 200 : 503, std::move(body));
    res.Set("Cache-Control", "no-store");
    co_return res;
  }

 private:
  static constexpr std::chrono::nanoseconds kPingEvery = std::chrono::seconds(1);
  SystemDeps deps_;
  std::atomic<core::TimePoint::rep> checked_at_{0};
  std::mutex mu_;
  bool ok_ = false;
  std::string reason_;
};

// The "type" of a JSON object message; empty when it is not one.
std::string MessageType(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  const auto* type = value.as_object().if_contains("type");
  return type != nullptr && type->is_string() ? std::string(type->as_string()) : std::string();
}

}  // namespace

void AddSystemRoutes(net::Router& router, const SystemDeps& deps) {
  auto health = std::make_shared<HealthCheck>(deps);
  router.Add("GET", "/healthz", [health](net::Request& req) { return health->Handle(req); });
  net::Metrics* metrics = &deps.metrics;
  router.Add("GET", "/metrics", [metrics](net::Request&) -> boost::asio::awaitable<net::Response> {
    auto res = net::Response::Text(200, metrics->Render());
    res.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    co_return res;
  });
}

void AddStreamRoutes(net::Router& router, const std::string& version) {
  router.AddWebSocket("/api/v1/stream",
                      [version](net::Request&, net::WebSocket& ws) -> boost::asio::awaitable<void> {
                        if (!co_await ws.Write(R"({"type":"hello","version":")" +
                                               core::JsonEscape(version) + "\"}")) {
                          co_return;
                        }
                        while (auto message = co_await ws.Read()) {
                          // The client's keep-alive; anything else is not understood yet.
                          std::string reply = MessageType(*message) == "ping"
                                                  ? R"({"type":"pong"})"
                                                  : R"({"type":"error","code":"unknown_message"})";
                          if (!co_await ws.Write(reply)) co_return;
                        }
                      });
}

void AddCgiBinFallback(net::Router& router) {
  router.Add("*", "/cgi-bin/*", [](net::Request& req) -> boost::asio::awaitable<net::Response> {
    co_return net::Response::Json(
        200, R"({"errcode":48005,"errmsg":"api not found: )" + core::JsonEscape(req.path) + "\"}");
  });
}

}  // namespace corphub::api
