#pragma once
// WeCom's caps on what one app sends one member: 30 messages a minute and 1000 an hour. Past
// them the member quietly gets no more from that app until the window turns; the send still
// succeeds for everyone else. Counted in memory, per process.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"

namespace corphub::messaging {

class MemberCaps {
 public:
  static constexpr std::size_t kMaxKeys = 1'000'000;  // past it, new members go uncounted

  MemberCaps(std::int64_t per_minute, std::int64_t per_hour)
      : per_minute_(per_minute), per_hour_(per_hour) {}

  // Keeps those of `member_ids` (ascending) the app may still send to now, and counts them.
  void Admit(std::int64_t agentid, std::vector<std::int64_t>& member_ids, core::TimePoint now);

 private:
  struct Count {
    core::TimePoint minute_ends, hour_ends;
    std::int32_t minute = 0, hour = 0;
  };
  const std::int64_t per_minute_, per_hour_;
  std::mutex mu_;
  std::unordered_map<std::uint64_t, Count> counts_;  // by (agentid, member id)
};

}  // namespace corphub::messaging
