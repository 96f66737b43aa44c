// The directory's import files: the console's member import (ReadImportFile, CSV or XLSX, and
// the department-path and position cells it feeds on), and the batch jobs' WeCom templates
// (ReadUserFile, ReadPartyFile, UserRow). Members read from a file are exported with
// WriteImportFile, as CSV and as XLSX, and must import again as the same members.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "directory/batch_files.hpp"
#include "directory/department.hpp"
#include "directory/import_files.hpp"
#include "fuzz_support.hpp"

namespace {

namespace core = corphub::core;
namespace directory = corphub::directory;
namespace import = corphub::directory::import;
namespace batch = corphub::directory::batch;

constexpr std::size_t kMaxRows = 500;
constexpr std::size_t kMaxRowsChecked = 200;  // rows of a batch file turned into members

using Cells = std::array<std::string, import::kColumnCount>;

bool Trimmed(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  return s.empty() || (!blank(s.front()) && !blank(s.back()));
}

// Cell text both export formats carry whole: UTF-8 without characters XML 1.0 cannot hold, and
// within the CSV reader's field limit.
bool Exportable(const std::string& s) {
  if (s.size() > 4000) return false;
  auto text = core::DecodeText(s);
  if (!text.ok() || text->from != core::TextEncoding::kUtf8) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return s.find("\xEF\xBF\xBE") == std::string::npos && s.find("\xEF\xBF\xBF") == std::string::npos;
}

void CheckCells(const import::ImportRow& row) {
  for (const auto& cell : row.cells) FUZZ_CHECK(Trimmed(cell));
  auto paths =
      import::SplitPaths(row.cells[static_cast<std::size_t>(import::Column::kDepartments)]);
  if (paths.ok()) {
    for (const auto& path : *paths) {
      FUZZ_CHECK(!path.empty());
      for (const auto& segment : path) {
        FUZZ_CHECK(!segment.empty() && Trimmed(segment));
        FUZZ_CHECK(segment.find_first_of("/;") == std::string::npos);
        FUZZ_CHECK(segment.find("\xEF\xBC\x8F") == std::string::npos);  // ／
        FUZZ_CHECK(segment.find("\xEF\xBC\x9B") == std::string::npos);  // ；
      }
    }
  }
  const std::string positions =
      import::NormalisePositions(row.cells[static_cast<std::size_t>(import::Column::kPositions)]);
  FUZZ_CHECK(positions.empty() || (positions.front() != '/' && positions.back() != '/'));
  FUZZ_CHECK(positions.find("//") == std::string::npos);
  FUZZ_CHECK(import::NormalisePositions(positions) == positions);
}

void CheckExport(const import::ImportFile& file, import::FileFormat format,
                 import::Language language) {
  std::vector<Cells> rows;
  for (const auto& row : file.rows) {
    Cells cells = row.cells;
    bool any = false;
    for (auto& cell : cells) {
      if (!Exportable(cell)) cell.clear();
      any = any || !cell.empty();
    }
    if (any) rows.push_back(std::move(cells));  // a row of empty cells is not a member
  }
  auto bytes = import::WriteImportFile(rows, format, language);
  FUZZ_CHECK(bytes.ok());
  auto again = import::ReadImportFile(*bytes, kMaxRows);
  if (rows.empty()) {
    FUZZ_CHECK(!again.ok());
    return;
  }
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->format == format);
  FUZZ_CHECK(again->rows.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) FUZZ_CHECK(again->rows[i].cells == rows[i]);
}

void CheckImportFile(std::string_view bytes) {
  auto file = import::ReadImportFile(bytes, kMaxRows);
  if (!file.ok()) {
    FUZZ_CHECK(file.error().kind == core::ErrorKind::kImportFileInvalid);
    return;
  }
  FUZZ_CHECK(!file->rows.empty() && file->rows.size() <= kMaxRows);
  FUZZ_CHECK(file->present[static_cast<std::size_t>(import::Column::kAccount)]);
  FUZZ_CHECK(file->present[static_cast<std::size_t>(import::Column::kName)]);
  std::size_t last_line = 0;
  for (const auto& row : file->rows) {
    FUZZ_CHECK(row.line > last_line);
    last_line = row.line;
    CheckCells(row);
  }
  CheckExport(*file, import::FileFormat::kCsv, import::Language::kZh);
  CheckExport(*file, import::FileFormat::kXlsx, import::Language::kEn);
}

std::vector<directory::Department> Departments() {
  std::vector<directory::Department> all(4);
  all[0].id = 1;
  all[0].name = "总部";
  all[1].id = 2;
  all[1].parent_id = 1;
  all[1].name = "研发部";
  all[2].id = 3;
  all[2].parent_id = 2;
  all[2].name = "后端组";
  all[3].id = 4;
  all[3].parent_id = 1;
  all[3].name = "Sales";
  return all;
}

void CheckBatchFiles(const std::string& bytes) {
  static const std::vector<directory::Department> departments = Departments();
  auto users = batch::ReadUserFile(bytes);
  if (users.ok()) {
    FUZZ_CHECK(users->columns.count(batch::Col::kUserid) &&
               users->columns.count(batch::Col::kName));
    std::size_t n = 0;
    for (const auto& row : users->rows) {
      if (++n > kMaxRowsChecked) break;
      for (bool replace : {false, true}) {
        auto member = batch::UserRow(*users, row, replace, departments);
        if (member.ok()) FUZZ_CHECK(Trimmed(member->userid));
      }
    }
  } else {
    FUZZ_CHECK(users.error().kind == core::ErrorKind::kBatchFileInvalid);
  }
  auto parties = batch::ReadPartyFile(bytes);
  if (parties.ok()) {
    std::size_t last_line = 0;
    for (const auto& p : *parties) {
      FUZZ_CHECK(p.line > last_line && Trimmed(p.name));
      last_line = p.line;
    }
  } else {
    FUZZ_CHECK(parties.error().kind == core::ErrorKind::kBatchFileInvalid);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = corphub::fuzz::AsText(data, size);
  CheckImportFile(input);
  CheckBatchFiles(std::string(input));
  return 0;
}
