#pragma once
// Text rules shared by the directory's checks: WeCom counts name lengths in characters.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corphub::directory {

// The number of code points in valid UTF-8; nullopt when `s` is not valid UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included).
std::optional<std::size_t> CountCodePoints(std::string_view s);

// The items' texts joined by commas, as WeCom's change_contact events list them ("1,2,3").
template <class T, class F>
std::string JoinedWithCommas(const std::vector<T>& items, F&& text_of) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += text_of(item);
  }
  return out;
}

}  // namespace corphub::directory
