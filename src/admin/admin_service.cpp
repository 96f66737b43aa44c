#include "admin/admin_service.hpp"

namespace corphub::admin {

using core::ErrorKind;

core::Status AdminService::ValidateUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 64) {
    return core::MakeError(ErrorKind::kInvalidArgument, "username must be 3 to 64 characters long");
  }
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) {
      return core::MakeError(ErrorKind::kInvalidArgument,
                             "username may hold only letters, digits, '.', '_' and '-'");
    }
  }
  return core::Ok();
}

core::Status AdminService::ValidatePassword(std::string_view password) {
  if (password.size() < kMinPasswordChars) {
    return core::MakeError(
        ErrorKind::kInvalidArgument,
        "password must be at least " + std::to_string(kMinPasswordChars) + " characters long");
  }
  if (password.size() > crypto::PasswordHasher::kMaxPasswordBytes) {
    return core::MakeError(ErrorKind::kInvalidArgument, "password is too long");
  }
  return core::Ok();
}

core::Result<std::int64_t> AdminService::Insert(AdminAccount account) {
  // The hash is computed before the transaction, so the writer is never held for it.
  return core::WriteValue(store_, [&](AdminUnit& unit) { return unit.Admins().Insert(account); });
}

core::Result<std::optional<Login>> AdminService::EnsureFirstSuperAdmin() {
  auto count = core::ReadValue(store_, [](AdminUnit& unit) { return unit.Admins().Count(); });
  if (!count) return std::move(count).error();
  if (*count > 0) return std::optional<Login>{};

  Login login{std::string(kFirstUsername), ids_.Token(kGeneratedPasswordChars)};
  AdminAccount account;
  account.username = login.username;
  account.password_hash = hasher_.Hash(login.password);
  account.role = AdminRole::kSuper;
  account.must_change_password = true;
  account.created_at = clock_.Now();
  auto id = Insert(std::move(account));
  if (!id) {
    // Another process starting on the same database created it first.
    if (id.error().kind == ErrorKind::kAlreadyExists) return std::optional<Login>{};
    return std::move(id).error();
  }
  return std::optional<Login>{std::move(login)};
}

core::Result<std::int64_t> AdminService::CreateSuperAdmin(std::string_view username,
                                                          std::string_view password) {
  CORPHUB_TRY(ValidateUsername(username));
  CORPHUB_TRY(ValidatePassword(password));
  AdminAccount account;
  account.username = std::string(username);
  account.password_hash = hasher_.Hash(password);
  account.role = AdminRole::kSuper;
  account.created_at = clock_.Now();
  auto id = Insert(std::move(account));
  if (!id && id.error().kind == ErrorKind::kAlreadyExists) {
    return core::MakeError(ErrorKind::kAlreadyExists,
                           "an administrator named \"" + std::string(username) + "\" exists");
  }
  return id;
}

}  // namespace corphub::admin
