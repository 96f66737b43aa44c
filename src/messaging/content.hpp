#pragma once
// A message's content as the domain keeps it: the type, the type's object re-encoded with only
// the fields WeCom defines (compact JSON, what the member client renders), the media it refers
// to (each must exist and be of the type named), and a short plain-text preview for the
// conversation list. The /cgi-bin decoder (api/message_content.hpp) builds it from a request.
#include <string>
#include <string_view>
#include <vector>

namespace corphub::messaging {

enum class MsgType {
  kText,
  kImage,
  kVoice,
  kVideo,
  kFile,
  kTextCard,
  kNews,
  kMpNews,
  kMarkdown,
  kMiniprogramNotice,
  kTemplateCard,
  kTaskCard,  // the legacy task card (go-workwx still sends it); template_card replaces it
};

// "text", "image", ..., "template_card": WeCom's msgtype names.
std::string_view MsgTypeName(MsgType type);
// The type a WeCom msgtype name stands for; false when there is none.
bool ParseMsgType(std::string_view name, MsgType& out);

struct MediaRef {
  std::string media_id;
  // "image", "voice" or "video"; "" when any type will do (a file message, a template_card
  // attachment).
  std::string type;
};

struct Content {
  MsgType type = MsgType::kText;
  std::string body_json;        // the type's object, e.g. {"content":"hi"} for text
  std::vector<MediaRef> media;  // every media_id the body names (thumb_media_id included)
  // Plain text, at most 60 characters (code points, never a cut one): the text or markdown
  // content, else the title (textcard, video, the first news/mpnews article, miniprogram_notice,
  // template_card main_title.title or sub_title_text); "" for image, voice and file.
  std::string preview;
  bool wants_response_code = false;  // template_card button/vote/multiple interaction
};

}  // namespace corphub::messaging
