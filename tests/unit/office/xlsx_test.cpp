#include "office/xlsx.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "office/zip.hpp"

namespace corphub::office {
namespace test_support {
// zip_test.cpp: a ZIP with stored entries, written independently of WriteZip.
std::string StoredZip(const std::vector<ZipEntry>& entries, bool data_descriptor);
}  // namespace test_support

namespace {

using Rows = std::vector<Row>;

constexpr std::string_view kMain =
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
constexpr std::string_view kRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
constexpr std::string_view kRelType =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

// What a round trip gives back: trailing empty cells and trailing empty rows are not kept.
Rows Normalized(Rows rows) {
  for (Row& row : rows) {
    while (!row.empty() && row.back().empty()) row.pop_back();
  }
  while (!rows.empty() && rows.back().empty()) rows.pop_back();
  return rows;
}

std::string WriteOrDie(const Rows& rows, std::string_view sheet = "Sheet1") {
  auto bytes = WriteXlsx(rows, sheet);
  EXPECT_TRUE(bytes.ok()) << bytes.error().message;
  return bytes.ok() ? *bytes : std::string();
}

Rows ReadOrDie(std::string_view bytes, std::size_t max_rows = 200000) {
  auto rows = ReadXlsx(bytes, max_rows);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  return rows.ok() ? *rows : Rows{};
}

void ExpectRoundTrip(const Rows& rows) { EXPECT_EQ(ReadOrDie(WriteOrDie(rows)), Normalized(rows)); }

std::string XlsxErrorOf(std::string_view bytes, std::size_t max_rows = 200000) {
  auto rows = ReadXlsx(bytes, max_rows);
  if (rows.ok()) return "(read)";
  EXPECT_EQ(rows.error().kind, core::ErrorKind::kInvalidArgument);
  return rows.error().message;
}

std::string WriteErrorOf(const Rows& rows, std::string_view sheet = "Sheet1") {
  auto bytes = WriteXlsx(rows, sheet);
  if (bytes.ok()) return "(written)";
  EXPECT_EQ(bytes.error().kind, core::ErrorKind::kInvalidArgument);
  return bytes.error().message;
}

std::string PartOf(const std::string& xlsx, std::string_view name) {
  auto entries = ReadZip(xlsx);
  EXPECT_TRUE(entries.ok());
  if (!entries.ok()) return {};
  for (const ZipEntry& e : *entries) {
    if (e.name == name) return e.data;
  }
  ADD_FAILURE() << name << " is missing";
  return {};
}

// A package with one worksheet at xl/worksheets/sheet1.xml and the given shared strings.
std::vector<ZipEntry> SimplePackage(std::string sheet_data, std::string shared = "") {
  std::vector<ZipEntry> parts = {
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", std::string(kRels) + "<Relationship Id=\"rId1\" Type=\"" +
                          std::string(kRelType) +
                          "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", "<workbook " + std::string(kMain) +
                              "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "</sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string(kRels) + "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelType) +
           "worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" +
           std::string(kRelType) + "sharedStrings\" Target=\"sharedStrings.xml\"/>" +
           "</Relationships>"},
      {"xl/worksheets/sheet1.xml", "<worksheet " + std::string(kMain) + "><sheetData>" +
                                       std::move(sheet_data) + "</sheetData></worksheet>"},
  };
  if (!shared.empty()) {
    parts.push_back({"xl/sharedStrings.xml",
                     "<sst " + std::string(kMain) + ">" + std::move(shared) + "</sst>"});
  }
  return parts;
}

std::string Zipped(const std::vector<ZipEntry>& parts) {
  auto zip = WriteZip(parts);
  EXPECT_TRUE(zip.ok()) << zip.error().message;
  return zip.ok() ? *zip : std::string();
}

// ---- round trips ----

TEST(XlsxRoundTripTest, ChineseText) {
  ExpectRoundTrip({{"姓名", "帐号", "部门", "职务"},
                   {"张三", "zhangsan", "研发部/后端组", "高级工程师"},
                   {"李四·欧阳", "lisi", "市场部", "経理 🎉 𠀋"}});
}

TEST(XlsxRoundTripTest, DigitsOnlyStringsKeepEveryDigit) {
  ExpectRoundTrip({{"13800138000", "0012345", "6222021234567890123", "000", "1.0", "1E5",
                    "+8613800138000", "-0", "0.30000000000000004"}});
}

TEST(XlsxRoundTripTest, EmptyCellsAndRowsInTheMiddle) {
  ExpectRoundTrip({{"a", "", "c"}, {}, {"", "", "", "d"}, {"", ""}, {"e", "", ""}});
  // Leading empty rows and cells keep their places.
  EXPECT_EQ(ReadOrDie(WriteOrDie({{}, {"", "x"}})), (Rows{{}, {"", "x"}}));
  EXPECT_EQ(ReadOrDie(WriteOrDie({})), Rows{});
}

TEST(XlsxRoundTripTest, SpecialCharacters) {
  ExpectRoundTrip({{"a & b", "<tag>", "\"quoted\"", "it's", "line1\nline2", "tab\there",
                    "  leading and trailing  ", "cr\r\nlf", "]]>", "&amp; literally",
                    "_x000D_ literally", "x_x", "_x00_"}});
}

TEST(XlsxRoundTripTest, ManyColumnsAndRepeatedText) {
  Row wide;
  for (int c = 0; c < 800; ++c) {
    wide.emplace_back(c % 3 == 0 ? "same" : "c");
    if (c % 3 != 0) wide.back() += std::to_string(c);
  }
  ExpectRoundTrip({wide, wide});
}

TEST(XlsxWriteTest, DropsCharactersXmlCannotHold) {
  EXPECT_EQ(ReadOrDie(WriteOrDie({{"a\x01"
                                   "b\x1F"
                                   "c\x7F",
                                   "\xEF\xBF\xBFok"}})),
            (Rows{{"abc\x7F", "ok"}}));
  // Invalid UTF-8 becomes U+FFFD rather than a file Excel refuses.
  EXPECT_EQ(ReadOrDie(WriteOrDie({{"bad\xFF"}})), (Rows{{"bad\xEF\xBF\xBD"}}));
}

TEST(XlsxWriteTest, WritesTheWorkbookParts) {
  const std::string xlsx = WriteOrDie({{"姓名", "手机"}, {"张三", "13800138000"}}, "成员 & 部门");
  EXPECT_TRUE(LooksLikeZip(xlsx));
  auto entries = ReadZip(xlsx);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ((*entries)[0].name, "[Content_Types].xml");
  EXPECT_NE(PartOf(xlsx, "xl/workbook.xml").find("<sheet name=\"成员 &amp; 部门\""),
            std::string::npos);
  const std::string sheet = PartOf(xlsx, "xl/worksheets/sheet1.xml");
  // Text cells everywhere (the mobile too), the header bold (style 2), the rest text-formatted.
  EXPECT_NE(sheet.find("<c r=\"A1\" s=\"2\" t=\"s\"><v>0</v></c>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<c r=\"B2\" s=\"1\" t=\"s\"><v>3</v></c>"), std::string::npos) << sheet;
  EXPECT_NE(PartOf(xlsx, "xl/sharedStrings.xml").find("<si><t>13800138000</t></si>"),
            std::string::npos);
  EXPECT_NE(PartOf(xlsx, "xl/styles.xml").find("numFmtId=\"49\""), std::string::npos);
}

TEST(XlsxWriteTest, RefusesSheetNamesExcelRefuses) {
  EXPECT_EQ(WriteErrorOf({}, ""), "the sheet name is empty");
  EXPECT_EQ(WriteErrorOf({}, "a/b"), "sheet name \"a/b\" holds one of : \\ / ? * [ ]");
  for (std::string_view bad : {"a:b", "a\\b", "a?", "a*", "[x]", "'quoted'", "History",
                               "0123456789012345678901234567890x"}) {
    EXPECT_NE(WriteErrorOf({}, bad), "(written)") << bad;
  }
  EXPECT_EQ(WriteErrorOf({}, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"),
            "(written)");  // 31 characters
  EXPECT_EQ(WriteErrorOf({}, "it's fine"), "(written)");
}

TEST(XlsxWriteTest, RefusesWhatExcelCannotHold) {
  EXPECT_EQ(WriteErrorOf({{std::string(32768, 'a')}}),
            "cell A1 is longer than 32767 characters (Excel's limit)");
  EXPECT_EQ(WriteErrorOf({{std::string(32767, 'a')}}), "(written)");
  EXPECT_EQ(WriteErrorOf({Row(16385, "x")}), "a sheet holds at most 16384 columns, not 16385");
}

// ---- reading what others write ----

// Shared strings with rich text runs and phonetic runs, numbers as Excel stores them, skipped
// cells and rows, the first sheet by workbook order (not by file name).
TEST(XlsxReadTest, ReadsExcelStyleParts) {
  const std::string shared =
      "<si><t>姓名</t></si>"
      "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>张</t></r>"
      "<r><rPr><i/></rPr><t xml:space=\"preserve\"> 三 </t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>チョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
      "<si><t>R&amp;D &lt;中&#x6587;&#25991;&gt;</t></si>"
      "<si><t>line1_x000D_\nline2 _x005F_x0041_</t></si>"
      "<si><t/></si>"
      "<si>\n  <t>pretty</t>\n</si>";
  const std::string sheet2 =
      "<worksheet " + std::string(kMain) +
      "><dimension ref=\"A1:H4\"/><sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>"
      "<sheetData>"
      "<row r=\"1\" spans=\"1:3\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" s=\"1\" t=\"s\">"
      "<v>1</v></c></row>"
      "<row r=\"3\"><c r=\"A3\"><v>13800138000</v></c><c r=\"B3\"><v>1.3800138E10</v></c>"
      "<c r=\"C3\"><v>1.3800138E+10</v></c><c r=\"D3\" t=\"n\"><v>42</v></c>"
      "<c r=\"E3\"><v>3.5</v></c><c r=\"F3\"><v>-0.25</v></c>"
      "<c r=\"G3\"><v>0.30000000000000004</v></c><c r=\"H3\"><v>44927</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"b\"><v>1</v></c><c r=\"B4\" t=\"b\"><v>0</v></c>"
      "<c r=\"C4\" t=\"inlineStr\"><is><t>inline &lt;x&gt;</t></is></c>"
      "<c r=\"D4\" t=\"str\"><f>A1&amp;\"!\"</f><v>姓名!</v></c>"
      "<c r=\"E4\" t=\"e\"><f>NA()</f><v>#N/A</v></c>"
      "<c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c>"  // F4, G4: no r attributes
      "<c r=\"H4\" s=\"3\"/><c r=\"I4\" t=\"s\"><v>4</v></c><c r=\"J4\" s=\"1\"></c></row>"
      "<row r=\"5\"><c r=\"B5\" t=\"s\"><v>5</v></c></row>"
      "<row r=\"1048576\" ht=\"20\" customHeight=\"1\"><c r=\"A1048576\" s=\"2\"/></row>"
      "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" "
      "header=\"0.3\" footer=\"0.3\"/></worksheet>";
  const std::vector<ZipEntry> parts = {
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", std::string(kRels) + "<Relationship Id=\"rId1\" Type=\"" +
                          std::string(kRelType) +
                          "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<workbook " +
           std::string(kMain) +
           "><workbookPr/><bookViews><workbookView/></bookViews><sheets>"
           "<sheet name=\"成员\" sheetId=\"2\" r:id=\"rId2\"/>"
           "<sheet name=\"Other\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string(kRels) + "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelType) +
           "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId3\" Type=\"" +
           std::string(kRelType) + "sharedStrings\" Target=\"sharedStrings.xml\"/>" +
           "<Relationship Id=\"rId2\" Type=\"" + std::string(kRelType) +
           "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", "<worksheet " + std::string(kMain) +
                                       "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                                       "<is><t>wrong sheet</t></is></c></row></sheetData>"
                                       "</worksheet>"},
      {"xl/worksheets/sheet2.xml", sheet2},
      {"xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst " + std::string(kMain) +
                                   " count=\"7\" uniqueCount=\"6\">" + shared + "</sst>"},
  };
  const Rows rows = ReadOrDie(Zipped(parts), 10);
  const Rows want = {
      {"姓名", "", "张 三 "},
      {},
      {"13800138000", "13800138000", "13800138000", "42", "3.5", "-0.25", "0.3", "44927"},
      {"TRUE", "FALSE", "inline <x>", "姓名!", "#N/A", "R&D <中文文>", "line1\r\nline2 _x0041_"},
      {"", "pretty"},
  };
  EXPECT_EQ(rows, want);
}

