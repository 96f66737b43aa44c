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

// ---- reading ----

// Text (and CDATA) up to </stop>, whatever elements lie between.
void CollectText(Scanner& sc, std::string_view stop, std::string& out) {
  while (true) {
    switch (sc.Next()) {
      case Token::kEof:
        return;
      case Token::kEnd:
        if (sc.name() == stop) return;
        break;
      case Token::kText:
        xml::AppendDecoded(out, sc.text());
        break;
      case Token::kCdata:
        xml::AppendDecoded(out, sc.text(), false);
        break;
      case Token::kStart:
        break;
    }
  }
}

// The text of a string item (<si> or <is>) up to </stop>: the <t> elements, plain or in rich text
// runs (<r><t>), leaving out phonetic runs (<rPh>).
void CollectRichText(Scanner& sc, std::string_view stop, std::string& out) {
  int phonetic = 0;
  int in_t = 0;
  while (true) {
    switch (sc.Next()) {
      case Token::kEof:
        return;
      case Token::kStart:
        if (sc.self_closing()) break;
        if (sc.name() == "rPh") ++phonetic;
        if (sc.name() == "t") ++in_t;
        break;
      case Token::kEnd:
        if (sc.name() == stop) return;
        if (sc.name() == "rPh" && phonetic > 0) --phonetic;
        if (sc.name() == "t" && in_t > 0) --in_t;
        break;
      case Token::kText:
        if (in_t > 0 && phonetic == 0) xml::AppendDecoded(out, sc.text());
        break;
      case Token::kCdata:
        if (in_t > 0 && phonetic == 0) xml::AppendDecoded(out, sc.text(), false);
        break;
    }
  }
}

std::vector<std::string> ParseSharedStrings(std::string_view doc) {
  std::vector<std::string> out;
  Scanner sc(doc);
  while (sc.Next() != Token::kEof) {
    if (sc.token() != Token::kStart) continue;
    if (sc.name() == "sst") {
      std::size_t unique = 0;
      const std::string_view count = Trimmed(sc.Attr("uniqueCount").value_or(""));
      std::from_chars(count.data(), count.data() + count.size(), unique);
      out.reserve(std::min(unique, doc.size() / 8));  // each <si></si> takes 9 bytes or more
    } else if (sc.name() == "si") {
      std::string text;
      if (!sc.self_closing()) CollectRichText(sc, "si", text);
      UndoXEscapes(text);
      out.push_back(std::move(text));
    }
  }
  return out;
}

// A cell reference ("C5", 1-based): 0 for a part that is missing; a column past XFD is
// kExcelMaxColumns + 1, a row out of range 0.
struct CellRef {
  std::size_t column = 0;
  std::size_t row = 0;
};

std::size_t ParseRowNumber(std::string_view digits) {
  std::size_t row = 0;
  if (digits.empty() || digits.size() > 7) return 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    row = row * 10 + static_cast<std::size_t>(c - '0');
  }
  return row <= kExcelMaxRows ? row : 0;
}

CellRef ParseCellRef(std::string_view ref) {
  ref = Trimmed(ref);
  std::size_t i = 0;
  std::size_t column = 0;
  for (; i < ref.size(); ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = std::min(column * 26 + static_cast<std::size_t>(c - 'A' + 1), kExcelMaxColumns + 1);
  }
  return CellRef{column, ParseRowNumber(ref.substr(i))};
}

class SheetBuilder {
 public:
  explicit SheetBuilder(std::size_t max_rows) : max_rows_(max_rows) {}

  core::Status Put(std::size_t row, std::size_t column, std::string&& text) {
    if (text.empty()) return core::Ok();
    if (row > max_rows_) {
      return Invalid("the sheet has more than " + std::to_string(max_rows_) +
                     " rows (a value in row " + std::to_string(row) + ")");
    }
    if (rows_.size() < row) rows_.resize(row);
    Row& cells = rows_[row - 1];
    if (cells.size() < column) {
      cells_ += column - cells.size();
      if (cells_ > kMaxXlsxCells) {
        return Invalid("the sheet has more than " + std::to_string(kMaxXlsxCells) + " cells");
      }
      cells.resize(column);
    }
    cells[column - 1] = std::move(text);
    return core::Ok();
  }

