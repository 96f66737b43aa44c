#include "corp/token_service.hpp"

#include <cstdlib>

#include "crypto/hash.hpp"

namespace corphub::corp {

using core::ErrorKind;

Principal Principal::FromStored(std::int64_t org_id, std::string principal,
                                std::string secret_tag) {
  Principal p{org_id, std::move(principal), 0, std::move(secret_tag)};
  constexpr std::string_view kApp = "app:";
  if (p.principal.starts_with(kApp)) {
    p.agentid = std::strtoll(p.principal.c_str() + kApp.size(), nullptr, 10);
  }
  return p;
}

core::Result<IssuedToken> TokenService::Issue(std::string_view corpid, std::string_view secret) {
  if (corpid.empty()) return core::MakeError(ErrorKind::kMissingCorpId, "corpid missing");
  if (secret.empty()) return core::MakeError(ErrorKind::kMissingSecret, "corpsecret missing");
  auto org =
      core::ReadValue(store_, [&](CorpUnit& u) { return u.Organisations().FindByCorpId(corpid); });
  if (!org) return std::move(org).error();
  if (!*org) return core::MakeError(ErrorKind::kInvalidCorpId, "invalid corpid");
  std::string principal = "contacts";
  std::string secret_tag;
  if (!crypto::ConstantTimeEquals((*org)->contacts_secret, secret)) {
    // An app's secret: looked up by its hash, so no secret is compared in variable time.
    const std::string secret_hash = crypto::Sha256Hex(secret);
    auto app = core::ReadValue(store_,
                               [&](CorpUnit& u) { return u.Apps().FindBySecretHash(secret_hash); });
    if (!app) return std::move(app).error();
    if (!*app || (*app)->org_id != (*org)->id) {
      return core::MakeError(ErrorKind::kInvalidSecret, "invalid credential");
    }
    if ((*app)->closed) return core::MakeError(ErrorKind::kAppDisabled, "the app is disabled");
    principal = "app:" + std::to_string((*app)->agentid);
    secret_tag = apps::SecretTag((*app)->secret_hash);
  }

  std::string token = ids_.Token(kTokenChars);
  AccessToken row;
  row.token_hash = crypto::Sha256Hex(token);
  row.org_id = (*org)->id;
  row.principal = principal;
  row.issued_at = clock_.Now();
  row.expires_at = row.issued_at + kLifetime;
  row.secret_tag = secret_tag;
  auto written = store_.Write([&](CorpUnit& u) -> core::Status {
    CORPHUB_TRY(u.Tokens().Insert(row));
    auto purged = u.Tokens().DeleteExpiredBefore(row.issued_at - kKeepExpired);
    if (!purged) return std::move(purged).error();
    return core::Ok();
  });
  if (!written) return std::move(written).error();
  return IssuedToken{std::move(token), kLifetime.count()};
}

std::optional<core::Result<Principal>> TokenService::AuthenticateCached(
    std::string_view access_token) {
  if (access_token.empty()) {
    return core::Result<Principal>(
        core::MakeError(ErrorKind::kMissingAccessToken, "access_token missing"));
  }
  std::string hash = crypto::Sha256Hex(access_token);
  std::lock_guard lock(mu_);
  auto it = cache_.find(hash);
  if (it == cache_.end()) return std::nullopt;
  if (clock_.Now() >= it->second.expires_at) {
    return core::Result<Principal>(
        core::MakeError(ErrorKind::kExpiredAccessToken, "access_token expired"));
  }
  return core::Result<Principal>(it->second.who);
}

core::Result<Principal> TokenService::Authenticate(std::string_view access_token) {
  if (access_token.empty()) {
    return core::MakeError(ErrorKind::kMissingAccessToken, "access_token missing");
  }
  std::string hash = crypto::Sha256Hex(access_token);
  auto now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) {
      if (now >= it->second.expires_at) {
        return core::MakeError(ErrorKind::kExpiredAccessToken, "access_token expired");
      }
      return it->second.who;
    }
  }
  auto found = core::ReadValue(store_, [&](CorpUnit& u) { return u.Tokens().FindByHash(hash); });
  if (!found) return std::move(found).error();
  if (!*found) return core::MakeError(ErrorKind::kInvalidAccessToken, "invalid access_token");
  const AccessToken& t = **found;
  Cached entry{Principal::FromStored(t.org_id, t.principal, t.secret_tag), t.expires_at};
  {
    std::lock_guard lock(mu_);
    if (cache_.size() >= kMaxCached) cache_.clear();  // a bound, not an eviction policy
    cache_.emplace(hash, entry);
  }
  if (now >= t.expires_at) {
    return core::MakeError(ErrorKind::kExpiredAccessToken, "access_token expired");
  }
  return entry.who;
}

core::Status TokenService::Revoke(std::int64_t org_id, std::string_view principal) {
  CORPHUB_TRY(store_.Write([&](CorpUnit& u) -> core::Status {
    auto gone = u.Tokens().DeleteOf(org_id, principal);
    if (!gone) return std::move(gone).error();
    return core::Ok();
  }));
  std::lock_guard lock(mu_);
  std::erase_if(cache_, [&](const auto& entry) {
    return entry.second.who.org_id == org_id && entry.second.who.principal == principal;
  });
  return core::Ok();
}

}  // namespace corphub::corp
