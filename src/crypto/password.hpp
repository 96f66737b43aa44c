// Password hashing with argon2id (libsodium crypto_pwhash), stored in the PHC string format
// ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carries its own salt and parameters.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace corphub::crypto {

struct PasswordParams {
  unsigned long long ops_limit;
  std::size_t mem_limit;

  // libsodium's INTERACTIVE limits (2 passes, 64 MiB): the production setting.
  static const PasswordParams kInteractive;
  // The cheapest setting libsodium accepts (1 pass, 8 KiB). Offers no protection: tests only.
  static const PasswordParams kTesting;
};

inline constexpr PasswordParams PasswordParams::kInteractive{
    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
inline constexpr PasswordParams PasswordParams::kTesting{crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                                         crypto_pwhash_argon2id_MEMLIMIT_MIN};

class PasswordHasher {
 public:
  // Longer passwords are refused so that a login request cannot make the server hash megabytes.
  static constexpr std::size_t kMaxPasswordBytes = 4096;

  // Throws std::invalid_argument when the params are below libsodium's minimum, and
  // std::runtime_error when libsodium cannot initialise (a broken environment).
  explicit PasswordHasher(PasswordParams params);

  // A fresh salt on every call, so equal passwords give different strings.
  // Precondition: password.size() <= kMaxPasswordBytes. Callers validate user input first; a longer
  // password is a programming error and throws std::invalid_argument. Throws std::runtime_error
  // if the memory for the hash cannot be allocated.
  std::string Hash(std::string_view password) const;

  // False for a wrong password, a malformed hash, or a password over kMaxPasswordBytes.
  bool Verify(std::string_view hash, std::string_view password) const;

  // True when `hash` was not made by argon2id with exactly this hasher's params (including when
  // it is malformed); the caller should then store Hash(password) after a successful Verify.
  bool NeedsRehash(std::string_view hash) const;

 private:
  PasswordParams params_;
};

}  // namespace corphub::crypto
