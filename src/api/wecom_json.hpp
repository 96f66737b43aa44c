#pragma once
// The /cgi-bin envelope: HTTP 200 and {"errcode":..,"errmsg":..,...} for success and failure.
#include <string_view>

#include "core/error.hpp"
#include "net/http_message.hpp"

namespace corphub::api {

// {"errcode":0,"errmsg":"ok",<fields>}; `fields` is JSON members without braces (may be empty).
// WeCom says "created", "updated" or "deleted" for those calls; SDKs read only errcode.
net::Response WecomOk(std::string_view fields = {}, std::string_view errmsg = "ok");
// {"errcode":<the kind's WeCom code>,"errmsg":"<message>"}.
net::Response WecomError(const core::Error& error);

}  // namespace corphub::api
