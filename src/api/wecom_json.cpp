#include "api/wecom_json.hpp"

#include <string>

#include "core/log.hpp"

namespace corphub::api {

net::Response WecomOk(std::string_view fields, std::string_view errmsg) {
  std::string body = R"({"errcode":0,"errmsg":")" + core::JsonEscape(errmsg) + "\"";
  if (!fields.empty()) {
    body += ',';
    body += fields;
  }
  body += '}';
  return net::Response::Json(200, std::move(body));
}

net::Response WecomError(const core::Error& error) {
  return net::Response::Json(200, "{\"errcode\":" + std::to_string(error.WecomCode()) +
                                      ",\"errmsg\":\"" + core::JsonEscape(error.message) + "\"}");
}

}  // namespace corphub::api
