#pragma once
// Lets gtest print error kinds by name ("already_exists") instead of as bytes.
#include <ostream>

#include "core/error.hpp"

namespace corphub::core {

inline void PrintTo(ErrorKind kind, std::ostream* os) { *os << InfoOf(kind).code; }

}  // namespace corphub::core
