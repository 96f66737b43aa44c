#include "storage/callback_sql.hpp"

#include <algorithm>
#include <string>

namespace corphub::storage {
namespace {

using callback::Delivery;
using callback::DeliveryState;

constexpr std::string_view kDeliveryColumns =
    "id, org_id, agentid, event_id, member_key, kind, payload, state, attempts, next_at, "
    "created_at, delivered_at, last_status, last_error";

Delivery DeliveryFrom(const Row& row) {
  Delivery d;
  d.id = row.GetInt64(0);
  d.org_id = row.GetInt64(1);
  d.agentid = row.GetInt64(2);
  d.event_id = row.GetString(3);
  d.member_key = row.GetString(4);
  d.kind = row.GetString(5);
  d.payload = row.GetString(6);
  callback::ParseDeliveryState(row.GetString(7), d.state);
  d.attempts = static_cast<int>(row.GetInt64(8));
  d.next_at_ms = row.GetInt64(9);
  d.created_at = core::FromUnixSeconds(row.GetInt64(10));
  if (auto at = row.GetOptionalInt64(11)) d.delivered_at = core::FromUnixSeconds(*at);
  d.last_status = static_cast<int>(row.GetInt64(12));
  d.last_error = row.GetString(13);
  return d;
}

core::Result<std::vector<Delivery>> Deliveries(core::Result<std::vector<Row>> rows) {
  if (!rows) return std::move(rows).error();
  std::vector<Delivery> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(DeliveryFrom(row));
  return out;
}

}  // namespace

core::Result<std::vector<callback::CallbackConfig>> CallbackSql::Configs(std::string_view where,
                                                                         Params params) {
  auto rows = sql_.Query(
      "SELECT org_id, agentid, url, token, aes_key, updated_at FROM "
      "app_callbacks WHERE " +
          std::string(where) + " ORDER BY agentid",
      std::move(params));
  if (!rows) return std::move(rows).error();
  std::vector<callback::CallbackConfig> out;
  for (const Row& row : *rows) {
    callback::CallbackConfig c;
    c.org_id = row.GetInt64(0);
    c.agentid = row.GetInt64(1);
    c.url = row.GetString(2);
    auto token = box_ ? box_->Open(row.GetString(3)) : std::optional(row.GetString(3));
    auto key = box_ ? box_->Open(row.GetString(4)) : std::optional(row.GetString(4));
    if (!token || !key) {
      return core::MakeError(core::ErrorKind::kInternal,
                             "a callback's Token or EncodingAESKey does not open with this "
                             "server's secret key");
    }
    c.token = std::move(*token);
    c.aes_key = std::move(*key);
    c.updated_at = core::FromUnixSeconds(row.GetInt64(5));
    out.push_back(std::move(c));
  }
  return out;
}

core::Result<std::optional<callback::CallbackConfig>> CallbackSql::Get(std::int64_t org_id,
                                                                       std::int64_t agentid) {
  auto found = Configs("org_id = ? AND agentid = ?", {org_id, agentid});
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<callback::CallbackConfig>();
  return std::optional<callback::CallbackConfig>(std::move(found->front()));
}

core::Result<std::vector<callback::CallbackConfig>> CallbackSql::All(std::int64_t org_id) {
  return Configs("org_id = ?", {org_id});
}

core::Status CallbackSql::Put(const callback::CallbackConfig& c) {
  const std::string token = box_ ? box_->Seal(c.token) : c.token;
  const std::string key = box_ ? box_->Seal(c.aes_key) : c.aes_key;
  auto done = sql_.Exec(
      "INSERT INTO app_callbacks (org_id, agentid, url, token, aes_key, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, agentid) DO UPDATE SET url = "
      "excluded.url, token = excluded.token, aes_key = excluded.aes_key, updated_at = "
      "excluded.updated_at",
      MakeParams(c.org_id, c.agentid, c.url, token, key, core::UnixSeconds(c.updated_at)));
  if (!done) return std::move(done).error();
  return core::Ok();
}

core::Status CallbackSql::Delete(std::int64_t org_id, std::int64_t agentid) {
  auto done =
      sql_.Exec("DELETE FROM app_callbacks WHERE org_id = ? AND agentid = ?", {org_id, agentid});
  if (!done) return std::move(done).error();
  return core::Ok();
}

core::Status CallbackSql::Enqueue(const std::vector<Delivery>& deliveries) {
  for (const Delivery& d : deliveries) {
    auto done = sql_.Exec(
        "INSERT INTO callback_deliveries (org_id, agentid, event_id, member_key, kind, payload, "
        "next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (org_id, agentid, event_id) DO NOTHING",
        MakeParams(d.org_id, d.agentid, d.event_id, d.member_key, d.kind, d.payload, d.next_at_ms,
                   core::UnixSeconds(d.created_at)));
    if (!done) return std::move(done).error();
  }
  return core::Ok();
}

core::Result<std::vector<Delivery>> CallbackSql::Claim(std::int64_t now_ms,
                                                       std::int64_t lease_until_ms,
                                                       std::size_t limit) {
  // Each member's earliest pending delivery of an app, if due and not leased.
  auto candidates = Deliveries(sql_.Query(
      "SELECT " + std::string(kDeliveryColumns) +
          " FROM callback_deliveries d WHERE d.state = 'pending' AND d.next_at <= ? AND "
          "d.lease_until <= ? AND NOT EXISTS (SELECT 1 FROM callback_deliveries e WHERE "
          "e.org_id = d.org_id AND e.agentid = d.agentid AND e.member_key = d.member_key AND "
          "e.state = 'pending' AND e.id < d.id) ORDER BY d.id LIMIT ?",
      MakeParams(now_ms, now_ms, static_cast<std::int64_t>(limit))));
  if (!candidates || candidates->empty()) return candidates;
  std::vector<std::int64_t> ids;
  for (const auto& d : *candidates) ids.push_back(d.id);
  Params params{lease_until_ms, now_ms};
  const std::string in = InIds(sql_, "id", ids, 0, ids.size(), params);
  auto leased = sql_.Query(
      "UPDATE callback_deliveries SET lease_until = ? WHERE lease_until <= ? "
      "AND " +
          in + " RETURNING id",
      std::move(params));
  if (!leased) return std::move(leased).error();
  std::vector<std::int64_t> got;
  for (const Row& row : *leased) got.push_back(row.GetInt64(0));
  std::vector<Delivery> out;
  for (auto& d : *candidates) {
    if (std::find(got.begin(), got.end(), d.id) != got.end()) out.push_back(std::move(d));
  }
  return out;
}

core::Status CallbackSql::Record(const std::vector<callback::Outcome>& outcomes,
                                 core::TimePoint at) {
  // The delivered ones (most) in statements of many; each failure apart.
  std::vector<std::int64_t> delivered;
  for (const auto& o : outcomes) {
    if (o.delivered) delivered.push_back(o.id);
  }
  constexpr std::size_t kPerStatement = 500;
  for (std::size_t from = 0; from < delivered.size(); from += kPerStatement) {
    Params params{core::UnixSeconds(at)};
    const std::string in = InIds(sql_, "id", delivered, from,
                                 std::min(delivered.size(), from + kPerStatement), params);
    auto done = sql_.Exec(
        "UPDATE callback_deliveries SET state = 'delivered', attempts = attempts + 1, "
        "delivered_at = ?, last_status = 200, last_error = '', lease_until = 0 WHERE " +
            in,
        std::move(params));
    if (!done) return std::move(done).error();
  }
  for (const auto& o : outcomes) {
    core::Result<std::int64_t> done = std::int64_t{0};
    if (o.delivered) {
      continue;
    } else {
      const bool give_up = o.next_at_ms == 0;
      done = sql_.Exec(
          "UPDATE callback_deliveries SET state = ?, attempts = ?, next_at = ?, last_status = ?, "
          "last_error = ?, lease_until = 0 WHERE id = ?",
          MakeParams(std::string(give_up ? "failed" : "pending"), std::int64_t{o.attempts},
                     o.next_at_ms, std::int64_t{o.status}, o.error, o.id));
    }
    if (!done) return std::move(done).error();
  }
  return core::Ok();
}

core::Result<std::vector<Delivery>> CallbackSql::List(std::int64_t org_id, std::int64_t agentid,
                                                      std::optional<DeliveryState> state,
                                                      std::int64_t before_id, std::size_t limit) {
  std::string where = "org_id = ? AND agentid = ?";
  Params params{org_id, agentid};
  if (state) {
    where += " AND state = ?";
    params.emplace_back(std::string(callback::DeliveryStateName(*state)));
  }
  if (before_id > 0) {
    where += " AND id < ?";
    params.emplace_back(before_id);
  }
  params.emplace_back(static_cast<std::int64_t>(limit));
  return Deliveries(sql_.Query("SELECT " + std::string(kDeliveryColumns) +
                                   " FROM callback_deliveries WHERE " + where +
                                   " ORDER BY id DESC LIMIT ?",
                               std::move(params)));
}

core::Result<bool> CallbackSql::Retry(std::int64_t org_id, std::int64_t agentid, std::int64_t id,
                                      std::int64_t now_ms) {
  auto done = sql_.Exec(
      "UPDATE callback_deliveries SET state = 'pending', next_at = ?, lease_until = 0 "
      "WHERE org_id = ? AND agentid = ? AND id = ? AND state <> 'delivered'",
      MakeParams(now_ms, org_id, agentid, id));
  if (!done) return std::move(done).error();
  if (*done > 0) return true;
  // A delivered one goes out again too: the receiver asked for it (it deduplicates by id).
  done = sql_.Exec(
      "UPDATE callback_deliveries SET state = 'pending', next_at = ?, lease_until = 0 "
      "WHERE org_id = ? AND agentid = ? AND id = ?",
      MakeParams(now_ms, org_id, agentid, id));
  if (!done) return std::move(done).error();
  return *done > 0;
}

core::Result<std::int64_t> CallbackSql::ContactCursor(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT contact_seq FROM callback_cursors WHERE org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  return rows->empty() ? std::int64_t{0} : rows->front().GetInt64(0);
}

core::Status CallbackSql::SetContactCursor(std::int64_t org_id, std::int64_t seq) {
  auto done = sql_.Exec(
      "INSERT INTO callback_cursors (org_id, contact_seq) VALUES (?, ?) ON CONFLICT (org_id) "
      "DO UPDATE SET contact_seq = excluded.contact_seq",
      {org_id, seq});
  if (!done) return std::move(done).error();
  return core::Ok();
}

core::Result<bool> CallbackSql::AdvanceContactCursor(std::int64_t org_id, std::int64_t from,
                                                     std::int64_t to) {
  auto done =
      sql_.Exec("UPDATE callback_cursors SET contact_seq = ? WHERE org_id = ? AND contact_seq = ?",
                {to, org_id, from});
  if (!done) return std::move(done).error();
  if (*done > 0) return true;
  if (from != 0) return false;
  done = sql_.Exec(
      "INSERT INTO callback_cursors (org_id, contact_seq) VALUES (?, ?) ON CONFLICT (org_id) DO "
      "NOTHING",
      {org_id, to});
  if (!done) return std::move(done).error();
  return *done > 0;
}

core::Result<std::int64_t> CallbackSql::LatestContactSeq(std::int64_t org_id) {
  auto rows =
      sql_.Query("SELECT COALESCE(MAX(seq), 0) FROM contact_events WHERE org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  return rows->front().GetInt64(0);
}

core::Result<std::string> CallbackSql::CorpId(std::int64_t org_id) {
  auto rows = sql_.Query("SELECT corpid FROM organisations WHERE id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return core::MakeError(core::ErrorKind::kNotFound, "no such organisation");
  return rows->front().GetString(0);
}

core::Result<std::vector<std::int64_t>> CallbackSql::Organisations() {
  auto rows = sql_.Query("SELECT DISTINCT org_id FROM app_callbacks ORDER BY org_id", {});
  if (!rows) return std::move(rows).error();
  std::vector<std::int64_t> out;
  for (const Row& row : *rows) out.push_back(row.GetInt64(0));
  return out;
}

}  // namespace corphub::storage
