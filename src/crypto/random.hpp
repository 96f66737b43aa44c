// Cryptographically secure randomness from OpenSSL's DRBG.
//
// These functions fail only when the operating system cannot supply entropy, which is a broken
// environment rather than an expected failure, so they throw std::runtime_error in that case.
// Code that needs reproducible randomness in tests should take a generator as a dependency
// instead of calling these directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace corphub::crypto {

// n random bytes.
std::string RandomBytes(std::size_t n);

// `chars` characters drawn uniformly from [A-Za-z0-9] (about 5.95 bits each); safe in URLs,
// file names and WeCom tokens. Uses rejection sampling, so there is no modulo bias.
std::string RandomToken(std::size_t chars);

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(std::size_t bytes);

std::uint64_t RandomU64();

}  // namespace corphub::crypto
