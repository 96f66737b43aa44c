// Binary-to-text encodings: standard Base64 (RFC 4648 §4) and lowercase hex.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace corphub::crypto {

// Standard alphabet with '=' padding, no line breaks.
std::string Base64Encode(std::string_view bytes);

// Strict: standard alphabet only, padding required, no whitespace, and the unused bits of the
// last group must be zero (so every byte string has exactly one accepted encoding).
std::optional<std::string> Base64Decode(std::string_view text);

// Lowercase hex, two characters per byte.
std::string HexEncode(std::string_view bytes);

// Accepts upper- and lowercase digits; rejects odd lengths and any other character.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace corphub::crypto
