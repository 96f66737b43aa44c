#include "crypto/encoding.hpp"

#include <sodium.h>

#include <cstddef>

namespace corphub::crypto {
namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_ORIGINAL;

// libsodium works on unsigned bytes; std::string stores char. Both are byte-sized, and these
// pointers are only handed to libsodium, which reads/writes them as raw bytes.
const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  // The encoded length macro counts libsodium's trailing NUL.
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kBase64Variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), kBase64Variant);
  out.pop_back();
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  // libsodium 1.0.18 takes bytes from 0x80 up for '/' (its lookup sees them as negative), so the
  // alphabet is checked here first.
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  std::size_t written = 0;
  // No ignore set and no end pointer: libsodium then fails unless the whole input is consumed.
  if (sodium_base642bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &written,
                        nullptr, kBase64Variant) != 0) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out(text.size() / 2, '\0');
  std::size_t written = 0;
  if (sodium_hex2bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &written,
                     nullptr) != 0 ||
      written != out.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace corphub::crypto