  std::vector<Row> Take() && { return std::move(rows_); }

 private:
  std::size_t max_rows_;
  std::size_t cells_ = 0;
  std::vector<Row> rows_;
};

core::Result<std::vector<Row>> ParseSheet(std::string_view doc,
                                          const std::vector<std::string>& shared,
                                          std::size_t max_rows) {
  SheetBuilder sheet(max_rows);
  Scanner sc(doc);
  bool in_data = false;
  std::size_t row = 0;     // the current <row>'s number
  std::size_t column = 0;  // the last cell's column in it
  std::string value;
  std::string inline_text;
  while (sc.Next() != Token::kEof) {
    if (sc.token() == Token::kEnd) {
      if (sc.name() == "sheetData") in_data = false;
      continue;
    }
    if (sc.token() != Token::kStart) continue;
    const std::string_view name = sc.name();
    if (name == "sheetData") {
      in_data = !sc.self_closing();
      continue;
    }
    if (!in_data) continue;
    if (name == "row") {
      const std::size_t r = ParseRowNumber(Trimmed(sc.Attr("r").value_or("")));
      row = r != 0 ? r : row + 1;
      column = 0;
      continue;
    }
    if (name != "c") continue;

    const CellRef ref = ParseCellRef(sc.Attr("r").value_or(""));
    const std::size_t cell_row = ref.row != 0 ? ref.row : std::max<std::size_t>(row, 1);
    column = ref.column != 0 ? ref.column : column + 1;
    if (column > kExcelMaxColumns) continue;  // past XFD: nowhere to put it
    const std::string_view type = Trimmed(sc.Attr("t").value_or("n"));
    if (sc.self_closing()) continue;  // a formatted cell without a value

    value.clear();
    inline_text.clear();
    bool has_inline = false;
    while (true) {
      const Token t = sc.Next();
      if (t == Token::kEof || (t == Token::kEnd && sc.name() == "c")) break;
      if (t != Token::kStart || sc.self_closing()) continue;
      if (sc.name() == "v") {
        CollectText(sc, "v", value);
      } else if (sc.name() == "is") {
        has_inline = true;
        CollectRichText(sc, "is", inline_text);
      } else if (sc.name() == "f") {
        std::string formula;
        CollectText(sc, "f", formula);  // the cached <v> holds the result
      }
    }

    std::string text;
    if (type == "s") {
      const std::string_view digits = Trimmed(value);
      if (digits.empty()) continue;
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (ec != std::errc() || end != digits.data() + digits.size() || index >= shared.size()) {
        return Invalid("the workbook is damaged: cell " + CellName(cell_row, column) +
                       " refers to shared string " + std::string(digits) + ", which is missing");
      }
      text = shared[index];
    } else if (type == "inlineStr" || type == "str") {
      text = has_inline ? std::move(inline_text) : std::move(value);
      UndoXEscapes(text);
    } else if (type == "b") {
      const std::string_view v = Trimmed(value);
      if (v == "1" || v == "true") {
        text = "TRUE";
      } else if (v == "0" || v == "false") {
        text = "FALSE";
      } else {
        text = v;
      }
    } else if (type == "n") {
      if (has_inline) {
        text = std::move(inline_text);
      } else if (!Trimmed(value).empty()) {
        text = NumberCellText(value);
      }
    } else {  // "e" (#N/A), "d" (ISO 8601 dates) and whatever else: as written
      text = Trimmed(value);
    }
    if (auto put = sheet.Put(cell_row, column, std::move(text)); !put.ok()) {
      return std::move(put).error();
    }
  }
  return std::move(sheet).Take();
}

struct Relationship {
  std::string id;
  std::string type;
  std::string target;  // the part name it resolves to, without a leading '/'
};

std::string_view DirOf(std::string_view part) {
  const std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
}

// A relationship target resolved against the source part's folder: "worksheets/sheet1.xml" from
// "xl/" is "xl/worksheets/sheet1.xml"; "/xl/x.xml" is absolute; "." and ".." segments resolve.
std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
  std::string joined;
  if (!target.empty() && target.front() == '/') {
    joined.assign(target.substr(1));
  } else {
    joined.assign(base_dir);
    joined.append(target);
  }
  std::vector<std::string_view> segments;
  std::string_view rest = joined;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(seg);
  }
  std::string out;
  for (std::string_view seg : segments) {
    if (!out.empty()) out += '/';
    out.append(seg);
  }
  return out;
}

