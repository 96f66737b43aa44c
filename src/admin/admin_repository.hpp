#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "admin/admin_account.hpp"
#include "core/result.hpp"

namespace corphub::admin {

class AdminRepository {
 public:
  virtual ~AdminRepository() = default;
  // kAlreadyExists when the username is taken. Returns the new id.
  virtual core::Result<std::int64_t> Insert(const AdminAccount& account) = 0;
  virtual core::Result<std::optional<AdminAccount>> FindByUsername(std::string_view username) = 0;
  virtual core::Result<std::int64_t> Count() = 0;
};

// The repositories an admin use case works with inside one transaction.
class AdminUnit {
 public:
  virtual ~AdminUnit() = default;
  virtual AdminRepository& Admins() = 0;
};

}  // namespace corphub::admin
