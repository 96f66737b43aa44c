#pragma once
// Counts events per key in fixed windows (an address's code requests, say) and says when a key
// has used its allowance. Bounded: past max_keys, keys whose window has ended are forgotten,
// and if none has, new keys are let through uncounted rather than letting memory grow.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace corphub::core {

class WindowLimiter {
 public:
  WindowLimiter(std::int64_t limit, std::chrono::seconds window, std::size_t max_keys = 100000)
      : limit_(limit), window_(window), max_keys_(max_keys) {}

  // Zero while the key may go on; else the seconds until its window ends.
  std::int64_t RetryAfter(const std::string& key, TimePoint now) {
    std::lock_guard lock(mu_);
    auto it = counts_.find(key);
    if (it == counts_.end() || it->second.ends <= now || it->second.count < limit_) return 0;
    return std::max<std::int64_t>(
        1, std::chrono::ceil<std::chrono::seconds>(it->second.ends - now).count());
  }

  // Counts one event of the key.
  void Count(const std::string& key, TimePoint now) {
    std::lock_guard lock(mu_);
    auto it = counts_.find(key);
    if (it == counts_.end()) {
      if (counts_.size() >= max_keys_) {
        std::erase_if(counts_, [&](const auto& e) { return e.second.ends <= now; });
        if (counts_.size() >= max_keys_) return;
      }
      it = counts_.emplace(key, Window{now + window_, 0}).first;
    }
    if (it->second.ends <= now) it->second = Window{now + window_, 0};
    ++it->second.count;
  }

 private:
  struct Window {
    TimePoint ends;
    std::int64_t count = 0;
  };
  const std::int64_t limit_;
  const std::chrono::seconds window_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> counts_;
};

}  // namespace corphub::core
