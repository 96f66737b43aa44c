#pragma once
// Tags: a named set of members and departments that messages and admin scopes can target.
#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace corphub::directory {

struct Tag {
  std::int64_t org_id = 0;
  std::int64_t id = 0;  // positive
  std::string name;     // 1-32 characters, unique within the organisation
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

// A tagged member as tag/get answers it.
struct TaggedMember {
  std::int64_t member_id = 0;
  std::string userid;
  std::string name;
};

}  // namespace corphub::directory
