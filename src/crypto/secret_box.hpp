#pragma once
// Secrets the server must read back (the contacts-sync secret, administrators' TOTP secrets) are
// kept sealed at rest: XSalsa20-Poly1305 (libsodium's secretbox) under a 256-bit key that lives
// beside the data, not in the database, so a copy of the database alone does not give them away.
// A sealed value is "sb1:" + base64(nonce || ciphertext); anything else is taken as plain text
// (values written before sealing existed, sealed on the next start).
#include <optional>
#include <string>
#include <string_view>

namespace corphub::crypto {

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  static constexpr std::string_view kPrefix = "sb1:";

  // nullopt unless `key` is 32 bytes.
  static std::optional<SecretBox> FromKey(std::string_view key);

  std::string Seal(std::string_view plain) const;
  // The plain text; nullopt when a sealed value does not open with this key (tampered, or
  // another key). A value without the prefix comes back as it is.
  std::optional<std::string> Open(std::string_view stored) const;
  static bool IsSealed(std::string_view stored) {
    return stored.substr(0, kPrefix.size()) == kPrefix;
  }

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace corphub::crypto
