#include "crypto/aes.hpp"

#include <openssl/evp.h>

#include <climits>
#include <memory>
#include <stdexcept>

namespace corphub::crypto {
namespace {

constexpr std::size_t kMaxPkcs7Block = 255;

// OpenSSL takes lengths as int; leave room for the padding block it may add.
constexpr std::size_t kMaxAesInput = static_cast<std::size_t>(INT_MAX) - 2 * kAesBlockBytes;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

enum class Direction { kDecrypt = 0, kEncrypt = 1 };

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::optional<std::string> RunCbc(Direction direction, std::string_view key, std::string_view iv,
                                  std::string_view input, Padding padding) {
  if (key.size() != kAes256KeyBytes || iv.size() != kAesBlockBytes || input.size() > kMaxAesInput) {
    return std::nullopt;
  }
  if ((padding == Padding::kNone || direction == Direction::kDecrypt) &&
      input.size() % kAesBlockBytes != 0) {
    return std::nullopt;
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) {
    throw std::bad_alloc();
  }
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, Bytes(key), Bytes(iv),
                        static_cast<int>(direction)) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), padding == Padding::kPkcs7 ? 1 : 0) != 1) {
    throw std::runtime_error("crypto: AES-256-CBC initialisation failed");
  }
  std::string out(input.size() + kAesBlockBytes, '\0');
  auto* out_ptr = reinterpret_cast<unsigned char*>(out.data());
  int update_len = 0;
  int final_len = 0;
  // Update cannot fail for a valid context; Final fails on bad padding when decrypting (and on
  // an empty kPkcs7 ciphertext), which is the expected-failure path.
  if (EVP_CipherUpdate(ctx.get(), out_ptr, &update_len, Bytes(input),
                       static_cast<int>(input.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out_ptr + update_len, &final_len) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(update_len) + static_cast<std::size_t>(final_len));
  return out;
}

}  // namespace

std::optional<std::string> Aes256CbcEncrypt(std::string_view key, std::string_view iv,
                                            std::string_view plaintext, Padding padding) {
  return RunCbc(Direction::kEncrypt, key, iv, plaintext, padding);
}

std::optional<std::string> Aes256CbcDecrypt(std::string_view key, std::string_view iv,
                                            std::string_view ciphertext, Padding padding) {
  return RunCbc(Direction::kDecrypt, key, iv, ciphertext, padding);
}

std::string Pkcs7Pad(std::string text, std::size_t block) {
  if (block == 0 || block > kMaxPkcs7Block) {
    throw std::invalid_argument("Pkcs7Pad: block size must be in 1..255");
  }
  const std::size_t pad = block - text.size() % block;
  text.append(pad, static_cast<char>(pad));
  return text;
}

std::optional<std::string> Pkcs7Unpad(std::string_view text, std::size_t block) {
  if (block == 0 || block > kMaxPkcs7Block || text.empty() || text.size() % block != 0) {
    return std::nullopt;
  }
  const auto pad = static_cast<unsigned char>(text.back());
  if (pad == 0 || pad > block) {
    return std::nullopt;
  }
  // Look at the whole last block and fold mismatches together, so the time taken does not reveal
  // how many padding bytes were right (the classic CBC padding oracle).
  unsigned mismatch = 0;
  for (std::size_t i = 1; i <= block; ++i) {
    const auto byte = static_cast<unsigned char>(text[text.size() - i]);
    const unsigned in_padding = i <= pad ? 1U : 0U;
    mismatch |= in_padding * static_cast<unsigned>(byte ^ pad);
  }
  if (mismatch != 0) {
    return std::nullopt;
  }
  return std::string(text.substr(0, text.size() - pad));
}

}  // namespace corphub::crypto
