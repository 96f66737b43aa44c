// AES-256-CBC, shaped for the WeCom callback protocol.
//
// WeCom pads with PKCS#7 over a 32-byte block, which OpenSSL cannot do, so its callers pad with
// Pkcs7Pad(text, 32), encrypt with Padding::kNone, and reverse that with Pkcs7Unpad(text, 32).
//
// CBC alone is not authenticated: a caller must check a signature or MAC over the ciphertext
// before decrypting (WeCom's msg_signature), or a tampered message can decrypt to garbage.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace corphub::crypto {

inline constexpr std::size_t kAes256KeyBytes = 32;
inline constexpr std::size_t kAesBlockBytes = 16;

enum class Padding {
  kPkcs7,  // OpenSSL's PKCS#7 over the 16-byte AES block.
  kNone,   // Input must already be a multiple of 16 bytes.
};

// nullopt when the key is not 32 bytes, the IV not 16 bytes, or (kNone) the plaintext length is
// not a multiple of 16.
std::optional<std::string> Aes256CbcEncrypt(std::string_view key, std::string_view iv,
                                            std::string_view plaintext, Padding padding);

// nullopt for bad key/IV sizes, a ciphertext length that is not a multiple of 16 (or empty, for
// kPkcs7), or (kPkcs7) invalid padding after decryption.
std::optional<std::string> Aes256CbcDecrypt(std::string_view key, std::string_view iv,
                                            std::string_view ciphertext, Padding padding);

// Appends 1..block bytes, each equal to the count appended. `block` must be in 1..255, the range
// a single padding byte can express; anything else is a programming error and throws
// std::invalid_argument.
std::string Pkcs7Pad(std::string text, std::size_t block);

// Strips PKCS#7 padding after checking every padding byte. nullopt when the length is zero or not
// a multiple of `block`, the pad value is outside 1..block, any padding byte differs, or `block`
// is outside 1..255. The padding bytes are compared without an early exit.
std::optional<std::string> Pkcs7Unpad(std::string_view text, std::size_t block);

}  // namespace corphub::crypto
