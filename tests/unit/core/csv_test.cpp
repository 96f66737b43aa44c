#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace corphub::core {
namespace {

using Fields = std::vector<std::string>;

// "姓名,帐号" as Excel on Chinese Windows saves it (GBK, which GB18030 contains).
const std::string kGbkHeader = "\xD0\xD5\xC3\xFB,\xD5\xCA\xBA\xC5";

std::vector<Fields> FieldsOf(const std::vector<CsvRow>& rows) {
  std::vector<Fields> out;
  for (const CsvRow& row : rows) out.push_back(row.fields);
  return out;
}

std::vector<std::size_t> LinesOf(const std::vector<CsvRow>& rows) {
  std::vector<std::size_t> out;
  for (const CsvRow& row : rows) out.push_back(row.line);
  return out;
}

// The error message of a CSV that must be refused.
std::string CsvErrorOf(std::string_view text, const CsvOptions& options = {}) {
  auto rows = ParseCsv(text, options);
  if (rows.ok()) return "(parsed)";
  EXPECT_EQ(rows.error().kind, ErrorKind::kInvalidArgument);
  return rows.error().message;
}

// ---- DecodeText ----

TEST(DecodeTextTest, ReadsGbkAsGb18030) {
  auto text = DecodeText(kGbkHeader + "\r\n");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text->utf8, "姓名,帐号\r\n");
  EXPECT_EQ(text->from, TextEncoding::kGb18030);
}

TEST(DecodeTextTest, ReadsFourByteGb18030) {
  // U+20000 (𠀀) has no GBK form; GB18030 writes it as 95 32 82 36.
  auto text = DecodeText("\x95\x32\x82\x36");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text->utf8, "\xF0\xA0\x80\x80");
  EXPECT_EQ(text->from, TextEncoding::kGb18030);
}

TEST(DecodeTextTest, TakesUtf8AsIs) {
  auto text = DecodeText("姓名,帐号\n张三,zhangsan\n");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->utf8, "姓名,帐号\n张三,zhangsan\n");
  EXPECT_EQ(text->from, TextEncoding::kUtf8);
}

TEST(DecodeTextTest, DropsTheUtf8Bom) {
  auto text = DecodeText("\xEF\xBB\xBF姓名");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->utf8, "姓名");
  EXPECT_EQ(text->from, TextEncoding::kUtf8);
}

TEST(DecodeTextTest, EmptyAndAsciiAreUtf8) {
  for (std::string_view in : {"", "a,b\r\n"}) {
    auto text = DecodeText(in);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(text->utf8, in);
    EXPECT_EQ(text->from, TextEncoding::kUtf8);
  }
}

TEST(DecodeTextTest, RefusesBytesThatAreNeitherEncoding) {
  // 0xFF is never in GB18030 or UTF-8; 0x81 0x20 is a cut GB18030 pair; 0xD0 at the end is a
  // GBK lead byte without its trail.
  for (std::string bad : {std::string("abc\xFF"), std::string("\x81\x20"), kGbkHeader + "\xD0"}) {
    auto text = DecodeText(bad);
    ASSERT_FALSE(text.ok()) << bad;
    EXPECT_EQ(text.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(text.error().message, "the file is neither UTF-8 nor GBK/GB18030 text");
  }
}

TEST(DecodeTextTest, RefusesInvalidUtf8AfterABom) {
  auto text = DecodeText("\xEF\xBB\xBF" + kGbkHeader);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().kind, ErrorKind::kInvalidArgument);
}

TEST(DecodeTextTest, DoesNotTakeOverlongOrSurrogateUtf8) {
  // C0 AF is an overlong '/' in lax UTF-8 but a GBK character (蜡); it must come out as the
  // character, not pass through as "UTF-8".
  auto overlong = DecodeText("\xC0\xAF");
  ASSERT_TRUE(overlong.ok());
  EXPECT_EQ(overlong->from, TextEncoding::kGb18030);
  EXPECT_EQ(overlong->utf8, "蜡");
  // ED A0 80 is a UTF-16 surrogate in lax UTF-8 and a cut sequence in GB18030.
  EXPECT_FALSE(DecodeText("\xED\xA0\x80").ok());
}

