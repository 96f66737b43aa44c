// Holding secrets (app secrets, tokens, keys) so they neither linger in memory nor reach a log.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace corphub::crypto {

// A std::string whose bytes are zeroed (sodium_memzero) when it is destroyed, overwritten or
// moved from. It has no operator<< and no implicit conversion, so it cannot be streamed or
// formatted by accident; reading it takes an explicit view(). Compare with ConstantTimeEquals.
//
// Wiping covers this object's buffer only: copies the caller makes of view() are its own concern.
class SecretString {
 public:
  SecretString() = default;
  // Moves `value` in and wipes what the moved-from argument may still hold.
  explicit SecretString(std::string value);
  SecretString(const SecretString& other);
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();

  std::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }

  // Deleted rather than absent, so the compiler error names the reason.
  friend std::ostream& operator<<(std::ostream& os, const SecretString& secret) = delete;

 private:
  std::string value_;
};

// A log-safe hint of a secret: the first 3 and last 2 bytes around "***" when it is at least 12
// bytes long ("abc***yz"), otherwise just "***". Shown bytes that are not printable ASCII become
// '?', so the hint never carries a broken UTF-8 sequence or a control character into a log.
std::string MaskSecret(std::string_view secret);

}  // namespace corphub::crypto
