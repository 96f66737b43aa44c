#include "office/zip.hpp"

#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <limits>
#include <unordered_set>
#include <utility>

namespace corphub::office {
namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kEndSize = 22;
constexpr std::uint16_t kMethodStored = 0;
constexpr std::uint16_t kMethodDeflate = 8;
constexpr std::uint16_t kFlagEncrypted = 0x0001;
constexpr std::uint16_t kFlagUtf8 = 0x0800;
constexpr std::uint32_t kMax32 = 0xFFFFFFFFu;  // also ZIP64's "look in the extra field" marker
// On spreadsheet XML level 2 is as fast as level 1 and 14% smaller; the default (6) is 16%
// smaller still but three to four times slower (100,000 members: 4.3 MB in 0.2 s, 3.6 MB in 0.7 s).
constexpr int kDeflateLevel = 2;

core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorKind::kInvalidArgument, std::move(message));
}

std::string Quoted(std::string_view name) {
  std::string out = "\"";
  out.append(name);
  out += '"';
  return out;
}

std::uint16_t Get16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    (static_cast<unsigned char>(b[at + 1]) << 8));
}

std::uint32_t Get32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(Get16(b, at)) |
         (static_cast<std::uint32_t>(Get16(b, at + 2)) << 16);
}

void Put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void Put32(std::string& out, std::uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

// Why a name may not be written or read, or empty when it is fine. Absolute paths and ".."
// segments would let an entry escape the directory it is unpacked into ("zip slip").
std::string NameProblem(std::string_view name) {
  if (name.empty()) return "an entry has an empty name";
  if (name.find('\0') != std::string_view::npos) return "an entry name holds a NUL byte";
  const bool drive = name.size() >= 2 && name[1] == ':' &&
                     ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'));
  if (name[0] == '/' || name[0] == '\\' || drive) {
    return "entry name " + Quoted(name) + " is an absolute path";
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") {
      return "entry name " + Quoted(name) + " has a \"..\" segment";
    }
    start = end + 1;
  }
  return {};
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::uint32_t Crc32(std::string_view data) {
  return static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

// a + b, saturated at SIZE_MAX.
std::size_t SatAdd(std::size_t a, std::size_t b) {
  return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max()
                                                         : a + b;
}

uInt ChunkOf(std::size_t n) { return static_cast<uInt>(std::min<std::size_t>(n, UINT_MAX)); }

class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&zs_, -MAX_WBITS) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& stream() { return zs_; }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

std::string TooLarge(std::string_view name, std::size_t max_bytes) {
  return "ZIP entry " + Quoted(name) + " expands past the limit of " + std::to_string(max_bytes) +
         " bytes";
}

// Raw deflate data, inflated with the output counted against `max_bytes`.
core::Result<std::string> Inflate(std::string_view in, const ZipEntryInfo& entry,
                                  std::size_t max_bytes, bool& over_limit) {
  Inflater inflater;
  if (!inflater.ok()) {
    return core::MakeError(core::ErrorKind::kInternal, "zlib: inflateInit2 failed");
  }
  z_stream& zs = inflater.stream();
  const std::size_t cap = SatAdd(max_bytes, 1);  // one byte past the limit shows it was passed
  // The header's size is only a hint for the first buffer, never more than 16 MiB of it.
  std::size_t initial = static_cast<std::size_t>(
      std::min<std::uint64_t>(entry.uncompressed_size, std::size_t{16} << 20));
  std::string out(std::min(std::max<std::size_t>(initial, 4096), cap), '\0');
  std::size_t produced = 0;
  const auto* next = reinterpret_cast<const Bytef*>(in.data());
  std::size_t in_left = in.size();
  while (true) {
    if (zs.avail_in == 0 && in_left > 0) {
      zs.next_in = next;
      zs.avail_in = ChunkOf(in_left);
      next += zs.avail_in;
      in_left -= zs.avail_in;
    }
    if (produced == out.size()) {
      if (out.size() >= cap) {
        over_limit = true;
        return Invalid(TooLarge(entry.name, max_bytes));
      }
      out.resize(std::min(std::max(out.size(), std::size_t{4096}) * 2, cap));
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = ChunkOf(out.size() - produced);
    const uInt room = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (produced > max_bytes) {
      over_limit = true;
      return Invalid(TooLarge(entry.name, max_bytes));
    }
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) {
      return Invalid("ZIP entry " + Quoted(entry.name) + " is cut short (the file is truncated)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Invalid("ZIP entry " + Quoted(entry.name) + " has damaged deflate data");
    }
  }
  out.resize(produced);
  return out;
}

core::Result<std::string> Deflate(std::string_view in) {
  z_stream zs{};
  if (deflateInit2(&zs, kDeflateLevel, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return core::MakeError(core::ErrorKind::kInternal, "zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  const auto* next = reinterpret_cast<const Bytef*>(in.data());
  std::size_t in_left = in.size();
  std::size_t produced = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.avail_in == 0 && in_left > 0) {
      zs.next_in = next;
      zs.avail_in = ChunkOf(in_left);
      next += zs.avail_in;
      in_left -= zs.avail_in;
    }
    if (produced == out.size()) out.resize(out.size() * 2 + 64);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = ChunkOf(out.size() - produced);
    const uInt room = zs.avail_out;
    rc = deflate(&zs, in_left == 0 ? Z_FINISH : Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&zs);
      return core::MakeError(core::ErrorKind::kInternal, "zlib: deflate failed");
    }
  }
  deflateEnd(&zs);
  out.resize(produced);
  return out;
}

// The end of central directory record: searched backwards (a comment of up to 64 KiB may follow).
struct EndRecord {
  std::size_t at = 0;
  std::size_t entries = 0;
  std::size_t cd_size = 0;
  std::size_t cd_offset = 0;
};

core::Result<EndRecord> FindEnd(std::string_view bytes) {
  const bool zip_start =
      bytes.size() >= 4 && (Get32(bytes, 0) == kLocalSig || Get32(bytes, 0) == kEndSig);
  bool zip64 = false;
  if (bytes.size() >= kEndSize) {
    const std::size_t lowest =
        bytes.size() > kEndSize + 0xFFFF ? bytes.size() - kEndSize - 0xFFFF : 0;
    for (std::size_t at = bytes.size() - kEndSize + 1; at-- > lowest;) {
      if (Get32(bytes, at) != kEndSig) continue;
      EndRecord end;
      end.at = at;
      const std::uint16_t disk = Get16(bytes, at + 4);
      const std::uint16_t cd_disk = Get16(bytes, at + 6);
      const std::uint16_t here = Get16(bytes, at + 8);
      end.entries = Get16(bytes, at + 10);
      const std::uint32_t cd_size = Get32(bytes, at + 12);
      const std::uint32_t cd_offset = Get32(bytes, at + 16);
      if (cd_size == kMax32 || cd_offset == kMax32 || end.entries == 0xFFFF) {
        zip64 = true;
        continue;
      }
      end.cd_size = cd_size;
      end.cd_offset = cd_offset;
      if (end.cd_offset > at || end.cd_size > at - end.cd_offset) continue;  // not the real one
      if (disk != 0 || cd_disk != 0 || here != end.entries) {
        return Invalid("split (multi-part) ZIP archives are not supported");
      }
      return end;
    }
  }
  if (zip64) return Invalid("ZIP64 archives are not supported");
  if (!zip_start) return Invalid("not a ZIP file");
  return Invalid("the ZIP file is truncated or damaged (its central directory is missing)");
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) { return bytes.substr(0, 4) == "PK\x03\x04"; }

core::Result<ZipArchive> ZipArchive::Open(std::string_view bytes, std::size_t max_entries) {
  auto end = FindEnd(bytes);
  if (!end.ok()) return std::move(end).error();
  if (end->entries > max_entries) {
    return Invalid("the ZIP archive has " + std::to_string(end->entries) + " entries; at most " +
                   std::to_string(max_entries) + " are allowed");
  }
  const std::string_view damaged = "the ZIP file is damaged: ";
  ZipArchive archive;
  archive.bytes_ = bytes;
  std::unordered_set<std::string> names;
  std::size_t at = end->cd_offset;
  const std::size_t cd_end = end->cd_offset + end->cd_size;
  for (std::size_t i = 0; i < end->entries; ++i) {
    if (cd_end - at < kCentralSize || Get32(bytes, at) != kCentralSig) {
      return Invalid(std::string(damaged) + "bad central directory record " + std::to_string(i));
    }
    const std::uint16_t flags = Get16(bytes, at + 8);
    const std::uint16_t method = Get16(bytes, at + 10);
    const std::size_t name_len = Get16(bytes, at + 28);
    const std::size_t extra_len = Get16(bytes, at + 30);
    const std::size_t comment_len = Get16(bytes, at + 32);
    const std::size_t local = Get32(bytes, at + 42);
    const std::size_t record = kCentralSize + name_len + extra_len + comment_len;
    if (cd_end - at < record) {
      return Invalid(std::string(damaged) + "central directory record " + std::to_string(i) +
                     " runs past its end");
    }
    ZipEntryInfo info;
    info.name.assign(bytes.substr(at + kCentralSize, name_len));
    info.method = method;
    info.crc32 = Get32(bytes, at + 16);
    info.compressed_size = Get32(bytes, at + 20);
    info.uncompressed_size = Get32(bytes, at + 24);
    at += record;

    if (std::string problem = NameProblem(info.name); !problem.empty()) return Invalid(problem);
    if (info.compressed_size == kMax32 || info.uncompressed_size == kMax32 || local == kMax32) {
      return Invalid("ZIP64 archives are not supported");
    }
    if (!names.insert(info.name).second) {
      return Invalid("the ZIP archive holds " + Quoted(info.name) + " twice");
    }
    if (info.name.back() == '/' || info.name.back() == '\\') continue;  // a directory
    if (flags & kFlagEncrypted) {
      return Invalid("ZIP entry " + Quoted(info.name) + " is encrypted");
    }
    if (method != kMethodStored && method != kMethodDeflate) {
      return Invalid("ZIP entry " + Quoted(info.name) + " uses compression method " +
                     std::to_string(method) + "; only stored (0) and deflate (8) are supported");
    }
    // The local header repeats the name and may carry a different extra field; the sizes and CRC
    // come from the central directory (the local copy may be zero when a data descriptor follows).
    if (local > bytes.size() || bytes.size() - local < kLocalSize ||
        Get32(bytes, local) != kLocalSig) {
      return Invalid(std::string(damaged) + "the local header of " + Quoted(info.name) +
                     " is missing");
    }
    const std::size_t data =
        local + kLocalSize + Get16(bytes, local + 26) + Get16(bytes, local + 28);
    if (data > bytes.size() || bytes.size() - data < info.compressed_size) {
      return Invalid("the ZIP file is truncated: the data of " + Quoted(info.name) +
                     " runs past its end");
    }
    info.data_offset = data;
    archive.entries_.push_back(std::move(info));
  }
  return archive;
}

const ZipEntryInfo* ZipArchive::Find(std::string_view name) const {
  for (const ZipEntryInfo& e : entries_) {
    if (e.name == name) return &e;
  }
  const std::string wanted = Lowered(name);
  for (const ZipEntryInfo& e : entries_) {
    if (e.name.size() == wanted.size() && Lowered(e.name) == wanted) return &e;
  }
  return nullptr;
}

namespace {

// The entry's bytes; `over_limit` tells the caller that `max_bytes` was the reason for an error.
core::Result<std::string> ExtractEntry(std::string_view bytes, const ZipEntryInfo& entry,
                                       std::size_t max_bytes, bool& over_limit) {
  over_limit = false;
  const std::string_view in =
      bytes.substr(entry.data_offset, static_cast<std::size_t>(entry.compressed_size));
  std::string out;
  if (entry.method == kMethodStored) {
    if (in.size() > max_bytes) {
      over_limit = true;
      return Invalid(TooLarge(entry.name, max_bytes));
    }
    out.assign(in);
  } else {
    auto inflated = Inflate(in, entry, max_bytes, over_limit);
    if (!inflated.ok()) return std::move(inflated).error();
    out = std::move(inflated).value();
  }
  if (out.size() != entry.uncompressed_size) {
    return Invalid("ZIP entry " + Quoted(entry.name) + " is " + std::to_string(out.size()) +
                   " bytes long, but its header says " + std::to_string(entry.uncompressed_size) +
                   " (the file is damaged)");
  }
  if (Crc32(out) != entry.crc32) {
    return Invalid("ZIP entry " + Quoted(entry.name) +
                   " fails its CRC-32 check (the file is damaged)");
  }
  return out;
}

}  // namespace

core::Result<std::string> ZipArchive::Extract(const ZipEntryInfo& entry, std::size_t max_bytes,
                                              bool* over_limit) const {
  bool over = false;
  auto out = ExtractEntry(bytes_, entry, max_bytes, over);
  if (over_limit != nullptr) *over_limit = over;
  return out;
}

core::Result<std::vector<ZipEntry>> ReadZip(std::string_view bytes, std::size_t max_entries,
                                            std::size_t max_total_bytes) {
  auto archive = ZipArchive::Open(bytes, max_entries);
  if (!archive.ok()) return std::move(archive).error();
  std::vector<ZipEntry> out;
  out.reserve(archive->entries().size());
  std::size_t left = max_total_bytes;
  for (const ZipEntryInfo& info : archive->entries()) {
    bool over_limit = false;
    auto data = ExtractEntry(bytes, info, left, over_limit);
    if (over_limit) {
      return Invalid("the ZIP archive expands to more than " + std::to_string(max_total_bytes) +
                     " bytes (stopped in " + Quoted(info.name) + ")");
    }
    if (!data.ok()) return std::move(data).error();
    left -= data->size();
    out.push_back(ZipEntry{info.name, std::move(data).value()});
  }
  return out;
}

core::Result<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  if (entries.size() > 0xFFFF) {
    return Invalid("a ZIP archive holds at most 65535 entries (ZIP64 is not supported)");
  }
  struct Central {
    std::uint32_t offset;
    std::uint32_t crc;
    std::uint32_t compressed;
    std::uint32_t size;
    std::uint16_t flags;
  };
  std::vector<Central> central;
  central.reserve(entries.size());
  std::unordered_set<std::string_view> names;
  std::string out;
  const std::string_view too_big = "the ZIP archive would pass 4 GiB (ZIP64 is not supported)";
  for (const ZipEntry& entry : entries) {
    if (std::string problem = NameProblem(entry.name); !problem.empty()) return Invalid(problem);
    if (entry.name.size() > 0xFFFF) return Invalid("entry name longer than 65535 bytes");
    if (!names.insert(entry.name).second) {
      return Invalid("the ZIP archive would hold " + Quoted(entry.name) + " twice");
    }
    if (entry.data.size() >= kMax32) return Invalid(std::string(too_big));
    auto packed = Deflate(entry.data);
    if (!packed.ok()) return std::move(packed).error();
    if (packed->size() >= kMax32 || out.size() >= kMax32) return Invalid(std::string(too_big));
    const bool ascii = std::all_of(entry.name.begin(), entry.name.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    Central c{static_cast<std::uint32_t>(out.size()), Crc32(entry.data),
              static_cast<std::uint32_t>(packed->size()),
              static_cast<std::uint32_t>(entry.data.size()),
              static_cast<std::uint16_t>(ascii ? 0 : kFlagUtf8)};
    out.reserve(out.size() + kLocalSize + entry.name.size() + packed->size());
    Put32(out, kLocalSig);
    Put16(out, 20);  // version needed: 2.0 (deflate)
    Put16(out, c.flags);
    Put16(out, kMethodDeflate);
    Put16(out, 0);       // time 00:00:00
    Put16(out, 0x0021);  // date 1980-01-01: fixed, so the same input gives the same bytes
    Put32(out, c.crc);
    Put32(out, c.compressed);
    Put32(out, c.size);
    Put16(out, static_cast<std::uint32_t>(entry.name.size()));
    Put16(out, 0);  // extra field length
    out += entry.name;
    out += *packed;
    central.push_back(c);
  }
  const std::size_t cd_offset = out.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Central& c = central[i];
    Put32(out, kCentralSig);
    Put16(out, 20);  // made by: MS-DOS, 2.0
    Put16(out, 20);  // version needed
    Put16(out, c.flags);
    Put16(out, kMethodDeflate);
    Put16(out, 0);
    Put16(out, 0x0021);
    Put32(out, c.crc);
    Put32(out, c.compressed);
    Put32(out, c.size);
    Put16(out, static_cast<std::uint32_t>(entries[i].name.size()));
    Put16(out, 0);  // extra
    Put16(out, 0);  // comment
    Put16(out, 0);  // disk
    Put16(out, 0);  // internal attributes
    Put32(out, 0);  // external attributes
    Put32(out, c.offset);
    out += entries[i].name;
  }
  const std::size_t cd_size = out.size() - cd_offset;
  if (cd_offset >= kMax32 || cd_size >= kMax32 || out.size() + kEndSize >= kMax32) {
    return Invalid(std::string(too_big));
  }
  Put32(out, kEndSig);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put32(out, static_cast<std::uint32_t>(cd_size));
  Put32(out, static_cast<std::uint32_t>(cd_offset));
  Put16(out, 0);  // comment length
  return out;
}

}  // namespace corphub::office
