#pragma once
// messaging::ChatRepository over Sql, for every backend.
#include "messaging/messaging_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class ChatSql final : public messaging::ChatRepository {
 public:
  explicit ChatSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(messaging::Chat& chat) override;
  core::Status Update(const messaging::Chat& chat) override;
  core::Result<std::optional<messaging::Chat>> Find(std::int64_t org_id,
                                                    std::string_view chatid) override;
  core::Result<std::vector<std::pair<std::int64_t, std::string>>> Userids(
      const std::vector<std::int64_t>& member_ids) override;

 private:
  core::Status SetMembers(const messaging::Chat& chat);
  Sql& sql_;
};

}  // namespace corphub::storage
