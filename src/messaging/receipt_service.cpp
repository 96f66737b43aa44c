#include "messaging/receipt_service.hpp"

#include <algorithm>
#include <ctime>

namespace corphub::messaging {

using core::ErrorKind;

std::pair<core::TimePoint, core::TimePoint> LocalDay(core::TimePoint now, int days_back) {
  const std::time_t t = static_cast<std::time_t>(core::UnixSeconds(now));
  std::tm local{};
  localtime_r(&t, &local);
  local.tm_hour = 0;
  local.tm_min = 0;
  local.tm_sec = 0;
  local.tm_isdst = -1;
  std::tm start = local;
  start.tm_mday -= days_back;
  std::tm end = local;
  end.tm_mday -= days_back - 1;
  // mktime normalises the day of the month and finds the offset (daylight saving included).
  return {core::FromUnixSeconds(std::mktime(&start)), core::FromUnixSeconds(std::mktime(&end))};
}

core::Result<ReadStatusPage> ReceiptService::ReadStatus(
    std::int64_t org_id, std::optional<std::int64_t> only_agentid, std::string_view msgid,
    ReceiptFilter filter, std::int64_t after_member_id, std::int64_t limit) {
  if (msgid.empty()) return core::MakeError(ErrorKind::kInvalidMsgId, "msgid missing");
  limit = std::clamp<std::int64_t>(limit, 1, kMaxReceipts);
  return core::ReadValue(store_, [&](MessagingUnit& u) -> core::Result<ReadStatusPage> {
    auto found = u.Messages().FindByMsgid(org_id, msgid);
    if (!found) return std::move(found).error();
    if (!*found || (only_agentid && (*found)->agentid != *only_agentid)) {
      return core::MakeError(ErrorKind::kInvalidMsgId, "invalid msgid");
    }
    ReadStatusPage page;
    page.message = std::move(**found);
    auto stats = u.Messages().Stats(page.message.id);
    if (!stats) return std::move(stats).error();
    page.stats = *stats;
    auto receipts = u.Messages().Receipts(page.message.id, filter, after_member_id, limit);
    if (!receipts) return std::move(receipts).error();
    page.receipts = std::move(receipts).value();
    if (static_cast<std::int64_t>(page.receipts.size()) == limit) {
      page.next_cursor = page.receipts.back().member_id;
    }
    return page;
  });
}

core::Result<std::vector<SentMessage>> ReceiptService::Sent(std::int64_t org_id,
                                                            std::int64_t agentid,
                                                            std::int64_t before_id,
                                                            std::int64_t limit) {
  limit = std::clamp<std::int64_t>(limit, 1, kMaxSentPage);
  return core::ReadValue(store_, [&](MessagingUnit& u) -> core::Result<std::vector<SentMessage>> {
    auto app = u.Apps().FindByAgentid(org_id, agentid);
    if (!app) return std::move(app).error();
    if (!*app) return core::MakeError(ErrorKind::kInvalidAgentId, "no app has this agentid");
    return u.Messages().SentBy(org_id, agentid, before_id, limit);
  });
}

core::Result<std::vector<AppDeliveryCount>> ReceiptService::DailyDeliveries(
    std::int64_t org_id, std::int64_t time_type) {
  if (time_type != 0 && time_type != 1) {
    return core::MakeError(ErrorKind::kInvalidParameter,
                           "time_type takes 0 (today) or 1 (yesterday)");
  }
  const auto [from, to] = LocalDay(clock_.Now(), static_cast<int>(time_type));
  return core::ReadValue(store_,
                         [&](MessagingUnit& u) -> core::Result<std::vector<AppDeliveryCount>> {
                           auto counts = u.Messages().DeliveriesPerApp(org_id, from, to);
                           if (!counts) return std::move(counts).error();
                           auto apps = u.Apps().List(org_id);
                           if (!apps) return std::move(apps).error();
                           std::vector<AppDeliveryCount> out;
                           for (const auto& c : *counts) {
                             AppDeliveryCount item{c.agentid, "", c.count};
                             for (const auto& a : *apps) {
                               if (a.agentid == c.agentid) item.app_name = a.name;
                             }
                             out.push_back(std::move(item));
                           }
                           return out;
                         });
}

}  // namespace corphub::messaging
