// CSV import text: DecodeText (UTF-8 or GB18030), then ParseCsv under small limits, then the
// rows written back with AppendCsvRow must read back as the same rows (with the documented
// tab in front of a would-be formula).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "fuzz_support.hpp"

namespace {

namespace core = corphub::core;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool Blank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].find_first_not_of(" \t") == std::string::npos;
}

// A written field `f` read back as `got`. A field starting with = + - @ and then a non-digit
// (or nothing) must come back with a tab in front; +5 and -5 as they are; =5 and @5 either way.
bool ReadBackAsWritten(const std::string& f, const std::string& got) {
  if (f.empty() || (f[0] != '=' && f[0] != '+' && f[0] != '-' && f[0] != '@')) return got == f;
  const bool digit_next = f.size() > 1 && IsDigit(f[1]);
  if (!digit_next) return got == "\t" + f;
  if (f[0] == '+' || f[0] == '-') return got == f;
  return got == f || got == "\t" + f;
}

void CheckRows(std::string_view text, const std::vector<core::CsvRow>& rows,
               const core::CsvOptions& options) {
  FUZZ_CHECK(rows.size() <= options.max_rows);
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  std::size_t last_line = 0;
  for (const auto& row : rows) {
    FUZZ_CHECK(row.line > last_line && row.line <= lines);
    last_line = row.line;
    FUZZ_CHECK(!row.fields.empty() && row.fields.size() <= options.max_fields);
    for (const auto& f : row.fields) FUZZ_CHECK(f.size() <= options.max_field_bytes);
  }
}

void CheckWriteBack(const std::vector<core::CsvRow>& rows, const core::CsvOptions& options) {
  std::string out;
  std::vector<const core::CsvRow*> expected;
  for (const auto& row : rows) {
    core::AppendCsvRow(out, row.fields);
    if (!Blank(row.fields)) expected.push_back(&row);  // a blank line is skipped on reading
  }
  // ParseCsv drops a byte order mark at the start of the text, even one that was data.
  if (out.starts_with(kBom)) return;
  core::CsvOptions wider = options;
  wider.max_field_bytes += 1;  // room for the formula tab
  auto again = core::ParseCsv(out, wider);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->size() == expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    const auto& want = expected[r]->fields;
    const auto& got = (*again)[r].fields;
    FUZZ_CHECK(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) FUZZ_CHECK(ReadBackAsWritten(want[i], got[i]));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = corphub::fuzz::AsText(data, size);
  auto decoded = core::DecodeText(input);
  if (input.find('\0') != std::string_view::npos) FUZZ_CHECK(!decoded.ok());
  if (decoded.ok() && decoded->from == core::TextEncoding::kUtf8) {
    // UTF-8 is taken as is, without its byte order mark.
    FUZZ_CHECK(decoded->utf8 == (input.starts_with(kBom) ? input.substr(kBom.size()) : input));
  }
  core::CsvOptions options;
  options.max_rows = 500;
  options.max_fields = 32;
  options.max_field_bytes = 512;
  const std::string_view text = decoded.ok() ? std::string_view(decoded->utf8) : input;
  auto rows = core::ParseCsv(text, options);
  if (!rows.ok()) {
    FUZZ_CHECK(rows.error().kind == core::ErrorKind::kInvalidArgument);
    FUZZ_CHECK(rows.error().message.starts_with("line "));
    return 0;
  }
  CheckRows(text, *rows, options);
  CheckWriteBack(*rows, options);
  return 0;
}
