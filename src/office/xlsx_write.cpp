#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>

#include "office/xlsx.hpp"
#include "office/xlsx_common.hpp"
#include "office/xml.hpp"

namespace corphub::office {
namespace {

using namespace xlsx_detail;  // NOLINT: the shared helpers of this format

// ---- writing ----

core::Status CheckSheetName(std::string_view name) {
  const std::string shown = "sheet name \"" + std::string(name) + "\"";
  if (name.empty()) return Invalid("the sheet name is empty");
  std::size_t units = 0;  // Excel counts UTF-16 code units
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) units += b >= 0xF0 ? 2 : 1;
    if (b < 0x20) return Invalid(shown + " holds a control character");
  }
  if (units > 31) return Invalid(shown + " is longer than 31 characters");
  if (name.find_first_of(":\\/?*[]") != std::string_view::npos) {
    return Invalid(shown + " holds one of : \\ / ? * [ ]");
  }
  if (name.front() == '\'' || name.back() == '\'') {
    return Invalid(shown + " starts or ends with an apostrophe");
  }
  std::string lowered(name);
  for (char& c : lowered) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (lowered == "history") return Invalid(shown + " is reserved by Excel");
  return core::Ok();
}

std::size_t Utf16Units(std::string_view s) {
  std::size_t units = 0;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) units += b >= 0xF0 ? 2 : 1;
  }
  return units;
}

constexpr std::string_view kXmlDecl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string ContentTypesXml() {
  std::string out(kXmlDecl);
  out +=
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
      "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
      "<Override PartName=\"/xl/styles.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
      "<Override PartName=\"/xl/sharedStrings.xml\" "
      "ContentType=\"application/"
      "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
      "<Override PartName=\"/docProps/core.xml\" "
      "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
      "<Override PartName=\"/docProps/app.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
      "</Types>";
  return out;
}

std::string RootRelsXml() {
  std::string out(kXmlDecl);
  out +=
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"xl/workbook.xml\"/>"
      "<Relationship Id=\"rId2\" "
      "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
      "core-properties\" Target=\"docProps/core.xml\"/>"
      "<Relationship Id=\"rId3\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
      "extended-properties\" Target=\"docProps/app.xml\"/>"
      "</Relationships>";
  return out;
}

std::string CoreXml() {
  std::string out(kXmlDecl);
  out +=
      "<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
      "<dc:creator>corphub</dc:creator></cp:coreProperties>";
  return out;
}

std::string AppXml() {
  std::string out(kXmlDecl);
  out +=
      "<Properties "
      "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
      "<Application>corphub</Application></Properties>";
  return out;
}

std::string WorkbookXml(std::string_view sheet_name) {
  std::string out(kXmlDecl);
  out += "<workbook xmlns=\"";
  out += kMainNs;
  out += "\" xmlns:r=\"";
  out += kRelNs;
  out += "\"><bookViews><workbookView/></bookViews><sheets><sheet name=\"";
  xml::AppendEscaped(out, sheet_name, true);
  out += "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  return out;
}

std::string WorkbookRelsXml() {
  std::string out(kXmlDecl);
  const std::string base = std::string(kRelNs) + "/";
  out += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  out +=
      "<Relationship Id=\"rId1\" Type=\"" + base + "worksheet\" Target=\"worksheets/sheet1.xml\"/>";
  out += "<Relationship Id=\"rId2\" Type=\"" + base + "styles\" Target=\"styles.xml\"/>";
  out +=
      "<Relationship Id=\"rId3\" Type=\"" + base + "sharedStrings\" Target=\"sharedStrings.xml\"/>";
  out += "</Relationships>";
  return out;
}

// Style 1: text ("@"); style 2: bold text, for the header row.
std::string StylesXml() {
  std::string out(kXmlDecl);
  out += "<styleSheet xmlns=\"";
  out += kMainNs;
  out +=
      "\">"
      "<fonts count=\"2\">"
      "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
      "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
      "</fonts>"
      "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
      "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
      "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
      "</cellStyleXfs>"
      "<cellXfs count=\"3\">"
      "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
      "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
      "applyNumberFormat=\"1\"/>"
      "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
      "applyNumberFormat=\"1\" applyFont=\"1\"/>"
      "</cellXfs>"
      "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
      "</cellStyles>"
      "</styleSheet>";
  return out;
}

