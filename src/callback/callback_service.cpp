#include "callback/callback_service.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "core/percent_decode.hpp"
#include "core/text.hpp"
#include "crypto/random.hpp"
#include "crypto/wecom_crypt.hpp"

namespace corphub::callback {
namespace {

using core::ErrorKind;
using core::MakeError;

std::string Shown(std::string_view body) {
  std::string out(body.substr(0, 60));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return body.size() > 60 ? out + "..." : out;
}

}  // namespace

std::string RandomDigits(std::size_t n) {
  std::string out;
  for (unsigned char b : crypto::RandomBytes(n)) out += static_cast<char>('0' + b % 10);
  if (!out.empty() && out[0] == '0') out[0] = '1';
  return out;
}

std::string WithQuery(const std::string& url, const std::string& query) {
  const bool has = url.find('?') != std::string::npos;
  const bool ends = !url.empty() && (url.back() == '?' || url.back() == '&');
  return url + (ends ? "" : has ? "&" : "?") + query;
}

core::Status CallbackService::Verify(std::string_view corpid, const std::string& url,
                                     const std::string& token, const std::string& aes_key) {
  auto crypt = crypto::WecomCrypt::Make(token, aes_key, std::string(corpid));
  if (!crypt) return MakeError(ErrorKind::kInvalidArgument, "invalid EncodingAESKey");
  const std::string echostr = RandomDigits(19);
  const std::string timestamp = std::to_string(core::UnixSeconds(clock_.Now()));
  const std::string nonce = RandomDigits(10);
  const std::string encrypt = crypt->Seal(echostr);
  const std::string query = "msg_signature=" + crypt->Sign(timestamp, nonce, encrypt) +
                            "&timestamp=" + timestamp + "&nonce=" + nonce +
                            "&echostr=" + core::PercentEncode(encrypt);
  auto sender = senders_();
  HttpRequest req;
  req.url = WithQuery(url, query);
  auto answers = sender->Send({req}, kVerifyTimeout);
  const HttpResponse& r = answers.at(0);
  if (r.status == 0) {
    return MakeError(ErrorKind::kCallbackUrlInvalid,
                     "the callback URL could not be reached: " + r.error);
  }
  if (r.status != 200) {
    return MakeError(ErrorKind::kCallbackUrlInvalid,
                     "the callback URL answered HTTP " + std::to_string(r.status));
  }
  if (r.body != echostr) {
    return MakeError(ErrorKind::kCallbackUrlInvalid,
                     "the callback URL did not answer with the decrypted echostr (it answered \"" +
                         Shown(r.body) + "\"): check the Token and EncodingAESKey");
  }
  return core::Ok();
}

core::Status CallbackService::Set(const core::Actor& actor, std::int64_t org_id,
                                  std::int64_t agentid, std::string url, std::string token,
                                  std::string aes_key) {
  if (url.size() > kMaxUrlBytes || !core::IsHttpUrl(url)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "the callback URL is an http or https URL of at most 1024 bytes");
  }
  if (token.empty() || token.size() > kMaxTokenChars ||
      !std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      })) {
    return MakeError(ErrorKind::kInvalidArgument, "the Token takes 1 to 32 letters and digits");
  }
  if (!crypto::IsEncodingAesKey(aes_key)) {
    return MakeError(ErrorKind::kInvalidArgument, "the EncodingAESKey takes 43 letters and digits");
  }
  std::string corpid;
  core::Status read = store_.Read([&](CallbackUnit& u) -> core::Status {
    if (agentid != kContactsAgentid) {
      auto app = u.Apps().FindByAgentid(org_id, agentid);
      if (!app) return std::move(app).error();
      if (!*app) {
        return MakeError(ErrorKind::kInvalidAgentId,
                         "no app has agentid " + std::to_string(agentid));
      }
    }
    auto id = u.Callbacks().CorpId(org_id);
    if (!id) return std::move(id).error();
    corpid = std::move(*id);
    return core::Ok();
  });
  if (!read) return read;
  // Outside any transaction: the receiver may take seconds.
  CORPHUB_TRY(Verify(corpid, url, token, aes_key));
  CallbackConfig config{org_id, agentid, url, token, aes_key, clock_.Now()};
  return store_.Write([&](CallbackUnit& u) -> core::Status {
    auto all = u.Callbacks().All(org_id);
    if (!all) return std::move(all).error();
    if (all->empty()) {
      // The first callback hears of changes from now on, not of the directory's history.
      auto latest = u.Callbacks().LatestContactSeq(org_id);
      if (!latest) return std::move(latest).error();
      CORPHUB_TRY(u.Callbacks().SetContactCursor(org_id, *latest));
    }
    CORPHUB_TRY(u.Callbacks().Put(config));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.callback", std::to_string(agentid),
                                              core::JsonObjectWriter().Str("url", url).Done()});
  });
}

core::Status CallbackService::Remove(const core::Actor& actor, std::int64_t org_id,
                                     std::int64_t agentid) {
  return store_.Write([&](CallbackUnit& u) -> core::Status {
    CORPHUB_TRY(u.Callbacks().Delete(org_id, agentid));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.callback", std::to_string(agentid),
                                              "{\"url\":\"\"}"});
  });
}

core::Result<std::optional<CallbackConfig>> CallbackService::Get(std::int64_t org_id,
                                                                 std::int64_t agentid) {
  return core::ReadValue(store_,
                         [&](CallbackUnit& u) { return u.Callbacks().Get(org_id, agentid); });
}

core::Result<std::vector<Delivery>> CallbackService::Deliveries(std::int64_t org_id,
                                                                std::int64_t agentid,
                                                                std::optional<DeliveryState> state,
                                                                std::int64_t before_id,
                                                                std::size_t limit) {
  return core::ReadValue(store_, [&](CallbackUnit& u) {
    return u.Callbacks().List(org_id, agentid, state, before_id, limit);
  });
}

core::Status CallbackService::RetryNow(const core::Actor& actor, std::int64_t org_id,
                                       std::int64_t agentid, std::int64_t id) {
  core::Status written = store_.Write([&](CallbackUnit& u) -> core::Status {
    auto found = u.Callbacks().Retry(org_id, agentid, id, core::UnixMillis(clock_.Now()));
    if (!found) return std::move(found).error();
    if (!*found) {
      return MakeError(ErrorKind::kNotFound,
                       "app " + std::to_string(agentid) + " has no delivery " + std::to_string(id));
    }
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.callback_retry", std::to_string(agentid),
                                              core::JsonObjectWriter().Int("delivery", id).Done()});
  });
  if (!written) return written;
  if (wake_) wake_();
  return core::Ok();
}

}  // namespace corphub::callback