std::string RelsPathOf(std::string_view part) {
  const std::string_view dir = DirOf(part);
  return std::string(dir) + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
}

std::vector<Relationship> ParseRelationships(std::string_view doc, std::string_view base_dir) {
  std::vector<Relationship> out;
  Scanner sc(doc);
  while (sc.Next() != Token::kEof) {
    if (sc.token() != Token::kStart || sc.name() != "Relationship") continue;
    if (xml::Decoded(sc.Attr("TargetMode").value_or("")) == "External") continue;
    Relationship rel;
    rel.id = xml::Decoded(Trimmed(sc.Attr("Id").value_or("")));
    rel.type = xml::Decoded(Trimmed(sc.Attr("Type").value_or("")));
    rel.target = ResolveTarget(base_dir, xml::Decoded(Trimmed(sc.Attr("Target").value_or(""))));
    out.push_back(std::move(rel));
  }
  return out;
}

// Transitional and Strict OOXML name relationship types by different URIs with the same ending.
bool TypeIs(std::string_view type, std::string_view last_segment) {
  return type.size() > last_segment.size() && type.ends_with(last_segment) &&
         type[type.size() - last_segment.size() - 1] == '/';
}

// The workbook's parts, read with one budget for all the XML.
class Package {
 public:
  explicit Package(ZipArchive archive) : archive_(std::move(archive)) {}

  bool Has(std::string_view part) const { return archive_.Find(part) != nullptr; }

  // The part's bytes; nullopt when there is no such part.
  core::Result<std::optional<std::string>> Read(std::string_view part) {
    const ZipEntryInfo* entry = archive_.Find(part);
    if (entry == nullptr) return std::optional<std::string>();
    bool over_limit = false;
    auto data = archive_.Extract(*entry, left_, &over_limit);
    if (over_limit) {
      return Invalid("the workbook's XML is larger than " + std::to_string(kMaxXmlBytes >> 20) +
                     " MiB");
    }
    if (!data.ok()) return std::move(data).error();
    left_ -= data->size();
    return std::optional<std::string>(std::move(data).value());
  }

 private:
  ZipArchive archive_;
  std::size_t left_ = kMaxXmlBytes;
};

// The package's main part, as _rels/.rels names it.
core::Result<std::string> FindWorkbookPart(Package& package) {
  auto root = package.Read("_rels/.rels");
  if (!root.ok()) return std::move(root).error();
  if (root->has_value()) {
    for (const Relationship& rel : ParseRelationships(**root, "")) {
      if (TypeIs(rel.type, "officeDocument") && package.Has(rel.target)) return rel.target;
    }
  }
  return std::string("xl/workbook.xml");
}

struct SheetParts {
  std::string sheet;
  std::string shared_strings;  // empty when there are none
};

core::Result<SheetParts> FindSheetParts(Package& package) {
  auto workbook_part = FindWorkbookPart(package);
  if (!workbook_part.ok()) return std::move(workbook_part).error();
  SheetParts parts;
  auto workbook = package.Read(*workbook_part);
  if (!workbook.ok()) return std::move(workbook).error();
  if (workbook->has_value()) {
    std::vector<Relationship> rels;
    auto rels_doc = package.Read(RelsPathOf(*workbook_part));
    if (!rels_doc.ok()) return std::move(rels_doc).error();
    if (rels_doc->has_value()) rels = ParseRelationships(**rels_doc, DirOf(*workbook_part));
    const auto find_rel = [&](std::string_view id) -> const Relationship* {
      for (const Relationship& rel : rels) {
        if (rel.id == id) return &rel;
      }
      return nullptr;
    };
    Scanner sc(**workbook);
    while (parts.sheet.empty() && sc.Next() != Token::kEof) {
      if (sc.token() != Token::kStart || sc.name() != "sheet") continue;
      const Relationship* rel = find_rel(xml::Decoded(Trimmed(sc.Attr("id").value_or(""))));
      // The first sheet may be a chart sheet or a macro sheet; the first worksheet is wanted.
      if (rel != nullptr && TypeIs(rel->type, "worksheet") && package.Has(rel->target)) {
        parts.sheet = rel->target;
      }
    }
    for (const Relationship& rel : rels) {
      if (TypeIs(rel.type, "sharedStrings") && package.Has(rel.target)) {
        parts.shared_strings = rel.target;
        break;
      }
    }
  }
  if (parts.sheet.empty()) {
    if (package.Has("xl/worksheets/sheet1.xml")) {
      parts.sheet = "xl/worksheets/sheet1.xml";
    } else if (!workbook->has_value()) {
      return Invalid(std::string(kNotXlsx) + ": " + *workbook_part + " is missing");
    } else {
      return Invalid("the workbook has no worksheet");
    }
  }
  if (parts.shared_strings.empty() && package.Has("xl/sharedStrings.xml")) {
    parts.shared_strings = "xl/sharedStrings.xml";
  }
  return parts;
}

}  // namespace