// Stored entries (from the test's own writer), no relationships at all (the fallback to
// xl/worksheets/sheet1.xml), a namespace prefix on every element, CDATA, rows without r.
TEST(XlsxReadTest, ReadsStoredEntriesAndPrefixedElements) {
  const std::string sheet =
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:sheetData>"
      "<x:row><x:c t=\"inlineStr\"><x:is><x:t>userid</x:t></x:is></x:c>"
      "<x:c t=\"inlineStr\"><x:is><x:t><![CDATA[<name> & co]]></x:t></x:is></x:c></x:row>"
      "<x:row><x:c t=\"inlineStr\"><x:is><x:t>zhangsan</x:t></x:is></x:c>"
      "<x:c><x:v>1.5E-12</x:v></x:c><x:c><x:v> 7 </x:v></x:c></x:row>"
      "</x:sheetData></x:worksheet>";
  const std::string xlsx = test_support::StoredZip(
      {{"[Content_Types].xml", "<Types/>"}, {"xl/worksheets/sheet1.xml", sheet}}, false);
  EXPECT_EQ(ReadOrDie(xlsx), (Rows{{"userid", "<name> & co"}, {"zhangsan", "1.5E-12", "7"}}));
}

TEST(XlsxReadTest, ReadsTheFirstWorksheetAfterAChartSheet) {
  std::vector<ZipEntry> parts = SimplePackage(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
      "data</t></is></c></row>");
  parts[2].data = "<workbook " + std::string(kMain) +
                  "><sheets><sheet name=\"Chart\" sheetId=\"9\" r:id=\"rId9\"/>"
                  "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  parts[3].data = std::string(kRels) + "<Relationship Id=\"rId9\" Type=\"" + std::string(kRelType) +
                  "chartsheet\" Target=\"chartsheets/sheet1.xml\"/>" +
                  "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelType) +
                  "worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  parts.push_back({"xl/chartsheets/sheet1.xml", "<chartsheet/>"});
  EXPECT_EQ(ReadOrDie(Zipped(parts)), (Rows{{"data"}}));
}

