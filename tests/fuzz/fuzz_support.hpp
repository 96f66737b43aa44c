#pragma once
// What the fuzz targets share: the input as text, a check that stops the run with a message
// (libFuzzer keeps the input that made it fail), and splitting an input into pieces.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace corphub::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A broken promise of the code under test: says which, then aborts so that libFuzzer reports the
// input as a crash and writes it out.
[[noreturn]] inline void Fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n", file, line, what);
  std::abort();
}

// Splits at every `separator`; n separators give n + 1 pieces (some may be empty).
inline std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    const std::size_t at = s.find(separator);
    pieces.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    s.remove_prefix(at + 1);
  }
}

// True when `inner` lies within `outer` (both views of the same buffer).
inline bool Within(std::string_view inner, std::string_view outer) {
  const auto b = reinterpret_cast<std::uintptr_t>(outer.data());
  const auto e = b + outer.size();
  const auto i = reinterpret_cast<std::uintptr_t>(inner.data());
  return inner.empty() || (i >= b && i + inner.size() <= e);
}

}  // namespace corphub::fuzz

#define FUZZ_CHECK(cond)                                           \
  do {                                                             \
    if (!(cond)) ::corphub::fuzz::Fail(__FILE__, __LINE__, #cond); \
  } while (false)
