#include "messaging/content.hpp"

#include <array>
#include <utility>

namespace corphub::messaging {
namespace {

// Every type with its WeCom name, in the enum's order (MsgTypeName indexes it).
constexpr std::array<std::pair<MsgType, std::string_view>, 12> kNames = {{
    {MsgType::kText, "text"},
    {MsgType::kImage, "image"},
    {MsgType::kVoice, "voice"},
    {MsgType::kVideo, "video"},
    {MsgType::kFile, "file"},
    {MsgType::kTextCard, "textcard"},
    {MsgType::kNews, "news"},
    {MsgType::kMpNews, "mpnews"},
    {MsgType::kMarkdown, "markdown"},
    {MsgType::kMiniprogramNotice, "miniprogram_notice"},
    {MsgType::kTemplateCard, "template_card"},
    {MsgType::kTaskCard, "taskcard"},
}};

constexpr bool NamesAreInOrder() {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (static_cast<std::size_t>(kNames[i].first) != i) return false;
  }
  return static_cast<std::size_t>(MsgType::kTaskCard) + 1 == kNames.size();
}
static_assert(NamesAreInOrder(), "kNames must list every MsgType in the enum's order");

}  // namespace

std::string_view MsgTypeName(MsgType type) {
  auto i = static_cast<std::size_t>(type);
  return i < kNames.size() ? kNames[i].second : std::string_view();
}

bool ParseMsgType(std::string_view name, MsgType& out) {
  for (const auto& [type, type_name] : kNames) {
    if (type_name == name) {
      out = type;
      return true;
    }
  }
  return false;
}

}  // namespace corphub::messaging
