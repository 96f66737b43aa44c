#pragma once
// XLSX (Office Open XML SpreadsheetML) workbooks as rows of cell text: reading the first
// worksheet of what Excel, WPS, LibreOffice or openpyxl write, and writing a one-sheet workbook.
// For the admin console's member import and export.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "office/zip.hpp"

namespace corphub::office {

using Row = std::vector<std::string>;

// Cells (with padding for skipped cells) one sheet may hold in memory, whatever `max_rows` says.
inline constexpr std::size_t kMaxXlsxCells = 8'000'000;

// The workbook's first worksheet: the first <sheet> of xl/workbook.xml (the workbook found through
// _rels/.rels) that its relationships make a worksheet, else xl/worksheets/sheet1.xml. Cells hold:
// shared strings (rich text runs joined, phonetic runs left out), inline strings, formula results
// (the cached value), numbers as NumberCellText gives them, booleans as TRUE / FALSE, errors as
// written (#N/A). Cell and row references place each cell, so skipped cells and rows come out
// as empty strings and empty rows; trailing empty cells and rows are left out. Text is UTF-8
// (entities decoded, invalid bytes as U+FFFD, Excel's _xHHHH_ escapes undone). Number formats
// (dates) are not applied: a date comes out as its serial number; a formula without a cached
// value comes out empty.
// Errors (kInvalidArgument): "not an XLSX workbook" (with ": reason" when the bytes are a ZIP, or
// an old .xls / password-protected workbook) for other files; a damaged part of the archive; a
// value in a row numbered past `max_rows` (empty rows before it count: the result would have that
// many rows); more than kMaxXlsxCells cells; more than 256 MiB of XML.
core::Result<std::vector<Row>> ReadXlsx(std::string_view bytes, std::size_t max_rows = 200000);

// A minimal workbook with one sheet named `sheet_name` holding `rows`, every cell as text (shared
// strings, "@" number format) so that mobiles and userids keep their digits; the first row is
// bold. Empty strings leave the cell out. Text is escaped as XML needs (characters XML 1.0 does
// not allow are dropped). Errors (kInvalidArgument): a sheet name Excel refuses (empty, over 31
// characters, one of : \ / ? * [ ], starting or ending with '), more than 1,048,576 rows or
// 16,384 columns, a cell over Excel's 32,767 characters.
core::Result<std::string> WriteXlsx(const std::vector<Row>& rows,
                                    std::string_view sheet_name = "Sheet1");

// How a numeric cell's value (<v>, e.g. "42", "1.3800138E10", "0.30000000000000004") reads:
// rounded to 15 significant digits as Excel shows numbers, integers without ".0" or exponent
// ("13800138000"), others in plain decimals ("0.3", "-0.25"), with an exponent only when very
// large or small ("1E+30", "1.5E-12"). Text that is not a number comes back trimmed, unchanged.
std::string NumberCellText(std::string_view value);

}  // namespace corphub::office
