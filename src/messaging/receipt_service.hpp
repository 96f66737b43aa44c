#pragma once
// Read statistics, beyond WeCom: for every message corphub keeps who it went to and when each
// recipient read it. An app asks about its own messages (/cgi-bin/message/get_read_status), the
// console about any app's (/admin/api/apps/{agentid}/messages). message/get_statistics is
// WeCom's per-app count of person-deliveries today or yesterday.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/transactor.hpp"
#include "messaging/messaging_repository.hpp"

namespace corphub::messaging {

struct ReadStatusPage {
  Message message;
  ReadStats stats;
  std::vector<Receipt> receipts;
  std::int64_t next_cursor = 0;  // the after_member_id of the next page; 0 at the end
};

struct AppDeliveryCount {
  std::int64_t agentid = 0;
  std::string app_name;
  std::int64_t count = 0;
};

// [from, to) of the local calendar day `days_back` days before the one holding `now` (the
// server's time zone, TZ).
std::pair<core::TimePoint, core::TimePoint> LocalDay(core::TimePoint now, int days_back);

class ReceiptService {
 public:
  static constexpr std::int64_t kMaxReceipts = 1000;
  static constexpr std::int64_t kMaxSentPage = 100;

  ReceiptService(core::Transactor<MessagingUnit>& store, const core::Clock& clock)
      : store_(store), clock_(clock) {}

  // One message's counts and a page of its recipients. `only_agentid`: the asking app's (an
  // unknown msgid or another app's is 40058); nullopt for the console. limit is clamped to
  // 1..1000.
  core::Result<ReadStatusPage> ReadStatus(std::int64_t org_id,
                                          std::optional<std::int64_t> only_agentid,
                                          std::string_view msgid, ReceiptFilter filter,
                                          std::int64_t after_member_id, std::int64_t limit);
  // The app's messages newest first, with their counts; 40056 for an unknown agentid.
  core::Result<std::vector<SentMessage>> Sent(std::int64_t org_id, std::int64_t agentid,
                                              std::int64_t before_id, std::int64_t limit);
  // message/get_statistics: time_type 0 today, 1 yesterday (else 40035-like kInvalidParameter).
  core::Result<std::vector<AppDeliveryCount>> DailyDeliveries(std::int64_t org_id,
                                                              std::int64_t time_type);

 private:
  core::Transactor<MessagingUnit>& store_;
  const core::Clock& clock_;
};

}  // namespace corphub::messaging
