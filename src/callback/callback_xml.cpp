#include "callback/callback_xml.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

#include "office/xml.hpp"

namespace corphub::callback {
namespace xml = office::xml;

void AppendCdata(std::string& out, std::string_view value) {
  out += "<![CDATA[";
  std::size_t start = 0;
  for (std::size_t at = value.find("]]>"); at != std::string_view::npos;
       at = value.find("]]>", start)) {
    out.append(value.substr(start, at + 2 - start));
    out += "]]><![CDATA[";
    start = at + 2;
  }
  out.append(value.substr(start));
  out += "]]>";
}

XmlMessage& XmlMessage::Text(std::string_view name, std::string_view value) {
  out_ += "<";
  out_ += name;
  out_ += ">";
  AppendCdata(out_, value);
  out_ += "</";
  out_ += name;
  out_ += ">";
  return *this;
}

XmlMessage& XmlMessage::Number(std::string_view name, std::int64_t value) {
  out_ += "<";
  out_ += name;
  out_ += ">" + std::to_string(value) + "</";
  out_ += name;
  out_ += ">";
  return *this;
}

std::string ContactChangeXml(std::string_view corpid, std::int64_t agentid,
                             const directory::ContactEvent& event) {
  XmlMessage m;
  m.Text("ToUserName", corpid)
      .Text("FromUserName", "sys")
      .Number("CreateTime", core::UnixSeconds(event.at))
      .Text("MsgType", "event")
      .Text("Event", "change_contact")
      .Text("ChangeType", event.change_type);
  boost::system::error_code ec;
  auto detail = boost::json::parse(event.detail_json, ec);
  if (!ec && detail.is_object()) {
    for (const auto& [key, v] : detail.as_object()) {
      if (v.is_string()) {
        m.Text(key, v.as_string());
      } else if (v.is_int64()) {
        m.Number(key, v.as_int64());
      } else if (v.is_uint64()) {
        m.Number(key, static_cast<std::int64_t>(v.as_uint64()));
      } else if (v.is_bool()) {
        m.Number(key, v.as_bool() ? 1 : 0);
      }
    }
  }
  if (agentid != 0) m.Number("AgentID", agentid);
  return m.Done();
}

std::string EventUserid(const directory::ContactEvent& event) {
  boost::system::error_code ec;
  auto detail = boost::json::parse(event.detail_json, ec);
  if (ec || !detail.is_object()) return "";
  const auto* v = detail.as_object().if_contains("UserID");
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string SubscribeXml(std::string_view corpid, std::int64_t agentid,
                         const directory::ContactEvent& event) {
  return XmlMessage()
      .Text("ToUserName", corpid)
      .Text("FromUserName", EventUserid(event))
      .Number("CreateTime", core::UnixSeconds(event.at))
      .Text("MsgType", "event")
      .Text("Event", event.change_type)
      .Text("EventKey", "")
      .Number("AgentID", agentid)
      .Done();
}

std::string Envelope(std::string_view corpid, std::int64_t agentid, std::string_view encrypt) {
  std::string out = "<xml><ToUserName>";
  AppendCdata(out, corpid);
  out += "</ToUserName><AgentID>";
  AppendCdata(out, agentid == 0 ? std::string() : std::to_string(agentid));
  out += "</AgentID><Encrypt>";
  AppendCdata(out, encrypt);
  out += "</Encrypt></xml>";
  return out;
}

std::map<std::string, std::string> TopFields(std::string_view doc) {
  std::map<std::string, std::string> out;
  xml::Scanner sc(doc);
  int depth = 0;
  std::string* into = nullptr;
  while (sc.Next() != xml::Token::kEof) {
    switch (sc.token()) {
      case xml::Token::kStart:
        if (sc.self_closing()) {
          if (depth == 1) out.try_emplace(std::string(sc.name()));
          break;
        }
        ++depth;
        into = depth == 2 ? &out[std::string(sc.name())] : nullptr;
        break;
      case xml::Token::kEnd:
        --depth;
        into = nullptr;
        break;
      case xml::Token::kText:
        if (into != nullptr) xml::AppendDecoded(*into, sc.text());
        break;
      case xml::Token::kCdata:
        if (into != nullptr) xml::AppendDecoded(*into, sc.text(), false);
        break;
      case xml::Token::kEof:
        break;
    }
  }
  return out;
}

std::optional<SealedReply> ReadSealedReply(std::string_view body) {
  SealedReply r;
  bool seen[4] = {false, false, false, false};
  for (const auto& field : TopFields(body)) {
    std::string lower;
    for (char c : field.first) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto trimmed = [&field] {
      std::string_view v = field.second;
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
      return std::string(v);
    };
    if (lower == "encrypt") r.encrypt = trimmed(), seen[0] = true;
    if (lower == "msgsignature") r.signature = trimmed(), seen[1] = true;
    if (lower == "timestamp") r.timestamp = trimmed(), seen[2] = true;
    if (lower == "nonce") r.nonce = trimmed(), seen[3] = true;
  }
  if (!(seen[0] && seen[1] && seen[2] && seen[3])) return std::nullopt;
  return r;
}

}  // namespace corphub::callback
