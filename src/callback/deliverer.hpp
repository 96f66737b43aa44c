#pragma once
// The callback deliverer: turns new contact events into deliveries for the callbacks that want
// them, and sends due deliveries (sealed and signed as WeCom does, reference §8) to their
// apps' URLs, many at once. A delivery is done when its receiver answers HTTP 200 within the
// timeout; otherwise it is tried again after a backoff that doubles, up to max_attempts, then
// kept as failed for the console's "retry now". One member's deliveries of one app go out in
// the order they were made. Every node may run one: a delivery is leased while it is in flight.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "callback/callback.hpp"
#include "callback/http_sender.hpp"
#include "core/clock.hpp"
#include "core/transactor.hpp"
#include "directory/scope_index.hpp"

namespace corphub::callback {

struct DelivererOptions {
  std::chrono::milliseconds timeout{5000};
  std::chrono::milliseconds retry_base{1000};
  std::chrono::milliseconds retry_max{600000};
  int max_attempts = 15;
  std::size_t batch = 256;
  std::chrono::milliseconds lease{60000};
  std::chrono::milliseconds idle_poll{500};  // how often to look when there was nothing to do
};

// The wait before attempt `attempts + 1`, `attempts` ≥ 1 having failed.
std::chrono::milliseconds Backoff(const DelivererOptions& o, int attempts);

class Deliverer {
 public:
  Deliverer(core::Transactor<CallbackUnit>& store, directory::ScopeResolver& scopes,
            const core::Clock& clock, std::unique_ptr<HttpSender> sender, DelivererOptions options);
  ~Deliverer();

  void Start();
  void Stop();
  // Something may be due now (a new delivery, a retry asked for).
  void Wake();

  // One round: new contact events into deliveries, then one batch sent. How many were sent.
  core::Result<std::size_t> RunOnce();

 private:
  core::Status Dispatch();
  core::Status DispatchOrg(std::int64_t org);
  void Loop();

  core::Transactor<CallbackUnit>& store_;
  directory::ScopeResolver& scopes_;
  const core::Clock& clock_;
  std::unique_ptr<HttpSender> sender_;
  DelivererOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::int64_t soonest_retry_ms_ = 0;  // the earliest retry the last round set (0: none)
  std::thread thread_;
};

}  // namespace corphub::callback
