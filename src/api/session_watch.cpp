#include "api/session_watch.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "api/stream_hub.hpp"
#include "core/log.hpp"
#include "core/thread_role.hpp"
#include "identity/member_session_service.hpp"

namespace corphub::api {

core::Result<std::size_t> SessionWatch::Sweep() {
  std::vector<std::int64_t> open = hub_.Sessions();
  if (open.empty()) return std::size_t{0};
  auto live = sessions_.Live(open);
  if (!live) return std::move(live).error();
  std::sort(live->begin(), live->end());
  std::vector<std::int64_t> ended;
  std::set_difference(open.begin(), open.end(), live->begin(), live->end(),
                      std::back_inserter(ended));
  hub_.Cut(ended);
  return ended.size();
}

void SessionWatch::Start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    core::NameThread("corphub-watch");
    auto log = core::Logger("identity");
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    std::int64_t seen = -1;
    auto last_full = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
      cv.wait_for(lock, stop, every_, [] { return false; });
      if (stop.stop_requested()) break;
      if (hub_.Connections() == 0) continue;
      auto version = version_();
      const auto now = std::chrono::steady_clock::now();
      const bool moved = version && *version != seen;
      if (!moved && now - last_full < std::chrono::minutes(1)) continue;
      if (version) seen = *version;
      last_full = now;
      auto swept = Sweep();
      if (!swept) {
        log->warn("cannot check the open streams' sessions: {}", swept.error().message);
      } else if (*swept > 0) {
        log->info("closed the streams of {} ended sessions", *swept);
      }
    }
  });
}

void SessionWatch::Stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

}  // namespace corphub::api
