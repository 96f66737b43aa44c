#include "apps/menu.hpp"

#include <array>

#include "core/json_writer.hpp"
#include "core/text.hpp"

namespace corphub::apps {
namespace {

using core::ErrorKind;

constexpr std::array<std::string_view, 9> kTypes = {"click",           "view",
                                                    "scancode_push",   "scancode_waitmsg",
                                                    "pic_sysphoto",    "pic_photo_or_album",
                                                    "pic_weixin",      "location_select",
                                                    "view_miniprogram"};

bool UsesKey(std::string_view type) { return type != "view" && type != "view_miniprogram"; }

core::Error Bad(ErrorKind kind, const std::string& where, std::string_view what) {
  return core::MakeError(kind, where + ": " + std::string(what));
}

core::Status CheckName(const MenuButton& b, const std::string& where, std::size_t max) {
  if (b.name.empty() || b.name.size() > max) {
    return Bad(ErrorKind::kMenuNameLength, where,
               "a name takes 1 to " + std::to_string(max) + " bytes");
  }
  return core::Ok();
}

core::Status CheckLeaf(const MenuButton& b, const std::string& where, std::size_t max_name) {
  if (!IsMenuButtonType(b.type)) {
    return Bad(ErrorKind::kMenuButtonType, where,
               b.type.empty() ? "a button needs a type or a sub_button"
                              : "no button type \"" + b.type + "\"");
  }
  CORPHUB_TRY(CheckName(b, where, max_name));
  if (UsesKey(b.type) && (b.key.empty() || b.key.size() > kMaxKeyBytes)) {
    return Bad(ErrorKind::kMenuKeyLength, where,
               "a " + b.type + " button's key takes 1 to 128 bytes");
  }
  if (b.type == "view" && (b.url.size() > kMaxUrlBytes || !core::IsHttpUrl(b.url))) {
    return Bad(ErrorKind::kMenuUrl, where,
               "a view button's url is an http or https URL of at most 1024 bytes");
  }
  if (b.type == "view_miniprogram" && (b.appid.empty() || b.pagepath.empty())) {
    return Bad(ErrorKind::kMenuButtonType, where,
               "a view_miniprogram button needs an appid and a pagepath");
  }
  return core::Ok();
}

std::string LeafJson(const MenuButton& b) {
  core::JsonObjectWriter w;
  w.Str("type", b.type).Str("name", b.name);
  if (UsesKey(b.type)) w.Str("key", b.key);
  if (b.type == "view") w.Str("url", b.url);
  if (b.type == "view_miniprogram") w.Str("appid", b.appid).Str("pagepath", b.pagepath);
  return w.Done();
}

}  // namespace

bool IsMenuButtonType(std::string_view type) {
  for (auto t : kTypes) {
    if (t == type) return true;
  }
  return false;
}

core::Status ValidateMenu(const std::vector<MenuButton>& buttons) {
  if (buttons.empty() || buttons.size() > kMaxMenuButtons) {
    return core::MakeError(ErrorKind::kMenuButtonCount, "a menu has 1 to 3 buttons");
  }
  for (std::size_t i = 0; i < buttons.size(); ++i) {
    const MenuButton& b = buttons[i];
    const std::string where = "button " + std::to_string(i + 1);
    if (!b.has_sub_button) {
      CORPHUB_TRY(CheckLeaf(b, where, kMaxTopNameBytes));
      continue;
    }
    CORPHUB_TRY(CheckName(b, where, kMaxTopNameBytes));
    if (b.sub_button.empty() || b.sub_button.size() > kMaxSubButtons) {
      return Bad(ErrorKind::kMenuSubButtonCount, where, "a submenu has 1 to 5 buttons");
    }
    for (std::size_t j = 0; j < b.sub_button.size(); ++j) {
      const MenuButton& leaf = b.sub_button[j];
      const std::string at = where + "." + std::to_string(j + 1);
      if (leaf.has_sub_button) {
        return Bad(ErrorKind::kMenuLevel, at, "a menu has two levels: no submenu in a submenu");
      }
      CORPHUB_TRY(CheckLeaf(leaf, at, kMaxSubNameBytes));
    }
  }
  return core::Ok();
}

std::string MenuJson(const std::vector<MenuButton>& buttons) {
  std::vector<std::string> items;
  items.reserve(buttons.size());
  for (const MenuButton& b : buttons) {
    if (!b.has_sub_button) {
      items.push_back(LeafJson(b));
      continue;
    }
    std::vector<std::string> subs;
    for (const MenuButton& leaf : b.sub_button) subs.push_back(LeafJson(leaf));
    items.push_back(
        core::JsonObjectWriter().Str("name", b.name).RawArray("sub_button", subs).Done());
  }
  return core::JsonObjectWriter().RawArray("button", items).Done();
}

}  // namespace corphub::apps
