#pragma once
// Text import files: decoding what Excel writes (UTF-8 or GB18030) and reading RFC 4180 rows.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::core {

enum class TextEncoding { kUtf8, kGb18030 };

struct DecodedText {
  std::string utf8;
  TextEncoding from = TextEncoding::kUtf8;
};

// Import files come from Excel on Chinese Windows as often as not: UTF-8 (a BOM is dropped) is
// taken as is; otherwise the bytes are read as GB18030 (a superset of GBK/GB2312), converted with
// glibc's iconv. kInvalidArgument ("the file is neither UTF-8 nor GBK/GB18030 text") when both
// fail, and for NUL bytes (binary files).
Result<DecodedText> DecodeText(std::string_view bytes);

struct CsvOptions {
  std::size_t max_rows = 200000;
  std::size_t max_fields = 64;
  std::size_t max_field_bytes = 4096;
};

// One record; `line` is the 1-based line where it starts (a quoted field may span lines).
struct CsvRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 rows of UTF-8 text: comma separated, "quoted" fields with "" escapes and embedded
// commas/newlines, CRLF or LF line ends, a final line with or without a line end. Empty lines
// (only whitespace) are skipped. Fields are returned as written (no trimming). Errors are
// kInvalidArgument naming the 1-based line: an unterminated quote, a quote inside an unquoted
// field, characters after a closing quote, more rows/fields/bytes than the options allow.
Result<std::vector<CsvRow>> ParseCsv(std::string_view utf8, const CsvOptions& options = {});

// Appends one RFC 4180 record (CRLF-terminated): fields holding a comma, quote, CR or LF are
// quoted with "" escapes. Fields that a spreadsheet would run as a formula (starting with =, +,
// -, @ followed by a non-digit) are prefixed with a tab, so an export cannot carry a formula
// into the admin's Excel; numbers such as +8613800000000 or -5 stay as they are.
void AppendCsvRow(std::string& out, const std::vector<std::string>& fields);

}  // namespace corphub::core
