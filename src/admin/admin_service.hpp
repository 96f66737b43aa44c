#pragma once
// Administrator accounts: the first super admin made on first start, and `corphub admin create`.
#include <optional>
#include <string>
#include <string_view>

#include "admin/admin_repository.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "crypto/password.hpp"

namespace corphub::admin {

struct Login {
  std::string username;
  std::string password;  // generated; shown once, stored only as a hash
};

class AdminService {
 public:
  static constexpr std::string_view kFirstUsername = "admin";
  static constexpr std::size_t kGeneratedPasswordChars = 20;
  static constexpr std::size_t kMinPasswordChars = 10;

  AdminService(core::Transactor<AdminUnit>& store, const core::Clock& clock, core::IdGenerator& ids,
               const crypto::PasswordHasher& hasher)
      : store_(store), clock_(clock), ids_(ids), hasher_(hasher) {}

  // When there is no administrator yet, creates super admin "admin" with a random password and
  // returns its login; otherwise (or when another process won the race) returns nullopt.
  core::Result<std::optional<Login>> EnsureFirstSuperAdmin();

  // A super admin with the given password. kInvalidArgument for a bad username or password,
  // kAlreadyExists when the username is taken.
  core::Result<std::int64_t> CreateSuperAdmin(std::string_view username, std::string_view password);

  static core::Status ValidateUsername(std::string_view username);
  static core::Status ValidatePassword(std::string_view password);

 private:
  core::Result<std::int64_t> Insert(AdminAccount account);

  core::Transactor<AdminUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const crypto::PasswordHasher& hasher_;
};

}  // namespace corphub::admin
