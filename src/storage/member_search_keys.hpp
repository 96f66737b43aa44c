#pragma once
// The admin console's search keys of a member (migration 0007), written with every member row.
#include <string>

#include "directory/member.hpp"

namespace corphub::storage {

inline constexpr char kKeySeparator = '\x1f';

// The name in pinyin (the list's order), the fields a query matches as a prefix (each after a
// kKeySeparator) and those it matches anywhere. Only ASCII is lowercased, on both backends alike
// (the query is lowercased the same way).
struct SearchKeys {
  std::string pinyin;
  std::string prefix;
  std::string any;
};

SearchKeys SearchKeysOf(const directory::Member& m);

}  // namespace corphub::storage
