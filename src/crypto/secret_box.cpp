#include "crypto/secret_box.hpp"

#include <sodium.h>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace corphub::crypto {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::optional<SecretBox> SecretBox::FromKey(std::string_view key) {
  if (key.size() != kKeyBytes) return std::nullopt;
  return SecretBox(std::string(key));
}

std::string SecretBox::Seal(std::string_view plain) const {
  const std::string nonce = RandomBytes(crypto_secretbox_NONCEBYTES);
  std::string sealed(crypto_secretbox_MACBYTES + plain.size(), '\0');
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(sealed.data()), Bytes(plain), plain.size(),
                        Bytes(nonce), Bytes(key_));
  return std::string(kPrefix) + Base64Encode(nonce + sealed);
}

std::optional<std::string> SecretBox::Open(std::string_view stored) const {
  if (!IsSealed(stored)) return std::string(stored);
  auto raw = Base64Decode(stored.substr(kPrefix.size()));
  if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  const std::string_view all(*raw);
  const std::string_view nonce = all.substr(0, crypto_secretbox_NONCEBYTES);
  const std::string_view box = all.substr(crypto_secretbox_NONCEBYTES);
  std::string plain(box.size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), Bytes(box),
                                 box.size(), Bytes(nonce), Bytes(key_)) != 0) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace corphub::crypto
