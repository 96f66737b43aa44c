#pragma once
#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace corphub::admin {

enum class AdminRole { kSuper };

struct AdminAccount {
  std::int64_t id = 0;        // assigned by the store
  std::string username;       // unique, 3-64 of [A-Za-z0-9._-]
  std::string password_hash;  // argon2id string; the password itself is never stored
  AdminRole role = AdminRole::kSuper;
  bool must_change_password = false;  // set for generated first passwords
  core::TimePoint created_at{};
};

}  // namespace corphub::admin
