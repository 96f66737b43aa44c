#pragma once
// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 30-second steps,
// six digits): what authenticator apps compute, for administrators' second factor. Secrets are
// written in RFC 4648 base32 (no padding), as otpauth:// URIs carry them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corphub::crypto {

inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

std::string HmacSha1(std::string_view key, std::string_view data);

// Upper-case A-Z2-7, without padding.
std::string Base32Encode(std::string_view bytes);
// Accepts either case, spaces and trailing '='; nullopt on any other character.
std::optional<std::string> Base32Decode(std::string_view text);

// The HOTP value of `counter`, zero-padded to `digits`.
std::string Hotp(std::string_view secret, std::uint64_t counter, int digits = kTotpDigits);

// The step that `code` matches at unix time `now`, looking `window` steps either side, and
// only at steps after `after_step` (a code used once does not work again); nullopt otherwise.
std::optional<std::int64_t> TotpMatch(std::string_view secret, std::string_view code,
                                      std::int64_t now, std::int64_t after_step, int window = 1);

// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret);

}  // namespace corphub::crypto
