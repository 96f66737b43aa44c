#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace corphub::core {

// "%E4%BD%A0" -> its bytes; '+' becomes ' ' only when plus_is_space (query strings, not paths).
// nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space = false);

// The other way: every byte but the unreserved ones (A-Z a-z 0-9 - _ . ~) and those in `keep`
// as %XX (uppercase hex).
std::string PercentEncode(std::string_view in, std::string_view keep = {});

}  // namespace corphub::core
