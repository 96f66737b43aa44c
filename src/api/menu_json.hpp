#pragma once
// An app's menu from a JSON body ({"button":[...]}, WeCom's menu/create), for /cgi-bin and the
// console alike. Decoding refuses what is not a menu's shape (47001 for bad JSON, 40016 without
// a button list, 40017 for a sub_button that is not a list, 40058 for a field of the wrong
// type); apps::ValidateMenu judges the rest.
#include <string_view>
#include <vector>

#include "apps/menu.hpp"
#include "core/result.hpp"

namespace corphub::api {

core::Result<std::vector<apps::MenuButton>> DecodeMenu(std::string_view body);

}  // namespace corphub::api
