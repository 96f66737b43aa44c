// Test-only helper: bytes from a hex literal, written independently of crypto/encoding.hpp so
// that known-answer tests do not depend on the code under test to build their inputs.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace corphub::crypto::test_support {

inline std::string Bytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw std::invalid_argument("test hex literal: bad digit");
  };
  if (hex.size() % 2 != 0) throw std::invalid_argument("test hex literal: odd length");
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

}  // namespace corphub::crypto::test_support
