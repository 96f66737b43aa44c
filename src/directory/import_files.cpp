#include "directory/import_files.hpp"

#include "core/csv.hpp"
#include "directory/batch_files.hpp"
#include "office/xlsx.hpp"
#include "office/zip.hpp"

namespace corphub::directory::import {
namespace {

using core::ErrorKind;
using core::MakeError;

struct ColumnNames {
  Column column;
  std::string_view zh;
  std::string_view en;
  std::array<std::string_view, 6> aliases;  // compared normalised; "" ends the list
};

constexpr std::array<ColumnNames, kColumnCount> kColumns = {{
    {Column::kAccount, "账号", "Account", {"账号", "帐号", "account", "userid", "用户id", ""}},
    {Column::kName, "姓名", "Name", {"姓名", "name", "名字", "", "", ""}},
    {Column::kImId, "IM账号", "IM ID", {"im账号", "im帐号", "imid", "im", "externalid", ""}},
    {Column::kMobile, "手机", "Mobile", {"手机", "手机号", "手机号码", "mobile", "phone", ""}},
    {Column::kEmail, "邮箱", "Email", {"邮箱", "电子邮箱", "email", "e-mail", "mail", ""}},
    {Column::kDepartments,
     "部门",
     "Departments",
     {"部门", "所属部门", "departments", "department", "", ""}},
    {Column::kPositions, "职务", "Positions", {"职务", "职位", "positions", "position", "", ""}},
}};

// Lowercased ASCII, without spaces, underscores and '*' (templates mark required columns).
std::string Normalised(std::string_view header) {
  std::string out;
  for (char c : batch::Trim(header)) {
    if (c == ' ' || c == '_' || c == '*') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  // A full-width asterisk (＊) as Chinese templates write it.
  for (std::size_t at; (at = out.find("\xEF\xBC\x8A")) != std::string::npos;) out.erase(at, 3);
  return out;
}

core::Error Invalid(std::string message) {
  return MakeError(ErrorKind::kImportFileInvalid, std::move(message));
}

// Replaces every occurrence of a full-width separator with its ASCII twin.
std::string AsciiSeparators(std::string_view cell) {
  std::string s(cell);
  for (auto [wide, narrow] : {std::pair<std::string_view, char>{"\xEF\xBC\x9B", ';'},
                              std::pair<std::string_view, char>{"\xEF\xBC\x8F", '/'}}) {
    for (std::size_t at; (at = s.find(wide)) != std::string::npos;)
      s.replace(at, wide.size(), 1, narrow);
  }
  return s;
}

}  // namespace

std::string_view HeaderOf(Column column, Language language) {
  const auto& c = kColumns[static_cast<std::size_t>(column)];
  return language == Language::kZh ? c.zh : c.en;
}

std::optional<Column> ColumnOf(std::string_view header) {
  const std::string key = Normalised(header);
  if (key.empty()) return std::nullopt;
  for (const auto& c : kColumns) {
    for (std::string_view alias : c.aliases) {
      if (!alias.empty() && alias == key) return c.column;
    }
  }
  return std::nullopt;
}

core::Result<ImportFile> ReadImportFile(std::string_view bytes, std::size_t max_rows) {
  ImportFile file;
  std::vector<std::pair<std::size_t, std::vector<std::string>>> raw;  // (line, cells)
  if (office::LooksLikeZip(bytes)) {
    file.format = FileFormat::kXlsx;
    // The bound counts row numbers, blank rows included: leave room for some.
    auto rows = office::ReadXlsx(bytes, max_rows * 2 + 16);
    if (!rows) return Invalid(rows.error().message);
    for (std::size_t i = 0; i < rows->size(); ++i) raw.emplace_back(i + 1, std::move((*rows)[i]));
  } else {
    auto text = core::DecodeText(bytes);
    if (!text) return Invalid("not a CSV or XLSX file: " + text.error().message);
    core::CsvOptions options;
    options.max_rows = max_rows + 1;
    auto rows = core::ParseCsv(text->utf8, options);
    if (!rows) return Invalid("not a readable CSV file: " + rows.error().message);
    for (auto& r : *rows) raw.emplace_back(r.line, std::move(r.fields));
  }
  auto blank = [](const std::vector<std::string>& cells) {
    for (const auto& c : cells) {
      if (!batch::Trim(c).empty()) return false;
    }
    return true;
  };
  std::size_t at = 0;
  while (at < raw.size() && blank(raw[at].second)) ++at;
  if (at == raw.size()) return Invalid("the file is empty");

  // The header row: which cell holds which column.
  std::array<std::optional<std::size_t>, kColumnCount> index{};
  for (std::size_t i = 0; i < raw[at].second.size(); ++i) {
    auto column = ColumnOf(raw[at].second[i]);
    if (!column) continue;  // other columns are ignored
    auto& slot = index[static_cast<std::size_t>(*column)];
    if (slot) {
      return Invalid("the column \"" + std::string(HeaderOf(*column, Language::kZh)) + "/" +
                     std::string(HeaderOf(*column, Language::kEn)) + "\" appears twice");
    }
    slot = i;
  }
  for (Column required : {Column::kAccount, Column::kName}) {
    if (!index[static_cast<std::size_t>(required)]) {
      return Invalid("the first row must name the column \"" +
                     std::string(HeaderOf(required, Language::kZh)) + "\" (" +
                     std::string(HeaderOf(required, Language::kEn)) + ")");
    }
  }
  for (std::size_t c = 0; c < kColumnCount; ++c) file.present[c] = index[c].has_value();

  for (std::size_t r = at + 1; r < raw.size(); ++r) {
    if (blank(raw[r].second)) continue;
    if (file.rows.size() == max_rows) {
      return Invalid("the file has more than " + std::to_string(max_rows) + " rows");
    }
    ImportRow row;
    row.line = raw[r].first;
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      if (index[c] && *index[c] < raw[r].second.size())
        row.cells[c] = batch::Trim(raw[r].second[*index[c]]);
    }
    file.rows.push_back(std::move(row));
  }
  if (file.rows.empty()) return Invalid("the file has a header row but no members");
  return file;
}

core::Result<std::string> WriteImportFile(
    const std::vector<std::array<std::string, kColumnCount>>& rows, FileFormat format,
    Language language) {
  std::vector<std::string> header;
  for (const auto& c : kColumns) header.emplace_back(language == Language::kZh ? c.zh : c.en);
  if (format == FileFormat::kXlsx) {
    std::vector<office::Row> sheet;
    sheet.reserve(rows.size() + 1);
    sheet.push_back(header);
    for (const auto& r : rows) sheet.emplace_back(r.begin(), r.end());
    return office::WriteXlsx(sheet, language == Language::kZh ? "成员" : "Members");
  }
  std::string out = "\xEF\xBB\xBF";  // Excel reads UTF-8 only with a BOM
  core::AppendCsvRow(out, header);
  std::vector<std::string> cells(kColumnCount);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < kColumnCount; ++c) cells[c] = r[c];
    core::AppendCsvRow(out, cells);
  }
  return out;
}