TEST(XlsxReadTest, SurvivesCutAndGarbledXml) {
  const std::string data =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><r><t>"
      "a&amp;b</t></r><rPh><t>x</t></rPh></is></c></row><row><c t=\"b\"><v>1</v></c><c>"
      "<f>1+1</f><v>2</v></c><c r=\"D2\" t=\"str\"><v><![CDATA[<x>]]></v></c></row>";
  const std::string shared = "<si><r><t>张</t></r><r><t xml:space=\"preserve\"> 三</t></r></si>";
  const std::string whole = Zipped(SimplePackage(data, shared));
  EXPECT_EQ(ReadOrDie(whole), (Rows{{"张 三", "a&b"}, {"TRUE", "2", "", "<x>"}}));
  // Every cut of the sheet's XML reads as something or is refused; nothing crashes or hangs.
  for (std::size_t len = 0; len <= data.size(); ++len) {
    (void)ReadXlsx(Zipped(SimplePackage(data.substr(0, len), shared)));
  }
  std::mt19937 gen(11);
  const std::string noise = "<>/=\"'&;#x!?[]- \n";
  for (int round = 0; round < 500; ++round) {
    std::string garbled = data;
    for (int k = 0; k < 5; ++k) garbled[gen() % garbled.size()] = noise[gen() % noise.size()];
    (void)ReadXlsx(Zipped(SimplePackage(garbled, shared)));
  }
}

