#include "crypto/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <stdexcept>

#include "crypto/hash.hpp"

namespace corphub::crypto {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Percent-encodes all but RFC 3986's unreserved characters (this layer does not use core's).
std::string UriEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string HmacSha1(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) return HmacSha1(Sha1(key), data);
  static constexpr unsigned char kNoBytes[1] = {0};
  const void* key_ptr = key.empty() ? kNoBytes : static_cast<const void*>(key.data());
  const auto* data_ptr =
      data.empty() ? kNoBytes : reinterpret_cast<const unsigned char*>(data.data());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha1(), key_ptr, static_cast<int>(key.size()), data_ptr, data.size(), out, &size) ==
      nullptr) {
    throw std::runtime_error("crypto: HMAC-SHA1 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ') continue;
    const char up = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    const auto at = kAlphabet.find(up);
    if (at == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(at);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string Hotp(std::string_view secret, std::uint64_t counter, int digits) {
  char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<char>(counter & 0xFF);
    counter >>= 8;
  }
  const std::string mac = HmacSha1(secret, std::string_view(msg, 8));
  const auto offset = static_cast<std::size_t>(static_cast<unsigned char>(mac.back()) & 0x0F);
  const std::uint32_t binary =
      ((static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset])) & 0x7F) << 24) |
      (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
      (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
      static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string out = std::to_string(binary % modulus);
  while (out.size() < static_cast<std::size_t>(digits)) out.insert(out.begin(), '0');
  return out;
}

std::optional<std::int64_t> TotpMatch(std::string_view secret, std::string_view code,
                                      std::int64_t now, std::int64_t after_step, int window) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits) || secret.empty()) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t step = now / kTotpStepSeconds;
  std::optional<std::int64_t> found;
  // Every candidate is computed and compared, so the time taken does not say which matched.
  for (std::int64_t s = step - window; s <= step + window; ++s) {
    if (s < 0) continue;
    const bool same = ConstantTimeEquals(Hotp(secret, static_cast<std::uint64_t>(s)), code);
    if (same && s > after_step && !found) found = s;
  }
  return found;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret) {
  return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) +
         "?secret=" + std::string(base32_secret) + "&issuer=" + UriEscape(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace corphub::crypto
