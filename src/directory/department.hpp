#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace corphub::directory {

inline constexpr std::int64_t kRootDepartmentId = 1;

struct Department {
  std::int64_t org_id = 0;
  std::int64_t id = 0;  // unique within the organisation; the root is 1
  std::string name;     // 1-64 characters, unique among its siblings
  std::string name_en;
  std::int64_t parent_id = 0;        // 0 for the root only
  std::int64_t order = 0;            // larger sorts first among siblings (WeCom's rule)
  std::vector<std::string> leaders;  // userids; filled in once members exist
  core::TimePoint created_at{};      // set by the service from its clock
  core::TimePoint updated_at{};
};

// department/create: the id is chosen (max + 1) when absent.
struct NewDepartment {
  std::string name;
  std::string name_en;
  std::int64_t parent_id = 0;
  std::int64_t order = 0;
  std::optional<std::int64_t> id;
};

// department/update: only the fields present change.
struct DepartmentChange {
  std::int64_t id = 0;
  std::optional<std::string> name;
  std::optional<std::string> name_en;
  std::optional<std::int64_t> parent_id;
  std::optional<std::int64_t> order;
};

}  // namespace corphub::directory
