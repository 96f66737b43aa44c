#include "office/xml.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace corphub::office::xml {
namespace {

// The tokens of a document, one line each: "<name a=...>", "</name>", "text", "cdata".
std::vector<std::string> Tokens(std::string_view doc) {
  std::vector<std::string> out;
  Scanner sc(doc);
  while (sc.Next() != Token::kEof) {
    switch (sc.token()) {
      case Token::kStart:
        out.emplace_back("<");
        out.back() += sc.name();
        out.back() += sc.self_closing() ? "/>" : ">";
        break;
      case Token::kEnd:
        out.push_back("</" + std::string(sc.name()) + ">");
        break;
      case Token::kText:
        out.push_back("text:" + std::string(sc.text()));
        break;
      case Token::kCdata:
        out.push_back("cdata:" + std::string(sc.text()));
        break;
      case Token::kEof:
        break;
    }
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(XmlScannerTest, SkipsPrologCommentsAndDoctype) {
  const std::string doc =
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- a <comment> -->"
      "<!DOCTYPE x [<!ENTITY boom \"&boom;&boom;\">]>"
      "<x:a><b/>one<![CDATA[<raw> & ]]>two</x:a>";
  EXPECT_EQ(Tokens(doc),
            (Strings{"text:\n", "<a>", "<b/>", "text:one", "cdata:<raw> & ", "text:two", "</a>"}));
}

TEST(XmlScannerTest, ReadsAttributesByLocalName) {
  Scanner sc("<c xmlns:r=\"ns\" r=\"B2\" t='s' data-x = \"a>b\" r:id=\"rId7\" sheetId=\"3\"/><d>");
  ASSERT_EQ(sc.Next(), Token::kStart);
  EXPECT_EQ(sc.name(), "c");
  EXPECT_TRUE(sc.self_closing());
  EXPECT_EQ(sc.Attr("r").value_or("?"), "B2");  // not the xmlns:r declaration
  EXPECT_EQ(sc.Attr("t").value_or("?"), "s");
  EXPECT_EQ(sc.Attr("data-x").value_or("?"), "a>b");
  EXPECT_EQ(sc.Attr("id").value_or("?"), "rId7");
  EXPECT_EQ(sc.Attr("sheetId").value_or("?"), "3");
  EXPECT_FALSE(sc.Attr("missing").has_value());
  ASSERT_EQ(sc.Next(), Token::kStart);
  EXPECT_EQ(sc.name(), "d");
  EXPECT_FALSE(sc.self_closing());
  EXPECT_FALSE(sc.Attr("r").has_value());
  EXPECT_EQ(sc.Next(), Token::kEof);
}

TEST(XmlScannerTest, StopsAtTruncatedMarkup) {
  EXPECT_EQ(Tokens("<a>x</a><b r=\"1"), (Strings{"<a>", "text:x", "</a>"}));
  EXPECT_EQ(Tokens("<a><![CDATA[never closed"), (Strings{"<a>"}));
  EXPECT_EQ(Tokens("<a></a"), (Strings{"<a>"}));
  EXPECT_EQ(Tokens("<!-- open"), Strings{});
  EXPECT_EQ(Tokens(""), Strings{});
  EXPECT_EQ(Tokens("<a>1 < 2</a>"), (Strings{"<a>", "text:1 ", "text:<", "text: 2", "</a>"}));
}

TEST(XmlDecodeTest, DecodesEntities) {
  EXPECT_EQ(Decoded("&amp;&lt;&gt;&quot;&apos;"), "&<>\"'");
  EXPECT_EQ(Decoded("&#20013;&#x4E2D;&#X4e2d;&#x1F600;"), "中中中\xF0\x9F\x98\x80");
  EXPECT_EQ(Decoded("AT&T &nbsp; &; & &#xZZ; &amp"), "AT&T &nbsp; &; & &#xZZ; &amp");
  EXPECT_EQ(Decoded("a&#0;b"), "ab");
  EXPECT_EQ(Decoded("&#xD800;&#x110000;"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(XmlDecodeTest, NormalisesLineEndsAndRepairsUtf8) {
  EXPECT_EQ(Decoded("a\r\nb\rc\nd"), "a\nb\nc\nd");
  EXPECT_EQ(Decoded("ok \xE4\xB8\xAD bad \xFF \xC0\xAF cut \xE4\xB8"),
            "ok \xE4\xB8\xAD bad \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD cut "
            "\xEF\xBF\xBD\xEF\xBF\xBD");
  std::string cdata;
  AppendDecoded(cdata, "&amp;\r\n", false);
  EXPECT_EQ(cdata, "&amp;\n");
}

TEST(XmlEscapeTest, EscapesForTextAndAttributes) {
  std::string text;
  AppendEscaped(text,
                "a&b<c>d\"e'f\r\n\tg\x01h\x1Fi\xEF\xBF\xBFj\xEF\xBF\xBEk\xC2\x85\xE4\xB8\xAD");
  EXPECT_EQ(text,
            "a&amp;b&lt;c&gt;d&quot;e'f&#13;\n\tghij"
            "k\xC2\x85\xE4\xB8\xAD");
  std::string attr;
  AppendEscaped(attr, "x\ny\tz", true);
  EXPECT_EQ(attr, "x&#10;y&#9;z");
  std::string bad;
  AppendEscaped(bad,
                "a\xFF"
                "b");
  EXPECT_EQ(bad,
            "a\xEF\xBF\xBD"
            "b");
}

TEST(XmlEscapeTest, EscapedTextDecodesBack) {
  const std::string original = "名字 & <标签> \"引号\" 'x'\r\n第二行\t制表";
  std::string escaped;
  AppendEscaped(escaped, original);
  EXPECT_EQ(Decoded(escaped), "名字 & <标签> \"引号\" 'x'\r\n第二行\t制表");
}

}  // namespace
}  // namespace corphub::office::xml
