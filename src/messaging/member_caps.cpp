#include "messaging/member_caps.hpp"

#include <algorithm>

namespace corphub::messaging {

void MemberCaps::Admit(std::int64_t agentid, std::vector<std::int64_t>& member_ids,
                       core::TimePoint now) {
  std::lock_guard lock(mu_);
  if (counts_.size() + member_ids.size() > kMaxKeys) {
    std::erase_if(counts_, [&](const auto& e) { return e.second.hour_ends <= now; });
  }
  const auto app = static_cast<std::uint64_t>(agentid) << 40;
  std::erase_if(member_ids, [&](std::int64_t id) {
    const std::uint64_t key = app ^ static_cast<std::uint64_t>(id);
    auto it = counts_.find(key);
    if (it == counts_.end()) {
      if (counts_.size() >= kMaxKeys) return false;
      it = counts_.emplace(key, Count{now + std::chrono::minutes(1), now + std::chrono::hours(1)})
               .first;
    }
    Count& c = it->second;
    if (c.minute_ends <= now) c = Count{now + std::chrono::minutes(1), c.hour_ends, 0, c.hour};
    if (c.hour_ends <= now) {
      c.hour_ends = now + std::chrono::hours(1);
      c.hour = 0;
    }
    if (c.minute >= per_minute_ || c.hour >= per_hour_) return true;
    ++c.minute;
    ++c.hour;
    return false;
  });
}

}  // namespace corphub::messaging
