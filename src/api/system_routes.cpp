#include <fmt/format.h>

#include <atomic>
#include <memory>

#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"

namespace corphub::api {
namespace {

// /healthz pings the database at most once a second, and only one ping is in flight at a time,
// so a load balancer's probes (or a benchmark) never turn into database traffic, even when the
// database is slow. Callers meanwhile get the last result. The reason for a failure is logged,
// not shown: this endpoint is public.
class HealthCheck {
 public:
  explicit HealthCheck(SystemDeps deps) : deps_(std::move(deps)), log_(core::Logger("app")) {}

  boost::asio::awaitable<net::Response> Handle(net::Request&) {
    auto now = SteadyNow();
    auto checked = checked_at_.load();
    if (checked == 0 || now - checked > kPingEvery) {
      bool expected = false;
      bool claimed = in_flight_.compare_exchange_strong(expected, true);
      // Before the first result there is nothing to answer with, so everyone waits for one.
      if (claimed || checked == 0) {
        auto status = co_await core::Offload(deps_.pool, [this] { return deps_.ping(); });
        bool was_ok = ok_.exchange(status.ok());
        if (!status.ok() && (was_ok || checked == 0)) {
          log_->warn("health check: database unavailable: {}", status.error().message);
        }
        checked_at_.store(SteadyNow());
        if (claimed) in_flight_.store(false);
      }
    }
    bool ok = ok_.load();
    auto uptime =
        std::chrono::duration_cast<std::chrono::seconds>(deps_.clock.Now() - deps_.started).count();
    std::string body = fmt::format(
        R"({{"status":"{}","version":"{}","storage":{{"backend":"{}","ok":{}{}}},"uptime_seconds":{}}})",
        ok ? "ok" : "unavailable", core::JsonEscape(deps_.version), deps_.backend,
        ok ? "true" : "false", ok ? "" : R"(,"error":"database unavailable")", uptime);
    auto res = net::Response::Json(ok ? 200 : 503, std::move(body));
    res.Set("Cache-Control", "no-store");
    co_return res;
  }

 private:
  static constexpr std::int64_t kPingEvery =
      std::chrono::nanoseconds(std::chrono::seconds(1)).count();
  static std::int64_t SteadyNow() {
    return std::chrono::steady_clock::now().time_since_epoch().count();
  }

  SystemDeps deps_;
  std::shared_ptr<spdlog::logger> log_;
  std::atomic<std::int64_t> checked_at_{0};
  std::atomic<bool> in_flight_{false};
  std::atomic<bool> ok_{false};
};

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

void AddCgiBinFallback(net::Router& router) {
  router.Add("*", "/cgi-bin/*", [](net::Request& req) -> boost::asio::awaitable<net::Response> {
    co_return WecomError(
        core::MakeError(core::ErrorKind::kApiNotFound, "api not found: " + req.path));
  });
}

}  // namespace corphub::api