bool NeedsPreserve(std::string_view s) {
  if (s.empty()) return false;
  const auto edge = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  return edge(s.front()) || edge(s.back()) || s.find_first_of("\n\r\t") != std::string_view::npos;
}

void AppendNumber(std::string& out, std::size_t n) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

}  // namespace

core::Result<std::string> WriteXlsx(const std::vector<Row>& rows, std::string_view sheet_name) {
  CORPHUB_TRY(CheckSheetName(sheet_name));
  if (rows.size() > kExcelMaxRows) {
    return Invalid("a sheet holds at most " + std::to_string(kExcelMaxRows) + " rows, not " +
                   std::to_string(rows.size()));
  }
  std::size_t width = 0;
  std::size_t bytes = 0;
  std::size_t filled = 0;  // cells with text
  for (const Row& row : rows) {
    width = std::max(width, row.size());
    for (const std::string& cell : row) {
      bytes += cell.size();
      filled += cell.empty() ? 0 : 1;
    }
  }
  if (width > kExcelMaxColumns) {
    return Invalid("a sheet holds at most " + std::to_string(kExcelMaxColumns) + " columns, not " +
                   std::to_string(width));
  }
  std::vector<std::string> columns(width);
  for (std::size_t c = 0; c < width; ++c) columns[c] = ColumnName(c + 1);

  // Shared strings, each text once, in order of first use.
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(filled);
  std::vector<std::string_view> unique;
  unique.reserve(filled);
  std::size_t cells = 0;
  std::string sheet(kXmlDecl);
  sheet.reserve(filled * 44 + rows.size() * 20 + 256);  // <c r="B123" s="1" t="s"><v>77</v></c>
  sheet += "<worksheet xmlns=\"";
  sheet += kMainNs;
  sheet += "\"><sheetData>";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    if (std::all_of(row.begin(), row.end(), [](const std::string& c) { return c.empty(); })) {
      continue;
    }
    sheet += "<row r=\"";
    AppendNumber(sheet, r + 1);
    sheet += "\">";
    const std::string_view style = r == 0 ? "2" : "1";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string& text = row[c];
      if (text.empty()) continue;
      if (text.size() > kExcelMaxCellChars && Utf16Units(text) > kExcelMaxCellChars) {
        return Invalid("cell " + columns[c] + std::to_string(r + 1) + " is longer than " +
                       std::to_string(kExcelMaxCellChars) + " characters (Excel's limit)");
      }
      const auto [it, added] = index.try_emplace(text, unique.size());
      if (added) unique.push_back(text);
      ++cells;
      sheet += "<c r=\"";
      sheet += columns[c];
      AppendNumber(sheet, r + 1);
      sheet += "\" s=\"";
      sheet += style;
      sheet += "\" t=\"s\"><v>";
      AppendNumber(sheet, it->second);
      sheet += "</v></c>";
    }
    sheet += "</row>";
  }
  sheet += "</sheetData></worksheet>";

  std::string sst(kXmlDecl);
  sst.reserve(bytes + unique.size() * 16 + 256);
  sst += "<sst xmlns=\"";
  sst += kMainNs;
  sst += "\" count=\"";
  AppendNumber(sst, cells);
  sst += "\" uniqueCount=\"";
  AppendNumber(sst, unique.size());
  sst += "\">";
  for (std::string_view text : unique) {
    sst += NeedsPreserve(text) ? "<si><t xml:space=\"preserve\">" : "<si><t>";
    AppendXString(sst, text);
    sst += "</t></si>";
  }
  sst += "</sst>";

  std::vector<ZipEntry> entries;
  entries.push_back({"[Content_Types].xml", ContentTypesXml()});
  entries.push_back({"_rels/.rels", RootRelsXml()});
  entries.push_back({"docProps/core.xml", CoreXml()});
  entries.push_back({"docProps/app.xml", AppXml()});
  entries.push_back({"xl/workbook.xml", WorkbookXml(sheet_name)});
  entries.push_back({"xl/_rels/workbook.xml.rels", WorkbookRelsXml()});
  entries.push_back({"xl/styles.xml", StylesXml()});
  entries.push_back({"xl/sharedStrings.xml", std::move(sst)});
  entries.push_back({"xl/worksheets/sheet1.xml", std::move(sheet)});
  return WriteZip(entries);
}

}  // namespace corphub::office