std::string NumberCellText(std::string_view value) {
  const std::string_view s = Trimmed(value);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string digits;  // significant digits, without leading zeros: value = digits * 10^exp
  long long exp = 0;
  bool any_digit = false;
  bool point = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (point) --exp;
      if (digits.empty() && c == '0') continue;
      digits += c;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return std::string(s);
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    if (i == s.size()) return std::string(s);
    long long e = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      e = std::min<long long>(e * 10 + (s[i] - '0'), 1'000'000);
    }
    exp += exp_negative ? -e : e;
  }
  if (i != s.size()) return std::string(s);
  if (digits.empty()) return "0";

  constexpr std::size_t kSignificant = 15;  // what Excel shows of a double
  if (digits.size() > kSignificant) {
    const bool round_up = digits[kSignificant] >= '5';
    exp += static_cast<long long>(digits.size() - kSignificant);
    digits.resize(kSignificant);
    if (round_up) {
      std::size_t k = kSignificant;
      while (k > 0 && digits[k - 1] == '9') digits[--k] = '0';
      if (k == 0) {
        digits.insert(digits.begin(), '1');
        digits.pop_back();
        ++exp;
      } else {
        ++digits[k - 1];
      }
    }
  }
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exp;
  }
  const auto n = static_cast<long long>(digits.size());
  const long long int_digits = n + exp;  // digits before the decimal point
  std::string out;
  if (negative) out += '-';
  if (exp >= 0 && int_digits <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(exp), '0');
  } else if (exp < 0 && int_digits > 0) {
    out.append(digits, 0, static_cast<std::size_t>(int_digits));
    out += '.';
    out.append(digits, static_cast<std::size_t>(int_digits));
  } else if (exp < 0 && int_digits > -9) {
    out += "0.";
    out.append(static_cast<std::size_t>(-int_digits), '0');
    out += digits;
  } else {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out.append(digits, 1);
    }
    const long long e10 = int_digits - 1;
    out += e10 < 0 ? "E-" : "E+";
    out += std::to_string(e10 < 0 ? -e10 : e10);
  }
  return out;
}

core::Result<std::vector<Row>> ReadXlsx(std::string_view bytes, std::size_t max_rows) {
  if (!LooksLikeZip(bytes)) {
    if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
      return Invalid(std::string(kNotXlsx) +
                     ": this is an old Excel 97-2003 (.xls) file or a password-protected "
                     "workbook; save it as .xlsx without a password");
    }
    return Invalid(std::string(kNotXlsx));
  }
  auto archive = ZipArchive::Open(bytes, kMaxArchiveEntries);
  if (!archive.ok()) return Invalid(std::string(kNotXlsx) + ": " + archive.error().message);
  Package package(std::move(archive).value());
  auto parts = FindSheetParts(package);
  if (!parts.ok()) return std::move(parts).error();

  std::vector<std::string> shared;
  if (!parts->shared_strings.empty()) {
    auto doc = package.Read(parts->shared_strings);
    if (!doc.ok()) return std::move(doc).error();
    shared = ParseSharedStrings(**doc);
  }
  auto sheet = package.Read(parts->sheet);
  if (!sheet.ok()) return std::move(sheet).error();
  return ParseSheet(**sheet, shared, max_rows);
}

}  // namespace corphub::office
