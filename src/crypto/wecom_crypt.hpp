#pragma once
// WeCom's callback cryptography (reference §8, WXBizMsgCrypt): what corphub seals for an app's
// callback URL and opens of what comes back (the echostr of URL verification, passive replies).
//
// The EncodingAESKey is 43 characters of [A-Za-z0-9]; with "=" appended it is the base64 of the
// 32-byte AES-256 key, whose first 16 bytes are the CBC IV. A sealed message is base64 of
// AES-256-CBC over PKCS#7 (32-byte block) of: 16 random bytes, the message's length as 4
// big-endian bytes, the message, the receiveid (the CorpID). The signature is the lowercase hex
// SHA-1 of token, timestamp, nonce and the sealed text, sorted bytewise and concatenated.
#include <optional>
#include <string>
#include <string_view>

namespace corphub::crypto {

inline constexpr std::size_t kEncodingAesKeyChars = 43;
inline constexpr std::size_t kWecomPadBlock = 32;

// 43 characters of [A-Za-z0-9].
bool IsEncodingAesKey(std::string_view text);
// A new random EncodingAESKey.
std::string NewEncodingAesKey();

enum class OpenFailure {
  kBase64,     // -40010: not base64
  kDecrypt,    // -40007: not a whole number of blocks, or bad padding
  kLayout,     // -40008: shorter than its header, or a length past the end
  kReceiveId,  // -40005: sealed for another receiveid
};

class WecomCrypt {
 public:
  // nullopt when `encoding_aes_key` is not an EncodingAESKey.
  static std::optional<WecomCrypt> Make(std::string token, std::string_view encoding_aes_key,
                                        std::string receive_id);

  // sha1 of the four strings sorted and joined, lowercase hex.
  std::string Sign(std::string_view timestamp, std::string_view nonce,
                   std::string_view encrypt) const;
  // Compares in constant time.
  bool Verify(std::string_view signature, std::string_view timestamp, std::string_view nonce,
              std::string_view encrypt) const;
  // Seals `message` with 16 random alphanumeric bytes in front.
  std::string Seal(std::string_view message) const;
  // The same with the 16 bytes given (tests; exactly 16).
  std::string SealWith(std::string_view message, std::string_view random16) const;
  // The message inside `encrypt`, or why not; the receiveid must be ours.
  struct Opened {
    std::optional<std::string> message;
    OpenFailure failure = OpenFailure::kBase64;
  };
  Opened Open(std::string_view encrypt) const;

  const std::string& token() const { return token_; }
  const std::string& receive_id() const { return receive_id_; }

 private:
  WecomCrypt(std::string token, std::string key, std::string receive_id)
      : token_(std::move(token)), key_(std::move(key)), receive_id_(std::move(receive_id)) {}
  std::string token_;
  std::string key_;  // 32 bytes
  std::string receive_id_;
};

}  // namespace corphub::crypto
