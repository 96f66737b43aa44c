#include "crypto/password.hpp"

#include <array>
#include <mutex>
#include <stdexcept>

namespace corphub::crypto {
namespace {

void EnsureSodiumInitialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    // 0 = initialised now, 1 = already initialised elsewhere; both are fine. If this throws, the
    // flag stays unset and the next caller retries.
    if (sodium_init() < 0) {
      throw std::runtime_error("crypto: sodium_init failed");
    }
  });
}

// libsodium reads the stored hash as a NUL-terminated C string of at most STRBYTES - 1
// characters. Copying into a buffer of that size and refusing embedded NULs keeps it from reading
// past the input and from ignoring anything after a NUL.
bool CopyHashString(std::string_view hash, std::array<char, crypto_pwhash_STRBYTES>& out) {
  if (hash.size() >= out.size() || hash.find('\0') != std::string_view::npos) {
    return false;
  }
  out.fill('\0');
  hash.copy(out.data(), hash.size());
  return true;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordParams params) : params_(params) {
  EnsureSodiumInitialised();
  if (params.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.ops_limit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      params.mem_limit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params.mem_limit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    throw std::invalid_argument("PasswordHasher: argon2id limits out of range");
  }
}

std::string PasswordHasher::Hash(std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) {
    throw std::invalid_argument("PasswordHasher::Hash: password longer than kMaxPasswordBytes");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), params_.ops_limit,
                            params_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("PasswordHasher::Hash: argon2id failed (out of memory)");
  }
  return std::string(out.data());
}

bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  if (password.size() > kMaxPasswordBytes || !CopyHashString(hash, stored)) {
    return false;
  }
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view hash) const {
  // libsodium would also accept an argon2i string whose limits match; our policy is argon2id.
  constexpr std::string_view kPrefix = crypto_pwhash_argon2id_STRPREFIX;
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  if (!hash.starts_with(kPrefix) || !CopyHashString(hash, stored)) {
    return true;
  }
  // 0 = matches, 1 = different limits, -1 = malformed.
  return crypto_pwhash_str_needs_rehash(stored.data(), params_.ops_limit, params_.mem_limit) != 0;
}

}  // namespace corphub::crypto
