#include "crypto/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <cstddef>
#include <stdexcept>

#include "crypto/encoding.hpp"

namespace corphub::crypto {
namespace {

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), out, &size, md, nullptr) != 1) {
    // Only possible when the default provider is unusable: a broken environment.
    throw std::runtime_error("crypto: EVP_Digest failed");
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace

std::string Sha1(std::string_view data) { return Digest(EVP_sha1(), data); }

std::string Sha1Hex(std::string_view data) { return HexEncode(Sha1(data)); }

std::string Sha256(std::string_view data) { return Digest(EVP_sha256(), data); }

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) {
    // HMAC replaces any key longer than the block size by its hash (RFC 2104 §3); doing it here
    // keeps the length within OpenSSL's int parameter without changing the result.
    return HmacSha256(Sha256(key), data);
  }
  // An empty std::string_view may carry a null pointer, which OpenSSL treats as "no key given"
  // rather than "empty key"; always pass a real address.
  static constexpr unsigned char kNoBytes[1] = {0};
  const void* key_ptr = key.empty() ? kNoBytes : static_cast<const void*>(key.data());
  const auto* data_ptr =
      data.empty() ? kNoBytes : reinterpret_cast<const unsigned char*>(data.data());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()), data_ptr, data.size(), out,
           &size) == nullptr) {
    throw std::runtime_error("crypto: HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace corphub::crypto
