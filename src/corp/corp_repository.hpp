#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "apps/app.hpp"
#include "core/result.hpp"
#include "corp/organisation.hpp"

namespace corphub::corp {

class OrganisationRepository {
 public:
  virtual ~OrganisationRepository() = default;
  // kAlreadyExists when the corpid is taken or a default organisation exists already.
  virtual core::Result<std::int64_t> InsertDefault(const Organisation& org) = 0;
  virtual core::Result<std::optional<Organisation>> FindDefault() = 0;
  virtual core::Result<std::optional<Organisation>> FindByCorpId(std::string_view corpid) = 0;
};

class TokenRepository {
 public:
  virtual ~TokenRepository() = default;
  virtual core::Status Insert(const AccessToken& token) = 0;
  virtual core::Result<std::optional<AccessToken>> FindByHash(std::string_view token_hash) = 0;
  // Removes tokens that expired before `before`; returns how many.
  virtual core::Result<std::int64_t> DeleteExpiredBefore(core::TimePoint before) = 0;
  // Removes every token of the principal ("app:1000002"); returns how many.
  virtual core::Result<std::int64_t> DeleteOf(std::int64_t org_id, std::string_view principal) = 0;
};

// gettoken takes the contacts secret or an app's, hence the apps.
class CorpUnit : public virtual apps::AppUnit {
 public:
  virtual ~CorpUnit() = default;
  virtual OrganisationRepository& Organisations() = 0;
  virtual TokenRepository& Tokens() = 0;
};

}  // namespace corphub::corp
