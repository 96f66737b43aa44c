#pragma once
// The values that cross the SQL surface: statement parameters and result cells.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace corphub::storage {

// NULL, a 64-bit integer (also booleans, as 0/1), a double, or text (bytes, UTF-8 by convention).
// Pass a std::string_view as std::string(view); sizes as std::int64_t: the variant refuses
// narrowing conversions on purpose.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// Positional parameters for the `?` placeholders of one statement, in order.
using Params = std::vector<Value>;

inline Value BoolValue(bool b) { return std::int64_t{b ? 1 : 0}; }

}  // namespace corphub::storage
