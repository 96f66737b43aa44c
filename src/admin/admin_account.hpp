#pragma once
#include <cstdint>
#include <string>

#include "admin/admin_group.hpp"
#include "core/clock.hpp"

namespace corphub::admin {

// A super admin may do everything; a scoped one what their admin groups allow.
enum class AdminRole { kSuper, kScoped };

struct AdminAccount {
  std::int64_t id = 0;        // assigned by the store
  std::string username;       // unique, 3-64 of [A-Za-z0-9._-]
  std::string password_hash;  // argon2id string; the password itself is never stored
  AdminRole role = AdminRole::kSuper;
  bool must_change_password = false;  // set for generated first passwords
  core::TimePoint created_at{};
  std::int64_t failed_logins = 0;   // wrong passwords since the last login or lock
  core::TimePoint locked_until{};   // no login before this
  std::string totp_secret;          // base32; set once TOTP is on (then every login asks a code)
  std::string totp_pending;         // base32; shown during enrolment, until confirmed by a code
  std::int64_t totp_last_step = 0;  // the last TOTP step used: no code works twice
};

// A console session: the cookie holds a random token, the store only its hash.
struct AdminSession {
  std::int64_t id = 0;
  std::int64_t admin_id = 0;
  std::string token_hash;  // SHA-256 hex of the token
  std::string csrf_token;  // sent back by the console in X-CSRF-Token on every write
  std::string address;     // where it logged in from
  core::TimePoint created_at{};
  core::TimePoint last_seen_at{};
  core::TimePoint expires_at{};
  AdminAccount admin;  // filled by lookups
  Rights rights;       // filled by SessionService::Authenticate
};

}  // namespace corphub::admin
