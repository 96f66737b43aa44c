#pragma once
// callback::CallbackRepository over Sql, for every backend; Token and EncodingAESKey sealed.
#include "callback/callback.hpp"
#include "crypto/secret_box.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class CallbackSql final : public callback::CallbackRepository {
 public:
  CallbackSql(Sql& sql, const crypto::SecretBox* box) : sql_(sql), box_(box) {}
  core::Result<std::optional<callback::CallbackConfig>> Get(std::int64_t org_id,
                                                            std::int64_t agentid) override;
  core::Result<std::vector<callback::CallbackConfig>> All(std::int64_t org_id) override;
  core::Status Put(const callback::CallbackConfig& config) override;
  core::Status Delete(std::int64_t org_id, std::int64_t agentid) override;
  core::Status Enqueue(const std::vector<callback::Delivery>& deliveries) override;
  core::Result<std::vector<callback::Delivery>> Claim(std::int64_t now_ms,
                                                      std::int64_t lease_until_ms,
                                                      std::size_t limit) override;
  core::Status Record(const std::vector<callback::Outcome>& outcomes, core::TimePoint at) override;
  core::Result<std::vector<callback::Delivery>> List(std::int64_t org_id, std::int64_t agentid,
                                                     std::optional<callback::DeliveryState> state,
                                                     std::int64_t before_id,
                                                     std::size_t limit) override;
  core::Result<bool> Retry(std::int64_t org_id, std::int64_t agentid, std::int64_t id,
                           std::int64_t now_ms) override;
  core::Result<std::int64_t> ContactCursor(std::int64_t org_id) override;
  core::Status SetContactCursor(std::int64_t org_id, std::int64_t seq) override;
  core::Result<bool> AdvanceContactCursor(std::int64_t org_id, std::int64_t from,
                                          std::int64_t to) override;
  core::Result<std::int64_t> LatestContactSeq(std::int64_t org_id) override;
  core::Result<std::string> CorpId(std::int64_t org_id) override;
  core::Result<std::vector<std::int64_t>> Organisations() override;

 private:
  core::Result<std::vector<callback::CallbackConfig>> Configs(std::string_view where,
                                                              Params params);
  Sql& sql_;
  const crypto::SecretBox* box_;
};

}  // namespace corphub::storage
