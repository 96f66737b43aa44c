#pragma once
// messaging::MessageRepository over Sql, for every backend.
#include "messaging/messaging_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

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
  core::Result<std::vector<messaging::Receipt>> Receipts(std::int64_t message_id,
                                                         messaging::ReceiptFilter filter,
                                                         std::int64_t after_member_id,
                                                         std::int64_t limit) override;
  core::Result<std::vector<messaging::SentMessage>> SentBy(std::int64_t org_id,
                                                           std::int64_t agentid,
                                                           std::int64_t before_id,
                                                           std::int64_t limit) override;
  core::Result<std::vector<messaging::AppDeliveries>> DeliveriesPerApp(std::int64_t org_id,
                                                                       core::TimePoint from,
                                                                       core::TimePoint to) override;
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

}  // namespace corphub::storage
