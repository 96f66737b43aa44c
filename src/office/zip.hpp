#pragma once
// ZIP archives (PKWARE APPNOTE), in memory: stored (0) and deflate (8) entries, no ZIP64, no
// encryption. Enough for Office Open XML files; written from the format description.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::office {

struct ZipEntry {
  std::string name;
  std::string data;
};

// One file entry of an opened archive, as its central directory describes it.
struct ZipEntryInfo {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflate
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;  // as the header claims; never trusted for bounds
  std::size_t data_offset = 0;          // where the entry's (compressed) bytes start
};

// An archive's index, read from its central directory; entries are inflated one at a time and on
// demand. Holds a view of the bytes, which must outlive it. Directory entries ("dir/") are left
// out. Open refuses (kInvalidArgument): bytes that are not a ZIP file, a damaged or truncated
// archive, more than `max_entries` entries, names with ".." segments or absolute paths (also
// "C:..." and "\..."), duplicate names, encrypted entries and compression methods other than 0
// and 8.
class ZipArchive {
 public:
  static core::Result<ZipArchive> Open(std::string_view bytes, std::size_t max_entries = 10000);

  const std::vector<ZipEntryInfo>& entries() const { return entries_; }
  // The entry named `name` (exact match first, then ASCII case-insensitive, as OPC part names
  // are compared), or nullptr.
  const ZipEntryInfo* Find(std::string_view name) const;
  // The entry's bytes, CRC-32 checked. Inflating stops with an error as soon as the output passes
  // `max_bytes`, whatever the header says (`over_limit`, when given, then tells it was that).
  core::Result<std::string> Extract(const ZipEntryInfo& entry, std::size_t max_bytes,
                                    bool* over_limit = nullptr) const;

 private:
  std::string_view bytes_;
  std::vector<ZipEntryInfo> entries_;
};

// Reads every file entry. Bounds: at most `max_entries` entries and `max_total_bytes`
// uncompressed in all (counted while inflating). CRC-32 checked. Errors are kInvalidArgument with
// a message a person can read.
core::Result<std::vector<ZipEntry>> ReadZip(std::string_view bytes, std::size_t max_entries = 10000,
                                            std::size_t max_total_bytes = 256u << 20);

// Writes a ZIP with deflated entries, in the given order (names in UTF-8). Refuses
// (kInvalidArgument) empty names and names ReadZip would refuse, duplicate names, more than 65535
// entries, and anything past ZIP's 4 GiB limits (no ZIP64).
core::Result<std::string> WriteZip(const std::vector<ZipEntry>& entries);

// The bytes start with a ZIP local file header ("PK\x03\x04").
bool LooksLikeZip(std::string_view bytes);

}  // namespace corphub::office