TEST(XlsxReadTest, BoundsTheRows) {
  Rows rows(11, Row{"x"});
  const std::string xlsx = WriteOrDie(rows);
  EXPECT_EQ(XlsxErrorOf(xlsx, 10), "the sheet has more than 10 rows (a value in row 11)");
  EXPECT_EQ(ReadOrDie(xlsx, 11).size(), 11u);
}

TEST(XlsxReadTest, BoundsTheCellsSkippedColumnsWouldMake) {
  std::string data;
  for (int r = 1; r <= 600; ++r) {
    data += "<row r=\"" + std::to_string(r) + "\"><c r=\"XFD" + std::to_string(r) +
            "\"><v>1</v></c></row>";
  }
  EXPECT_EQ(XlsxErrorOf(Zipped(SimplePackage(data))), "the sheet has more than 8000000 cells");
  // A column past XFD is not a place to put anything.
  EXPECT_EQ(ReadOrDie(Zipped(SimplePackage("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c>"
                                           "<c r=\"B1\"><v>2</v></c></row>"))),
            (Rows{{"", "2"}}));
}

TEST(XlsxReadTest, RefusesAMissingSharedString) {
  EXPECT_EQ(XlsxErrorOf(Zipped(SimplePackage("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c></row>",
                                             "<si><t>only one</t></si>"))),
            "the workbook is damaged: cell B2 refers to shared string 1, which is missing");
}

