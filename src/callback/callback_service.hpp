#pragma once
// Setting an app's callback (URL, Token, EncodingAESKey) after verifying the URL as WeCom does,
// and the app's delivery log with "retry now" (docs/admin-api.md).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callback/callback.hpp"
#include "callback/http_sender.hpp"
#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/transactor.hpp"

namespace corphub::callback {

class CallbackService {
 public:
  static constexpr std::size_t kMaxTokenChars = 32;
  static constexpr std::size_t kMaxUrlBytes = 1024;
  static constexpr std::chrono::seconds kVerifyTimeout{5};

  using SenderFactory = std::function<std::unique_ptr<HttpSender>()>;
  CallbackService(core::Transactor<CallbackUnit>& store, const core::Clock& clock,
                  SenderFactory senders, std::function<void()> wake = {})
      : store_(store), clock_(clock), senders_(std::move(senders)), wake_(std::move(wake)) {}

  // Verifies `url` (GET with msg_signature, timestamp, nonce and a sealed echostr; the receiver
  // must answer HTTP 200 with the echostr's plaintext) and keeps the callback. kInvalidArgument
  // for a url that is not http(s), a token that is not 1 to 32 letters and digits, or an
  // EncodingAESKey that is not 43; kCallbackUrlInvalid (40057) saying what the URL answered;
  // kInvalidAgentId for an app that does not exist (agentid 0: the contacts-sync callback).
  // Audited (app.callback).
  core::Status Set(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                   std::string url, std::string token, std::string aes_key);
  core::Status Remove(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid);
  core::Result<std::optional<CallbackConfig>> Get(std::int64_t org_id, std::int64_t agentid);
  core::Result<std::vector<Delivery>> Deliveries(std::int64_t org_id, std::int64_t agentid,
                                                 std::optional<DeliveryState> state,
                                                 std::int64_t before_id, std::size_t limit);
  // A failed (or pending) delivery goes out again now. kNotFound. Audited (app.callback_retry).
  core::Status RetryNow(const core::Actor& actor, std::int64_t org_id, std::int64_t agentid,
                        std::int64_t id);

 private:
  core::Status Verify(std::string_view corpid, const std::string& url, const std::string& token,
                      const std::string& aes_key);
  core::Transactor<CallbackUnit>& store_;
  const core::Clock& clock_;
  SenderFactory senders_;
  std::function<void()> wake_;
};

// `n` random decimal digits, the first not 0 (an echostr, a nonce).
std::string RandomDigits(std::size_t n);
// url + "?" (or "&") + the query, for a callback URL that may carry its own.
std::string WithQuery(const std::string& url, const std::string& query);

}  // namespace corphub::callback
