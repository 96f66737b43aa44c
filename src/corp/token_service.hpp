#pragma once
// access_token for /cgi-bin: issued by gettoken for a corpid and a secret, checked on every
// other call. Tokens live 7200 s; a new token does not revoke older ones (go-workwx keeps the
// token it fetched first). Only a token's SHA-256 is stored. Checks are served from memory once
// a token has been seen, since a token never changes until it expires.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "corp/corp_repository.hpp"

namespace corphub::corp {

struct IssuedToken {
  std::string access_token;
  std::int64_t expires_in = 0;  // seconds
};

// Who a valid token speaks for.
struct Principal {
  std::int64_t org_id = 0;
  std::string principal;     // "contacts", or "app:<agentid>"
  std::int64_t agentid = 0;  // the app's, 0 for the contacts secret
  std::string secret_tag;    // an app's: which of its secrets (apps::SecretTag) gave the token

  bool IsApp() const { return agentid != 0; }
  // The principal as stored with a token ("app:1000002") parsed back.
  static Principal FromStored(std::int64_t org_id, std::string principal,
                              std::string secret_tag = {});
};

class TokenService {
 public:
  static constexpr std::chrono::seconds kLifetime{7200};
  static constexpr std::chrono::hours kKeepExpired{24};  // then purged
  static constexpr std::size_t kTokenChars = 64;
  static constexpr std::size_t kMaxCached = 100000;

  TokenService(core::Transactor<CorpUnit>& store, const core::Clock& clock, core::IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // 41002 no corpid, 41004 no secret, 40013 unknown corpid, 40001 wrong secret. The secret is
  // the contacts-sync secret or an app's (50003 when that app is closed).
  core::Result<IssuedToken> Issue(std::string_view corpid, std::string_view secret);
  // 41001 no token, 40014 unknown, 42001 expired. Blocking on a cache miss.
  core::Result<Principal> Authenticate(std::string_view access_token);
  // The answer when memory alone can give it (no token, or a token seen before); nullopt when
  // the store must be asked (call Authenticate then, off the I/O thread). Never blocks.
  std::optional<core::Result<Principal>> AuthenticateCached(std::string_view access_token);
  // Every token the principal ("app:1000002") was given is deleted (its secret was reset), and
  // forgotten by this node. Other nodes still hold the tokens they saw: the app guard refuses
  // those by their secret tag (apps::AppService::CheckCaller). Blocking.
  core::Status Revoke(std::int64_t org_id, std::string_view principal);

 private:
  struct Cached {
    Principal who;
    core::TimePoint expires_at;
  };

  core::Transactor<CorpUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
};

}  // namespace corphub::corp
