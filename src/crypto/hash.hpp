// Message digests and MACs (OpenSSL EVP). Results are raw bytes; the *Hex variants are lowercase.
//
// SHA-1 is here only because the WeCom callback signature (msg_signature) is defined with it; do
// not use it for anything new.
#pragma once

#include <string>
#include <string_view>

namespace corphub::crypto {

// 20 raw bytes.
std::string Sha1(std::string_view data);
std::string Sha1Hex(std::string_view data);

// 32 raw bytes.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256, 32 raw bytes. Any key length is valid (RFC 2104).
std::string HmacSha256(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths, never on where the inputs differ. Use it for
// every comparison of a secret, signature or token against an attacker-supplied value. Unequal
// lengths return false at once: the length of a MAC or token is not secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace corphub::crypto
