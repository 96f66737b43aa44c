#pragma once
// The XML of callbacks: the plaintext messages corphub sends (each text in CDATA, numbers bare),
// the <xml> envelope around a sealed one, and reading what receivers answer.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "directory/directory_repository.hpp"

namespace corphub::callback {

class XmlMessage {
 public:
  XmlMessage& Text(std::string_view name, std::string_view value);
  XmlMessage& Number(std::string_view name, std::int64_t value);
  std::string Done() const { return out_ + "</xml>"; }

 private:
  std::string out_ = "<xml>";
};

// Appends `value` as CDATA sections (a "]]>" inside is split across two).
void AppendCdata(std::string& out, std::string_view value);

// change_contact for `event` (its detail's fields in order), from "sys", to the corp; AgentID
// when an app receives it (not for the contacts-sync callback, agentid 0).
std::string ContactChangeXml(std::string_view corpid, std::int64_t agentid,
                             const directory::ContactEvent& event);

// The member a subscribe or unsubscribe event names (its detail's UserID); "" when none.
std::string EventUserid(const directory::ContactEvent& event);
// subscribe / unsubscribe (event.change_type) from the member, to the app.
std::string SubscribeXml(std::string_view corpid, std::int64_t agentid,
                         const directory::ContactEvent& event);

// <xml><ToUserName>corpid</ToUserName><AgentID>agentid</AgentID><Encrypt>...</Encrypt></xml>;
// AgentID empty for agentid 0.
std::string Envelope(std::string_view corpid, std::int64_t agentid, std::string_view encrypt);

// The children of the document's root element, by name, text decoded (CDATA as is). Nested
// elements' text is left out. Empty for what is not XML.
std::map<std::string, std::string> TopFields(std::string_view xml);

// A passive reply's sealed parts: Encrypt, MsgSignature, TimeStamp (or go-workwx's Timestamp:
// names are matched ignoring case) and Nonce; nullopt unless all four are there.
struct SealedReply {
  std::string encrypt;
  std::string signature;
  std::string timestamp;
  std::string nonce;
};
std::optional<SealedReply> ReadSealedReply(std::string_view body);

}  // namespace corphub::callback
