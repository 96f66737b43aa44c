#pragma once
// message/send and appchat/send bodies: the per-msgtype object checked with WeCom's rules and
// re-encoded (reference §5). Unknown fields are dropped; numbers sent as strings are accepted.
#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "messaging/content.hpp"

namespace corphub::api {

// Decodes `request[msgtype]` for request["msgtype"]. A member that is null or "" counts as
// absent and is not re-encoded; numbers and bools WeCom defines (show_cover_pic, desc_color,
// emphasis_first_item, ...) may come as numeric strings and are re-encoded as JSON numbers/bools.
// Errors name the field ("news.articles[1].title is required"):
//   40008 kInvalidMsgType    msgtype missing, not a string, or not one this endpoint takes
//   44004 kEmptyContent      text/markdown without content (or ""), or the type's object missing
//   45002 kContentTooLong    a field over WeCom's byte/character limit
//   41006 kMissingMediaId    a media type without media_id (or mpnews without thumb_media_id)
//   41016 kMissingTitle      textcard/news/mpnews/miniprogram_notice article without a title
//   40058 kInvalidParameter  anything else malformed (wrong JSON type, bad card_type, too many
//                            articles or items, textcard without description or url, mpnews
//                            without content, a template_card missing what its card_type
//                            needs, a miniprogram_notice title under 4 characters, ...)
//   40074 kNewsSafeUnsupported  msgtype news with safe != 0
// `appchat` restricts the types to appchat/send's (no miniprogram_notice, template_card).
core::Result<messaging::Content> DecodeMessageContent(const boost::json::object& request,
                                                      bool appchat = false);

}  // namespace corphub::api
