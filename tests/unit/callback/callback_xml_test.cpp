#include "callback/callback_xml.hpp"

#include <gtest/gtest.h>

#include "callback/deliverer.hpp"

namespace corphub::callback {
namespace {

TEST(CallbackXmlTest, TextIsCdataAndACdataEndInsideIsSplit) {
  std::string out;
  AppendCdata(out, "a]]>b");
  EXPECT_EQ(out, "<![CDATA[a]]]]><![CDATA[>b]]>");
  // What a reader makes of it is the text again.
  auto fields = TopFields("<xml><X>" + out + "</X></xml>");
  EXPECT_EQ(fields["X"], "a]]>b");
  EXPECT_EQ(XmlMessage().Text("Content", "你好 <b>").Number("CreateTime", 17).Done(),
            "<xml><Content><![CDATA[你好 <b>]]></Content><CreateTime>17</CreateTime></xml>");
}

TEST(CallbackXmlTest, ChangeContactCarriesTheEventsFieldsInOrder) {
  directory::ContactEvent e{1, 42, "create_user",
                            R"({"UserID":"zhangsan","Name":"张三","MainDepartment":2,"Status":1})",
                            core::FromUnixSeconds(1710000000)};
  EXPECT_EQ(ContactChangeXml("wwcorp", 1000002, e),
            "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[sys]]>"
            "</FromUserName><CreateTime>1710000000</CreateTime><MsgType><![CDATA[event]]>"
            "</MsgType><Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA["
            "create_user]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><Name><![CDATA[张三"
            "]]></Name><MainDepartment>2</MainDepartment><Status>1</Status><AgentID>1000002"
            "</AgentID></xml>");
  // The contacts-sync callback's carries no AgentID.
  EXPECT_EQ(ContactChangeXml("wwcorp", 0, e).find("AgentID"), std::string::npos);
}

TEST(CallbackXmlTest, SubscribeIsFromTheMember) {
  directory::ContactEvent e{1, 7, "unsubscribe", R"({"UserID":"lisi"})", core::FromUnixSeconds(1)};
  EXPECT_EQ(EventUserid(e), "lisi");
  auto fields = TopFields(SubscribeXml("wwcorp", 1000003, e));
  EXPECT_EQ(fields["FromUserName"], "lisi");
  EXPECT_EQ(fields["Event"], "unsubscribe");
  EXPECT_EQ(fields["AgentID"], "1000003");
  EXPECT_EQ(fields.count("EventKey"), 1u);
  EXPECT_EQ(EventUserid({1, 8, "subscribe", "not json", {}}), "");
}

TEST(CallbackXmlTest, TheEnvelopeNamesTheCorpAndApp) {
  EXPECT_EQ(Envelope("wwcorp", 1000002, "QUJD"),
            "<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><AgentID><![CDATA[1000002]]>"
            "</AgentID><Encrypt><![CDATA[QUJD]]></Encrypt></xml>");
  EXPECT_EQ(TopFields(Envelope("wwcorp", 0, "x"))["AgentID"], "");
}

TEST(CallbackXmlTest, APassiveReplyIsReadWhateverTheTimestampsCase) {
  const std::string wecom =
      "<xml><Encrypt><![CDATA[abc]]></Encrypt><MsgSignature><![CDATA[sig]]></MsgSignature>"
      "<TimeStamp>1710000000</TimeStamp><Nonce><![CDATA[n1]]></Nonce></xml>";
  auto r = ReadSealedReply(wecom);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->encrypt, "abc");
  EXPECT_EQ(r->signature, "sig");
  EXPECT_EQ(r->timestamp, "1710000000");
  EXPECT_EQ(r->nonce, "n1");
  // go-workwx writes <Timestamp>, with whitespace around the values.
  auto go = ReadSealedReply(
      "<xml>\n <Encrypt>abc</Encrypt>\n <MsgSignature>sig</MsgSignature>\n <Timestamp> 17 "
      "</Timestamp>\n <Nonce>n</Nonce>\n</xml>");
  ASSERT_TRUE(go.has_value());
  EXPECT_EQ(go->timestamp, "17");
  EXPECT_FALSE(ReadSealedReply("success").has_value());
  EXPECT_FALSE(ReadSealedReply("").has_value());
  EXPECT_FALSE(ReadSealedReply("<xml><Encrypt>abc</Encrypt></xml>").has_value());
}

TEST(CallbackXmlTest, TopFieldsSkipNestedElements) {
  auto f = TopFields(
      "<xml><A>1</A><ExtAttr><Item><Name>x</Name></Item></ExtAttr><B/><C>&lt;c&gt;</C></xml>");
  EXPECT_EQ(f["A"], "1");
  EXPECT_EQ(f["ExtAttr"], "");
  EXPECT_EQ(f.count("Name"), 0u);
  EXPECT_EQ(f.count("B"), 1u);
  EXPECT_EQ(f["C"], "<c>");
}

TEST(BackoffTest, DoublesUpToTheMaximum) {
  DelivererOptions o;
  o.retry_base = std::chrono::milliseconds(1000);
  o.retry_max = std::chrono::milliseconds(5000);
  EXPECT_EQ(Backoff(o, 1).count(), 1000);
  EXPECT_EQ(Backoff(o, 2).count(), 2000);
  EXPECT_EQ(Backoff(o, 3).count(), 4000);
  EXPECT_EQ(Backoff(o, 4).count(), 5000);
  EXPECT_EQ(Backoff(o, 60).count(), 5000);
}

}  // namespace
}  // namespace corphub::callback
