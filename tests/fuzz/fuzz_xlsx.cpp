// XLSX import: a ZIP input goes to ReadXlsx, ZipArchive and ReadZip as it is. Anything else is
// taken as the workbook's XML parts separated by NUL bytes (sheet1.xml, sharedStrings.xml,
// workbook.xml, workbook.xml.rels, _rels/.rels; fewer leave the rest out), zipped with WriteZip
// and read with ReadXlsx, so that mutations reach the XML rather than deflate streams and CRCs.
// Rows a workbook gave are written with WriteXlsx and must read back the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "fuzz_support.hpp"
#include "office/xlsx.hpp"
#include "office/zip.hpp"

namespace {

namespace office = corphub::office;
namespace core = corphub::core;

constexpr std::size_t kMaxRows = 2000;
constexpr std::size_t kMaxBytes = 4u << 20;  // inflated, per entry and in all
constexpr std::size_t kMaxRoundTripCells = 4000;
constexpr std::size_t kMaxRoundTripCellBytes = 4000;

constexpr std::string_view kPartNames[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                           "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                           "_rels/.rels"};

void CheckArchive(std::string_view bytes) {
  auto archive = office::ZipArchive::Open(bytes, 64);
  if (archive.ok()) {
    FUZZ_CHECK(archive->entries().size() <= 64);
    for (const auto& entry : archive->entries()) {
      FUZZ_CHECK(archive->Find(entry.name) != nullptr);
      FUZZ_CHECK(entry.method == 0 || entry.method == 8);
      bool over = false;
      auto data = archive->Extract(entry, 1u << 20, &over);
      if (data.ok()) FUZZ_CHECK(data->size() <= (1u << 20) && !over);
    }
  }
  auto all = office::ReadZip(bytes, 64, kMaxBytes);
  if (all.ok()) {
    std::size_t total = 0;
    for (const auto& e : *all) total += e.data.size();
    FUZZ_CHECK(all->size() <= 64 && total <= kMaxBytes);
    // What was read, written again, reads back the same.
    auto rezipped = office::WriteZip(*all);
    FUZZ_CHECK(rezipped.ok());
    auto again = office::ReadZip(*rezipped, 64, kMaxBytes);
    FUZZ_CHECK(again.ok() && again->size() == all->size());
    for (std::size_t i = 0; i < all->size(); ++i) {
      FUZZ_CHECK((*again)[i].name == (*all)[i].name && (*again)[i].data == (*all)[i].data);
    }
  }
}

// Cell text WriteXlsx keeps whole: UTF-8 without the characters XML 1.0 cannot hold, and short.
bool Writable(const std::string& s) {
  if (s.size() > kMaxRoundTripCellBytes) return false;
  auto text = core::DecodeText(s);
  if (!text.ok() || text->from != core::TextEncoding::kUtf8) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return s.find("\xEF\xBF\xBE") == std::string::npos && s.find("\xEF\xBF\xBF") == std::string::npos;
}

void CheckRows(const std::vector<office::Row>& rows) {
  FUZZ_CHECK(rows.size() <= kMaxRows);
  if (!rows.empty()) {  // trailing empty rows and cells are left out
    FUZZ_CHECK(!rows.back().empty());
  }
  std::size_t cells = 0;
  for (const auto& row : rows) {
    if (!row.empty()) FUZZ_CHECK(!row.back().empty());
    cells += row.size();
  }
  FUZZ_CHECK(cells <= office::kMaxXlsxCells);
  if (cells > kMaxRoundTripCells) return;

  std::vector<office::Row> want = rows;
  for (auto& row : want) {
    for (auto& cell : row) {
      if (!Writable(cell)) cell.clear();
    }
    while (!row.empty() && row.back().empty()) row.pop_back();
  }
  while (!want.empty() && want.back().empty()) want.pop_back();
  auto written = office::WriteXlsx(want);
  FUZZ_CHECK(written.ok());
  auto again = office::ReadXlsx(*written, kMaxRows);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == want);
}

void CheckWorkbook(std::string_view bytes) {
  auto rows = office::ReadXlsx(bytes, kMaxRows);
  if (!rows.ok()) {
    FUZZ_CHECK(rows.error().kind == core::ErrorKind::kInvalidArgument);
    return;
  }
  CheckRows(*rows);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = corphub::fuzz::AsText(data, size);
  if (office::LooksLikeZip(input)) {
    CheckArchive(input);
    CheckWorkbook(input);
    return 0;
  }
  const auto parts = corphub::fuzz::Split(input, '\0');
  std::vector<office::ZipEntry> entries;
  for (std::size_t i = 0; i < parts.size() && i < std::size(kPartNames); ++i) {
    entries.push_back({std::string(kPartNames[i]), std::string(parts[i])});
  }
  auto zipped = office::WriteZip(entries);
  FUZZ_CHECK(zipped.ok());
  CheckWorkbook(*zipped);
  for (const auto& part : parts) (void)office::NumberCellText(part.substr(0, 64));
  return 0;
}
