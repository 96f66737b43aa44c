#pragma once
// Ids and tokens are injected, so tests get predictable values.
#include <atomic>
#include <cstddef>
#include <string>

namespace corphub::core {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A random [A-Za-z0-9] string of `chars` characters (secrets, tokens, opaque ids).
  virtual std::string Token(std::size_t chars) = 0;
  // `n` random decimal digits (one-time codes).
  virtual std::string Digits(std::size_t n) = 0;
};

// For tests: "t1", "t2", ... padded with 'x' to the requested length (never shorter than
// "t<n>", so tokens stay unique).
class SequenceIdGenerator final : public IdGenerator {
 public:
  std::string Token(std::size_t chars) override {
    std::string s = "t" + std::to_string(++next_);
    if (s.size() < chars) s.append(chars - s.size(), 'x');
    return s;
  }
  // "000001", "000002", ...: the n-digit number of each call.
  std::string Digits(std::size_t n) override {
    std::string s = std::to_string(++digits_);
    if (s.size() < n) s.insert(0, n - s.size(), '0');
    return s.substr(s.size() - n);
  }

 private:
  std::atomic<unsigned long long> digits_{0};
  std::atomic<unsigned long long> next_{0};
};

}  // namespace corphub::core