core::Result<std::vector<std::vector<std::string>>> SplitPaths(std::string_view cell) {
  const std::string s = AsciiSeparators(cell);
  std::vector<std::vector<std::string>> paths;
  std::size_t from = 0;
  while (from <= s.size()) {
    std::size_t end = s.find(';', from);
    if (end == std::string::npos) end = s.size();
    const std::string path = batch::Trim(std::string_view(s).substr(from, end - from));
    if (!path.empty()) {
      std::vector<std::string> segments;
      std::size_t a = 0;
      while (a <= path.size()) {
        std::size_t b = path.find('/', a);
        if (b == std::string::npos) b = path.size();
        std::string segment = batch::Trim(std::string_view(path).substr(a, b - a));
        if (segment.empty()) {
          return MakeError(ErrorKind::kDepartmentNameLength,
                           "the department path \"" + path + "\" has an empty name");
        }
        segments.push_back(std::move(segment));
        a = b + 1;
      }
      paths.push_back(std::move(segments));
    }
    from = end + 1;
  }
  return paths;
}

std::string NormalisePositions(std::string_view cell) {
  const std::string s = AsciiSeparators(cell);
  std::string out;
  std::size_t a = 0;
  while (a <= s.size()) {
    std::size_t b = s.find('/', a);
    if (b == std::string::npos) b = s.size();
    std::string part = batch::Trim(std::string_view(s).substr(a, b - a));
    if (!part.empty()) {
      if (!out.empty()) out += '/';
      out += part;
    }
    a = b + 1;
  }
  return out;
}

}  // namespace corphub::directory::import
