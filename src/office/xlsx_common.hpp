#pragma once
// What the XLSX reader and writer share (internal to src/office).
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "office/xml.hpp"

namespace corphub::office::xlsx_detail {

using xml::Scanner;
using xml::Token;

inline constexpr std::string_view kNotXlsx = "not an XLSX workbook";
inline constexpr std::size_t kMaxXmlBytes = std::size_t{256} << 20;
inline constexpr std::size_t kMaxArchiveEntries = 10000;
inline constexpr std::size_t kExcelMaxRows = 1048576;
inline constexpr std::size_t kExcelMaxColumns = 16384;
inline constexpr std::size_t kExcelMaxCellChars = 32767;

inline core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorKind::kInvalidArgument, std::move(message));
}

inline std::string_view Trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

inline int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of an "_xHHHH_" escape at s[i], or -1.
inline long XEscapeAt(std::string_view s, std::size_t i) {
  if (s.size() - i < 7 || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
  long v = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    const int d = HexDigit(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// OOXML strings (ST_Xstring) carry characters XML cannot hold as "_xHHHH_" (Excel writes a
// carriage return as "_x000D_", and a literal "_x" as "_x005F_x").
inline void UndoXEscapes(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    long unit = XEscapeAt(s, i);
    if (unit < 0) {
      out += s[i++];
      continue;
    }
    i += 7;
    char32_t cp = static_cast<char32_t>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {  // a surrogate pair, written as two escapes
      const long low = i < s.size() ? XEscapeAt(s, i) : -1;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = static_cast<char32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 7;
      }
    }
    if (cp != 0) xml::AppendUtf8(out, cp);
  }
  s = std::move(out);
}

// The writer's side: a literal "_xHHHH_" in the text gets its '_' escaped, so that readers which
// undo the escapes (Excel) show the text as it was.
inline void AppendXString(std::string& out, std::string_view text) {
  if (text.find("_x") == std::string_view::npos) {
    xml::AppendEscaped(out, text);
    return;
  }
  std::string guarded;
  guarded.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (XEscapeAt(text, i) >= 0) {
      guarded += "_x005F_";
    } else {
      guarded += text[i];
    }
  }
  xml::AppendEscaped(out, guarded);
}

inline std::string ColumnName(std::size_t column) {  // 1 -> "A", 27 -> "AA"
  std::string out;
  while (column > 0) {
    const std::size_t rem = (column - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return out;
}

inline std::string CellName(std::size_t row, std::size_t column) {
  return ColumnName(column) + std::to_string(row);
}

}  // namespace corphub::office::xlsx_detail