TEST(XlsxReadTest, RefusesWhatIsNotAWorkbook) {
  EXPECT_EQ(XlsxErrorOf(""), "not an XLSX workbook");
  EXPECT_EQ(XlsxErrorOf("userid,name\nzhangsan,张三\n"), "not an XLSX workbook");
  const std::string xls =
      std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(500, '\0');
  EXPECT_EQ(XlsxErrorOf(xls).substr(0, 70),
            "not an XLSX workbook: this is an old Excel 97-2003 (.xls) file or a pa");
  EXPECT_EQ(XlsxErrorOf(Zipped({{"word/document.xml", "<w:document/>"}})),
            "not an XLSX workbook: xl/workbook.xml is missing");
  const std::string good = WriteOrDie({{"a"}});
  EXPECT_EQ(XlsxErrorOf(good.substr(0, good.size() - 30)),
            "not an XLSX workbook: the ZIP file is truncated or damaged (its central directory is "
            "missing)");
  std::vector<ZipEntry> no_sheet = SimplePackage("");
  no_sheet.pop_back();
  EXPECT_EQ(XlsxErrorOf(Zipped(no_sheet)), "the workbook has no worksheet");
}

TEST(XlsxReadTest, NumberCellText) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0", "0"},
      {"-0", "0"},
      {"42", "42"},
      {"42.0", "42"},
      {"+7", "7"},
      {"007", "7"},
      {"13800138000", "13800138000"},
      {"1.3800138E10", "13800138000"},
      {"1.3800138e+10", "13800138000"},
      {"13800138000.000002", "13800138000"},
      {"6.2220212345678901E+18", "6222021234567890000"},
      {"3.5", "3.5"},
      {"-0.25", "-0.25"},
      {".5", "0.5"},
      {"0.30000000000000004", "0.3"},
      {"2.9999999999999996", "3"},
      {"0.1", "0.1"},
      {"1E-3", "0.001"},
      {"1e-9", "0.000000001"},
      {"1.5E-12", "1.5E-12"},
      {"1E+20", "100000000000000000000"},
      {"1E+21", "1E+21"},
      {"1.25E+30", "1.25E+30"},
      {"9.9999999999999999E+22", "1E+23"},
      {" 12 ", "12"},
      {"12abc", "12abc"},
      {"abc", "abc"},
      {"1E", "1E"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(NumberCellText(in), want) << in;
}

TEST(XlsxPerformanceTest, HundredThousandRowsRoundTrip) {
  Rows rows;
  rows.reserve(100001);
  rows.push_back({"userid", "姓名", "部门", "手机", "邮箱", "职务", "备注"});
  char mobile[16];
  for (int i = 0; i < 100000; ++i) {
    std::snprintf(mobile, sizeof mobile, "138%08d", i);
    rows.push_back({"user" + std::to_string(i), "成员" + std::to_string(i),
                    std::to_string(i % 50 + 1) + ";1", mobile,
                    "user" + std::to_string(i) + "@example.com", i % 7 == 0 ? "" : "工程师",
                    i % 3 == 0 ? "备注 & <说明>" : ""});
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::string xlsx = WriteOrDie(rows);
  const auto t1 = std::chrono::steady_clock::now();
  const Rows back = ReadOrDie(xlsx);
  const auto t2 = std::chrono::steady_clock::now();
  EXPECT_EQ(back, Normalized(rows));
  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  // Reported, not asserted: the machine is shared.
  std::printf("100k x 7: %zu bytes, write %lld ms, read %lld ms\n", xlsx.size(),
              static_cast<long long>(ms(t1 - t0)), static_cast<long long>(ms(t2 - t1)));
}

}  // namespace
}  // namespace corphub::office
