#pragma once
// messaging::RecipientRepository and messaging::MessageRepository over Sql, for every backend.
#include "messaging/messaging_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class RecipientSql final : public messaging::RecipientRepository {
 public:
  explicit RecipientSql(Sql& sql) : sql_(sql) {}
  core::Result<std::vector<messaging::Recipient>> ByUserids(
      std::int64_t org_id, const std::vector<std::string>& userid_keys) override;
  core::Result<std::vector<messaging::Recipient>> ByIds(
      std::int64_t org_id, const std::vector<std::int64_t>& ids) override;
  core::Result<std::vector<messaging::Recipient>> InDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& department_ids) override;
  core::Result<std::vector<messaging::Recipient>> Tagged(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) override;
  core::Result<std::vector<std::int64_t>> TagDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) override;
  core::Result<std::vector<messaging::Recipient>> Everyone(std::int64_t org_id) override;
  core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> DepartmentTree(
      std::int64_t org_id) override;
  core::Result<std::vector<std::int64_t>> ExistingTags(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) override;

 private:
  Sql& sql_;
};

class MessageSql final : public messaging::MessageRepository {
 public:
  explicit MessageSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(messaging::Message& message) override;
  core::Result<std::optional<messaging::Message>> FindByMsgid(std::int64_t org_id,
                                                              std::string_view msgid) override;
  core::Result<std::optional<std::string>> FindDuplicate(std::int64_t org_id, std::int64_t agentid,
                                                         std::string_view dup_key,
                                                         core::TimePoint since) override;
  core::Result<std::int64_t> Append(std::int64_t message_id, std::int64_t agentid,
                                    messaging::EventKind kind,
                                    const std::vector<std::int64_t>& member_ids) override;
  core::Result<std::vector<messaging::Delivery>> Seqs(
      std::int64_t message_id, messaging::EventKind kind,
      const std::vector<std::int64_t>& member_ids) override;
  core::Result<std::vector<std::int64_t>> RecipientsOf(std::int64_t message_id) override;
  core::Status MarkRecalled(std::int64_t message_id, core::TimePoint at) override;
  core::Result<messaging::ReadStats> Stats(std::int64_t message_id) override;
  core::Result<std::int64_t> DeleteExpired(core::TimePoint now, std::int64_t limit) override;
  core::Result<std::int64_t> LastSeq(std::int64_t member_id) override;
  core::Result<std::vector<messaging::Conversation>> Conversations(std::int64_t member_id) override;
  core::Result<std::vector<messaging::InboxEvent>> Page(std::int64_t member_id,
                                                        std::int64_t agentid,
                                                        std::string_view chatid,
                                                        std::int64_t before_seq,
                                                        std::int64_t limit) override;
  core::Result<std::optional<std::pair<std::int64_t, std::string>>> MarkRead(
      std::int64_t member_id, std::int64_t agentid, std::string_view chatid, std::int64_t up_to_seq,
      core::TimePoint at) override;
  core::Result<std::vector<messaging::InboxEvent>> After(std::int64_t member_id,
                                                         std::int64_t after_seq,
                                                         std::int64_t limit) override;
  core::Result<bool> MediaVisible(std::int64_t member_id, std::string_view media_id) override;

 private:
  core::Result<std::vector<messaging::InboxEvent>> Events(std::string_view where, Params params);
  Sql& sql_;
};

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
