#pragma once
#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace corphub::corp {

// The organisation a deployment serves. Tables of later domains carry its id (corp_id), so one
// deployment could host several; by default there is exactly one, made on first start.
struct Organisation {
  std::int64_t id = 0;  // assigned by the store
  std::string corpid;   // WeCom-style "ww" + 16 characters; what SDKs send as corpid
  std::string name;
  std::string
      contacts_secret;  // the contacts-sync secret (通讯录同步 secret): reads and writes all
  core::TimePoint created_at{};
};

// An access_token as stored: only its SHA-256, never the token.
struct AccessToken {
  std::string token_hash;  // lowercase hex SHA-256 of the token
  std::int64_t org_id = 0;
  std::string principal;  // "contacts" for the contacts-sync secret; apps later: "app:<agentid>"
  core::TimePoint issued_at{};
  core::TimePoint expires_at{};
  // An app's token: which secret it was issued for (apps::SecretTag of the app's secret hash
  // then). Empty for the contacts secret.
  std::string secret_tag;
};

}  // namespace corphub::corp
