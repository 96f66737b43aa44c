#pragma once
// Text rules shared by the directory's checks: WeCom counts name lengths in characters.
#include <cstddef>
#include <optional>
#include <string_view>

namespace corphub::directory {

// The number of code points in valid UTF-8; nullopt when `s` is not valid UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included).
std::optional<std::size_t> CountCodePoints(std::string_view s);

}  // namespace corphub::directory
