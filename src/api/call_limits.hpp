#pragma once
// WeCom's frequency limits on /cgi-bin, with its figures by default: per organisation and API,
// 10,000 calls a minute and 150,000 an hour; per caller address and API, 20,000 a minute and
// 600,000 an hour. Going over a minute's limit blocks that key for 60 s, an hour's for an hour;
// the answer is 45009. Calls of one token principal at the same time are capped too (45033).
// In memory, per process: several nodes each count their own.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "core/result.hpp"

namespace corphub::api {

struct CallLimitSettings {
  std::int64_t corp_per_minute = 10000;
  std::int64_t corp_per_hour = 150000;
  std::int64_t ip_per_minute = 20000;
  std::int64_t ip_per_hour = 600000;
  std::int64_t max_concurrent = 200;  // one principal's calls in flight
};

class CallLimits {
 public:
  CallLimits(CallLimitSettings settings, const core::Clock& clock);

  // Counts the call, or answers 45009 (kRateLimited) while a key of it is over its limit.
  core::Status Admit(std::int64_t org_id, std::string_view address, std::string_view api);

  // A call in flight for `principal`; Leave when it is done.
  core::Status Enter(const std::string& principal);  // 45033 (kTooManyConcurrent) at the cap
  void Leave(const std::string& principal);

 private:
  struct Rule {
    core::WindowLimiter limiter;
    std::chrono::seconds block;
  };
  core::Status Check(Rule& rule, const std::string& key, core::TimePoint now);

  CallLimitSettings settings_;
  const core::Clock& clock_;
  Rule corp_minute_, corp_hour_, ip_minute_, ip_hour_;
  std::mutex mu_;
  std::unordered_map<std::string, core::TimePoint> blocked_;  // key → blocked until
  std::unordered_map<std::string, std::int64_t> in_flight_;
};

}  // namespace corphub::api
