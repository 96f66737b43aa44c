#pragma once
// An app's menu (menu/create): up to 3 buttons at the bottom of the app's conversation, each a
// leaf or a submenu of up to 5 leaves, with WeCom's types and limits (reference §6). The
// /cgi-bin decoder builds the buttons from the request; the rules and the stored form are here.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::apps {

struct MenuButton {
  std::string type;  // a leaf's: click, view, scancode_push, ... (empty for a submenu)
  std::string name;
  std::string key;       // click, scancode_*, pic_*, location_select: what the event carries
  std::string url;       // view: what opens
  std::string appid;     // view_miniprogram
  std::string pagepath;  // view_miniprogram
  std::vector<MenuButton> sub_button;  // a submenu's leaves
  bool has_sub_button = false;         // the request named "sub_button" (even empty)
};

inline constexpr std::size_t kMaxMenuButtons = 3;
inline constexpr std::size_t kMaxSubButtons = 5;
inline constexpr std::size_t kMaxTopNameBytes = 16;
inline constexpr std::size_t kMaxSubNameBytes = 40;
inline constexpr std::size_t kMaxKeyBytes = 128;
inline constexpr std::size_t kMaxUrlBytes = 1024;

// True for WeCom's leaf types.
bool IsMenuButtonType(std::string_view type);
// Does the menu keep WeCom's rules? 40016 for 0 or more than 3 buttons, 40017 for an empty
// submenu or one over 5, 40015 for a leaf of no known type (or missing the appid and pagepath
// of view_miniprogram), 40018 for an empty name or one over 16 bytes (40 in a submenu), 40019
// for a missing key or one over 128 bytes, 40054 for a view button without an http(s) url of at
// most 1024 bytes, 40022 for a submenu inside a submenu. The error names the button
// ("button 2.1").
core::Status ValidateMenu(const std::vector<MenuButton>& buttons);
// {"button":[...]}: each leaf with its type, name and the fields its type uses; each submenu
// with its name and sub_button. What menu/get gives back and the member client draws.
std::string MenuJson(const std::vector<MenuButton>& buttons);

}  // namespace corphub::apps
