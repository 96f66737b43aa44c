#include "api/call_limits.hpp"

namespace corphub::api {
namespace {

constexpr std::size_t kMaxBlocked = 100000;

}  // namespace

CallLimits::CallLimits(CallLimitSettings settings, const core::Clock& clock)
    : settings_(settings),
      clock_(clock),
      corp_minute_{core::WindowLimiter(settings.corp_per_minute, std::chrono::minutes(1)),
                   std::chrono::minutes(1)},
      corp_hour_{core::WindowLimiter(settings.corp_per_hour, std::chrono::hours(1)),
                 std::chrono::hours(1)},
      ip_minute_{core::WindowLimiter(settings.ip_per_minute, std::chrono::minutes(1)),
                 std::chrono::minutes(1)},
      ip_hour_{core::WindowLimiter(settings.ip_per_hour, std::chrono::hours(1)),
               std::chrono::hours(1)} {}

core::Status CallLimits::Check(Rule& rule, const std::string& key, core::TimePoint now) {
  {
    std::lock_guard lock(mu_);
    if (auto it = blocked_.find(key); it != blocked_.end()) {
      if (it->second > now) {
        return core::MakeError(core::ErrorKind::kRateLimited,
                               "api freq out of limit: " + key + " is blocked for a while");
      }
      blocked_.erase(it);
    }
  }
  if (rule.limiter.RetryAfter(key, now) == 0) return core::Ok();
  std::lock_guard lock(mu_);
  if (blocked_.size() >= kMaxBlocked) {
    std::erase_if(blocked_, [&](const auto& e) { return e.second <= now; });
  }
  blocked_[key] = now + rule.block;
  return core::MakeError(core::ErrorKind::kRateLimited, "api freq out of limit: " + key);
}

core::Status CallLimits::Admit(std::int64_t org_id, std::string_view address,
                               std::string_view api) {
  const auto now = clock_.Now();
  const std::string corp = "corp " + std::to_string(org_id) + " " + std::string(api);
  const std::string ip = "ip " + std::string(address) + " " + std::string(api);
  CORPHUB_TRY(Check(corp_minute_, corp + " /min", now));
  CORPHUB_TRY(Check(corp_hour_, corp + " /h", now));
  CORPHUB_TRY(Check(ip_minute_, ip + " /min", now));
  CORPHUB_TRY(Check(ip_hour_, ip + " /h", now));
  corp_minute_.limiter.Count(corp + " /min", now);
  corp_hour_.limiter.Count(corp + " /h", now);
  ip_minute_.limiter.Count(ip + " /min", now);
  ip_hour_.limiter.Count(ip + " /h", now);
  return core::Ok();
}

core::Status CallLimits::Enter(const std::string& principal) {
  std::lock_guard lock(mu_);
  std::int64_t& n = in_flight_[principal];
  if (n >= settings_.max_concurrent) {
    return core::MakeError(core::ErrorKind::kTooManyConcurrent,
                           "too many concurrent calls of " + principal);
  }
  ++n;
  return core::Ok();
}

void CallLimits::Leave(const std::string& principal) {
  std::lock_guard lock(mu_);
  auto it = in_flight_.find(principal);
  if (it == in_flight_.end()) return;
  if (--it->second <= 0) in_flight_.erase(it);
}

}  // namespace corphub::api
