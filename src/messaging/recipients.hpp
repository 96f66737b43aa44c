#pragma once
// Who a message goes to: touser / toparty (with sub-departments) / totag, or @all, cut to the
// app's visible scope, without frozen or departed members. What cannot be used is reported the
// way message/send reports it (invaliduser lowercased; parties and tags as given).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "apps/app.hpp"
#include "core/result.hpp"
#include "messaging/messaging_repository.hpp"

namespace corphub::messaging {

struct Targets {
  bool everyone = false;  // touser "@all": toparty and totag are ignored
  std::vector<std::string> users;
  std::vector<std::string> parties;
  std::vector<std::string> tags;

  static constexpr std::size_t kMaxUsers = 1000;
  static constexpr std::size_t kMaxParties = 100;
  static constexpr std::size_t kMaxTags = 100;

  // From message/send's fields: `|`-separated, spaces around ids trimmed, empty ids dropped,
  // duplicates dropped. Over a cap: 40031 users, 40066 parties, 40068 tags.
  static core::Result<Targets> Parse(std::string_view touser, std::string_view toparty,
                                     std::string_view totag);
  // The same from lists of ids (the console's JSON arrays).
  static core::Result<Targets> FromLists(const std::vector<std::string>& users,
                                         const std::vector<std::string>& parties,
                                         const std::vector<std::string>& tags);
  bool Empty() const { return !everyone && users.empty() && parties.empty() && tags.empty(); }
};

struct Resolution {
  std::vector<std::int64_t> member_ids;  // ascending, each once
  std::vector<std::string> invalid_users;
  std::vector<std::string> invalid_parties;
  std::vector<std::string> invalid_tags;
};

core::Result<Resolution> Resolve(RecipientRepository& repo, std::int64_t org_id,
                                 const apps::AppScope& scope, const Targets& targets);

}  // namespace corphub::messaging