TEST(DecodeTextTest, RefusesNulBytes) {
  // UTF-16 from Excel's "Unicode text" is the usual source.
  const std::string utf16(
      "\xFF\xFE"
      "a\0,\0b\0",
      8);
  for (const std::string& bad : {std::string("a,b\0c", 5), utf16}) {
    auto text = DecodeText(bad);
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.error().kind, ErrorKind::kInvalidArgument);
  }
}

TEST(DecodeTextTest, RefusesTenMegabytesOfRandomBytes) {
  std::mt19937 rng(42);
  std::string bytes(10 << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  EXPECT_FALSE(DecodeText(bytes).ok());
  // Without NULs the refusal has to come from the decoders themselves.
  for (char& c : bytes) c = c == '\0' ? '\x01' : c;
  auto text = DecodeText(bytes);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "the file is neither UTF-8 nor GBK/GB18030 text");
}

TEST(DecodeTextTest, DecodesALargeGbkFile) {
  std::string gbk;
  std::string expected;
  for (int i = 0; i < 100000; ++i) {
    gbk += kGbkHeader + "\r\n";
    expected += "姓名,帐号\r\n";
  }
  auto text = DecodeText(gbk);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->utf8, expected);
}

// ---- ParseCsv ----

TEST(ParseCsvTest, ReadsPlainRows) {
  auto rows = ParseCsv("userid,name,mobile\nzhangsan,张三,13800000000\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"userid", "name", "mobile"},
                                                  {"zhangsan", "张三", "13800000000"}}));
  EXPECT_EQ(LinesOf(*rows), (std::vector<std::size_t>{1, 2}));
}

TEST(ParseCsvTest, TakesCrlfAndAFinalLineWithoutLineEnd) {
  auto rows = ParseCsv("a,b\r\nc,d\r\ne,f");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"a", "b"}, {"c", "d"}, {"e", "f"}}));
  auto cr_at_end = ParseCsv("a,b\r");
  ASSERT_TRUE(cr_at_end.ok());
  EXPECT_EQ(FieldsOf(*cr_at_end), (std::vector<Fields>{{"a", "b"}}));
}

TEST(ParseCsvTest, KeepsEmptyFieldsAndWhitespace) {
  auto rows = ParseCsv("a,,c,\n ,x , y\n,\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(FieldsOf(*rows),
            (std::vector<Fields>{{"a", "", "c", ""}, {" ", "x ", " y"}, {"", ""}}));
}

TEST(ParseCsvTest, ReadsQuotedFields) {
  auto rows = ParseCsv("\"a,b\",\"say \"\"hi\"\"\",\"\"\n\"x\",y\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"a,b", "say \"hi\"", ""}, {"x", "y"}}));
}

TEST(ParseCsvTest, QuotedNewlinesKeepLineNumbers) {
  auto rows = ParseCsv("h1,h2\r\n\"two\r\nlines\",b\r\n\"one\nmore\n\",c\nlast,row\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(FieldsOf(*rows),
            (std::vector<Fields>{
                {"h1", "h2"}, {"two\r\nlines", "b"}, {"one\nmore\n", "c"}, {"last", "row"}}));
  EXPECT_EQ(LinesOf(*rows), (std::vector<std::size_t>{1, 2, 4, 7}));
}

