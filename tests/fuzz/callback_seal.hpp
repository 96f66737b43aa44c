#pragma once
// The sender's side of the WeCom callback, for the fuzz target and its seeds: a message sealed
// as WeCom seals it (16 random bytes, the message's length as 4 big-endian bytes, the message,
// the receiveid; PKCS#7 over 32 bytes; AES-256-CBC with the IV the key's first 16 bytes;
// base64) and put in the <xml> envelope a callback URL receives. The key is made up.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/aes.hpp"
#include "crypto/encoding.hpp"

namespace corphub::fuzz {

inline constexpr std::size_t kWecomBlock = 32;
inline constexpr std::string_view kCallbackKey = "0123456789abcdef0123456789ABCDEF";
inline constexpr std::string_view kReceiveId = "wwfuzzcorp0000001";

inline std::string_view CallbackIv() { return kCallbackKey.substr(0, crypto::kAesBlockBytes); }

// The <Encrypt> text of `message`; nullopt only if AES refuses (a bug: the sizes are right).
inline std::optional<std::string> Seal(std::string_view message, std::string_view random16) {
  std::string plain(random16);
  const auto n = static_cast<std::uint32_t>(message.size());
  for (int shift = 24; shift >= 0; shift -= 8) plain += static_cast<char>((n >> shift) & 0xFF);
  plain += message;
  plain += kReceiveId;
  auto cipher = crypto::Aes256CbcEncrypt(
      kCallbackKey, CallbackIv(), crypto::Pkcs7Pad(plain, kWecomBlock), crypto::Padding::kNone);
  if (!cipher) return std::nullopt;
  return crypto::Base64Encode(*cipher);
}

inline std::string Envelope(std::string_view encrypt) {
  return "<xml><ToUserName><![CDATA[" + std::string(kReceiveId) +
         "]]></ToUserName><Encrypt><![CDATA[" + std::string(encrypt) +
         "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
}

}  // namespace corphub::fuzz
