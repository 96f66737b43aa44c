#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "crypto/encoding.hpp"

namespace corphub::crypto {
namespace {

constexpr std::string_view kTokenAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// The largest multiple of the alphabet size that fits in a byte (62 * 4 = 248). Bytes at or above
// it are discarded so that every accepted byte maps onto the alphabet equally often.
constexpr unsigned kTokenAcceptBelow = 256 / kTokenAlphabet.size() * kTokenAlphabet.size();

void FillRandom(unsigned char* out, std::size_t n) {
  while (n > 0) {
    const std::size_t chunk = std::min<std::size_t>(n, INT_MAX);
    if (RAND_bytes(out, static_cast<int>(chunk)) != 1) {
      throw std::runtime_error("crypto: RAND_bytes failed (no entropy available)");
    }
    out += chunk;
    n -= chunk;
  }
}

}  // namespace

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  FillRandom(reinterpret_cast<unsigned char*>(out.data()), n);
  return out;
}

std::string RandomToken(std::size_t chars) {
  std::string token;
  token.reserve(chars);
  while (token.size() < chars) {
    // About 3% of bytes are rejected; draw a little extra so one round nearly always suffices.
    const std::size_t missing = chars - token.size();
    const std::string pool = RandomBytes(missing + missing / 16 + 8);
    for (const char c : pool) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < kTokenAcceptBelow) {
        token.push_back(kTokenAlphabet[byte % kTokenAlphabet.size()]);
        if (token.size() == chars) {
          break;
        }
      }
    }
  }
  return token;
}

std::string RandomHex(std::size_t bytes) { return HexEncode(RandomBytes(bytes)); }

std::uint64_t RandomU64() {
  unsigned char buffer[sizeof(std::uint64_t)];
  FillRandom(buffer, sizeof(buffer));
  std::uint64_t value = 0;
  std::memcpy(&value, buffer, sizeof(value));
  return value;
}

}  // namespace corphub::crypto