TEST(ParseCsvTest, SkipsBlankLines) {
  auto rows = ParseCsv("\n\r\na,b\n   \n\t\r\nc,d\n\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(LinesOf(*rows), (std::vector<std::size_t>{3, 6}));
  // A quoted empty field is content, not a blank line.
  auto quoted = ParseCsv("\"\"\n");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(FieldsOf(*quoted), (std::vector<Fields>{{""}}));
}

TEST(ParseCsvTest, EmptyTextHasNoRows) {
  auto rows = ParseCsv("");
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST(ParseCsvTest, IgnoresALeadingBom) {
  auto rows = ParseCsv("\xEF\xBB\xBFuserid,name\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"userid", "name"}}));
}

TEST(ParseCsvTest, BareCrInsideALineIsData) {
  auto rows = ParseCsv("a\rb,c\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"a\rb", "c"}}));
}

TEST(ParseCsvTest, RefusesAnUnterminatedQuoteNamingItsLine) {
  EXPECT_EQ(CsvErrorOf("a,b\nc,\"open\nstill open\n"), "line 2: an unterminated quote");
  EXPECT_EQ(CsvErrorOf("\""), "line 1: an unterminated quote");
}

TEST(ParseCsvTest, RefusesAQuoteInsideAnUnquotedField) {
  EXPECT_EQ(CsvErrorOf("a,b\nc,d\"e\n"), "line 2: a quote inside an unquoted field");
  EXPECT_EQ(CsvErrorOf(" \"x\"\n"), "line 1: a quote inside an unquoted field");
}

TEST(ParseCsvTest, RefusesCharactersAfterAClosingQuote) {
  EXPECT_EQ(CsvErrorOf("a\n\"x\"y,z\n"), "line 2: characters after a closing quote");
  EXPECT_EQ(CsvErrorOf("\"x\" ,z\n"), "line 1: characters after a closing quote");
  // The line counts the newlines inside the quoted field.
  EXPECT_EQ(CsvErrorOf("\"x\ny\"z\n"), "line 2: characters after a closing quote");
}

TEST(ParseCsvTest, RefusesMoreRowsThanAllowed) {
  CsvOptions options;
  options.max_rows = 2;
  EXPECT_TRUE(ParseCsv("a\nb\n\n", options).ok());
  EXPECT_EQ(CsvErrorOf("a\nb\n\nc\n", options), "line 4: more than 2 rows");
}

TEST(ParseCsvTest, RefusesMoreFieldsThanAllowed) {
  CsvOptions options;
  options.max_fields = 3;
  EXPECT_TRUE(ParseCsv("a,b,c\n", options).ok());
  EXPECT_EQ(CsvErrorOf("a,b,c\nd,e,f,g\n", options), "line 2: more than 3 fields");
}

TEST(ParseCsvTest, RefusesLongerFieldsThanAllowed) {
  CsvOptions options;
  options.max_field_bytes = 4;
  EXPECT_TRUE(ParseCsv("abcd,\"ab\"\"c\"\n", options).ok());
  EXPECT_EQ(CsvErrorOf("abcde\n", options), "line 1: a field over 4 bytes");
  EXPECT_EQ(CsvErrorOf("x\n\"abc\"\"d\"\n", options), "line 2: a field over 4 bytes");
}

TEST(ParseCsvTest, DecodedGbkFileParses) {
  auto text = DecodeText(kGbkHeader + "\r\n\xD5\xC5\xC8\xFD,zhangsan\r\n");  // 张三
  ASSERT_TRUE(text.ok());
  auto rows = ParseCsv(text->utf8);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(FieldsOf(*rows), (std::vector<Fields>{{"姓名", "帐号"}, {"张三", "zhangsan"}}));
}

TEST(ParseCsvTest, RandomTextNeverCrashes) {
  // Whatever the outcome, every byte is read once and errors are values.
  std::mt19937 rng(7);
  const std::string alphabet = "ab,\"\r\n ";
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 40, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    auto rows = ParseCsv(text);
    if (!rows.ok()) {
      EXPECT_EQ(rows.error().message.rfind("line ", 0), 0u) << text;
    }
  }
}

}  // namespace
}  // namespace corphub::core

namespace corphub::core {
namespace {

std::string Row(const std::vector<std::string>& fields) {
  std::string out;
  AppendCsvRow(out, fields);
  return out;
}

TEST(AppendCsvRowTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(Row({"zhangsan", "张三", ""}), "zhangsan,张三,\r\n");
  EXPECT_EQ(Row({"a,b", "say \"hi\"", "two\nlines"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
  EXPECT_EQ(Row({}), "\r\n");
}

TEST(AppendCsvRowTest, DefusesFormulasButKeepsSignedNumbers) {
  EXPECT_EQ(Row({"=HYPERLINK(\"x\")"}), "\"\t=HYPERLINK(\"\"x\"\")\"\r\n");
  EXPECT_EQ(Row({"@SUM(A1)"}), "\"\t@SUM(A1)\"\r\n");
  EXPECT_EQ(Row({"-cmd"}), "\"\t-cmd\"\r\n");
  EXPECT_EQ(Row({"+8613800000000", "-5"}), "+8613800000000,-5\r\n");
}

TEST(AppendCsvRowTest, ParsesBackToTheSameFields) {
  const std::vector<std::string> fields = {"研发部/后端组;市场部", "a,\"b\"", "x\r\ny", ""};
  std::string text;
  AppendCsvRow(text, fields);
  AppendCsvRow(text, fields);
  auto rows = ParseCsv(text);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].fields, fields);
  EXPECT_EQ((*rows)[1].fields, fields);
}

}  // namespace
}  // namespace corphub::core
