#pragma once
// The console's import and export files: the seed's columns (account, name, IM id, mobile,
// e-mail, departments as paths, positions) in CSV or XLSX, with Chinese or English headers.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::directory::import {

enum class Column { kAccount, kName, kImId, kMobile, kEmail, kDepartments, kPositions };
inline constexpr std::size_t kColumnCount = 7;

enum class FileFormat { kCsv, kXlsx };
enum class Language { kZh, kEn };

struct ImportRow {
  std::size_t line = 0;                         // 1-based line (CSV) or row (XLSX) in the file
  std::array<std::string, kColumnCount> cells;  // trimmed; "" when the column is absent
};

struct ImportFile {
  FileFormat format = FileFormat::kCsv;
  std::array<bool, kColumnCount> present{};  // which columns the header names
  std::vector<ImportRow> rows;               // rows with any content
};

// The header text of a column.
std::string_view HeaderOf(Column column, Language language);
// Which column a header cell names (either language, ignoring case, spaces and a '*' mark).
std::optional<Column> ColumnOf(std::string_view header);

// Reads a CSV (UTF-8 or GB18030) or XLSX file. kImportFileInvalid, saying why, for a file that
// is neither, has no header row, lacks 账号/Account or 姓名/Name, names a column twice, or has
// no rows; and for more than `max_rows` rows.
core::Result<ImportFile> ReadImportFile(std::string_view bytes, std::size_t max_rows = 200000);

// A file of `rows` (cells in Column order) under the header row.
core::Result<std::string> WriteImportFile(
    const std::vector<std::array<std::string, kColumnCount>>& rows, FileFormat format,
    Language language);

// Department paths as the Departments column holds them: "A/B/C;D/E" (full-width ；and ／
// too) -> {{"A","B","C"},{"D","E"}}. kInvalidArgument for an empty segment ("A//B").
core::Result<std::vector<std::vector<std::string>>> SplitPaths(std::string_view cell);
// Positions: "经理/主管" -> "经理/主管" with each part trimmed and empty parts dropped.
std::string NormalisePositions(std::string_view cell);

}  // namespace corphub::directory::import
