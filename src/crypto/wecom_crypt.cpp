#include "crypto/wecom_crypt.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "crypto/aes.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace corphub::crypto {
namespace {

constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string RandomAlnum(std::size_t n) {
  std::string out;
  out.reserve(n);
  // 62 does not divide 256: draw bytes below 248 (4 × 62) so every character is as likely.
  while (out.size() < n) {
    for (unsigned char b : RandomBytes(n)) {
      if (b < 248 && out.size() < n) out += kAlnum[b % kAlnum.size()];
    }
  }
  return out;
}

}  // namespace

bool IsEncodingAesKey(std::string_view text) {
  return text.size() == kEncodingAesKeyChars && std::all_of(text.begin(), text.end(), IsAlnum);
}

std::string NewEncodingAesKey() {
  // Any 43 alphanumerics decode to 32 bytes (the last character's low bits are dropped).
  return RandomAlnum(kEncodingAesKeyChars);
}

std::optional<WecomCrypt> WecomCrypt::Make(std::string token, std::string_view encoding_aes_key,
                                           std::string receive_id) {
  if (!IsEncodingAesKey(encoding_aes_key)) return std::nullopt;
  // The 43rd character carries 2 bits past the key's 256: WeCom ignores them (as lenient base64
  // decoders do), so they are cleared before a strict decode.
  std::string text(encoding_aes_key);
  constexpr std::string_view kBase64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  text.back() = kBase64[kBase64.find(text.back()) & ~std::size_t{3}];
  auto key = Base64Decode(text + "=");
  if (!key || key->size() != kAes256KeyBytes) return std::nullopt;
  return WecomCrypt(std::move(token), std::move(*key), std::move(receive_id));
}

std::string WecomCrypt::Sign(std::string_view timestamp, std::string_view nonce,
                             std::string_view encrypt) const {
  std::array<std::string_view, 4> parts = {token_, timestamp, nonce, encrypt};
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto p : parts) joined += p;
  return Sha1Hex(joined);
}

bool WecomCrypt::Verify(std::string_view signature, std::string_view timestamp,
                        std::string_view nonce, std::string_view encrypt) const {
  return ConstantTimeEquals(Sign(timestamp, nonce, encrypt), signature);
}

std::string WecomCrypt::Seal(std::string_view message) const {
  return SealWith(message, RandomAlnum(16));
}

std::string WecomCrypt::SealWith(std::string_view message, std::string_view random16) const {
  std::string plain(random16);
  const auto n = static_cast<std::uint32_t>(message.size());
  for (int shift = 24; shift >= 0; shift -= 8) plain += static_cast<char>((n >> shift) & 0xFF);
  plain += message;
  plain += receive_id_;
  auto cipher = Aes256CbcEncrypt(key_, std::string_view(key_).substr(0, kAesBlockBytes),
                                 Pkcs7Pad(std::move(plain), kWecomPadBlock), Padding::kNone);
  // The key is 32 bytes and the padded text whole blocks: AES cannot refuse.
  return Base64Encode(cipher.value_or(std::string()));
}

WecomCrypt::Opened WecomCrypt::Open(std::string_view encrypt) const {
  Opened out;
  auto cipher = Base64Decode(encrypt);
  if (!cipher) return out;
  out.failure = OpenFailure::kDecrypt;
  auto padded = Aes256CbcDecrypt(key_, std::string_view(key_).substr(0, kAesBlockBytes), *cipher,
                                 Padding::kNone);
  if (!padded) return out;
  auto plain = Pkcs7Unpad(*padded, kWecomPadBlock);
  if (!plain) return out;
  out.failure = OpenFailure::kLayout;
  if (plain->size() < 20) return out;
  std::uint32_t n = 0;
  for (int i = 16; i < 20; ++i) n = (n << 8) | static_cast<unsigned char>((*plain)[i]);
  if (n > plain->size() - 20) return out;
  out.failure = OpenFailure::kReceiveId;
  if (std::string_view(*plain).substr(20 + n) != receive_id_) return out;
  out.message = plain->substr(20, n);
  return out;
}

}  // namespace corphub::crypto
