#include "crypto/secret.hpp"

#include <sodium.h>

#include <utility>

namespace corphub::crypto {
namespace {

constexpr std::size_t kMaskMinLength = 12;
constexpr std::size_t kMaskHead = 3;
constexpr std::size_t kMaskTail = 2;
constexpr std::string_view kMask = "***";

// Zeroes the whole buffer, including bytes past size() left over from earlier contents: growing
// the string to its capacity never reallocates, and makes every byte addressable.
void Wipe(std::string& s) noexcept {
  s.resize(s.capacity());
  sodium_memzero(s.data(), s.size());
  s.clear();
}

char Printable(char c) { return c >= 0x20 && c < 0x7f ? c : '?'; }

}  // namespace

SecretString::SecretString(std::string value) : value_(std::move(value)) { Wipe(value); }

SecretString::SecretString(const SecretString& other) : value_(other.value_) {}

SecretString::SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
  Wipe(other.value_);
}

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    Wipe(value_);
    value_ = other.value_;
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe(value_);
    value_ = std::move(other.value_);
    Wipe(other.value_);
  }
  return *this;
}

SecretString::~SecretString() { Wipe(value_); }

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < kMaskMinLength) {
    return std::string(kMask);
  }
  std::string out;
  out.reserve(kMaskHead + kMask.size() + kMaskTail);
  for (const char c : secret.substr(0, kMaskHead)) {
    out.push_back(Printable(c));
  }
  out.append(kMask);
  for (const char c : secret.substr(secret.size() - kMaskTail)) {
    out.push_back(Printable(c));
  }
  return out;
}

}  // namespace corphub::crypto
