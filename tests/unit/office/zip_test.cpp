#include "office/zip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace corphub::office {
namespace test_support {

namespace {

void Put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}

void Put32(std::string& out, std::uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

}  // namespace

// A ZIP with *stored* entries, written byte by byte here rather than by WriteZip, so that the
// reader is checked against a second writer. Names are taken as given (even "../x"). With
// `data_descriptor`, the local headers say 0 for CRC and sizes and a data descriptor follows each
// entry's data, as streaming writers do. Also used by xlsx_test.cpp.
std::string StoredZip(const std::vector<ZipEntry>& entries, bool data_descriptor) {
  std::string out;
  std::string central;
  for (const ZipEntry& e : entries) {
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    const auto size = static_cast<std::uint32_t>(e.data.size());
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t flags = data_descriptor ? 0x0008 : 0;
    Put32(out, 0x04034b50);
    Put16(out, 10);
    Put16(out, flags);
    Put16(out, 0);  // stored
    Put16(out, 0);
    Put16(out, 0x21);
    Put32(out, data_descriptor ? 0 : crc);
    Put32(out, data_descriptor ? 0 : size);
    Put32(out, data_descriptor ? 0 : size);
    Put16(out, static_cast<std::uint32_t>(e.name.size()));
    Put16(out, 4);  // an extra field the reader must step over
    out += e.name;
    out += std::string("\xFE\xCA\x00\x00", 4);
    out += e.data;
    if (data_descriptor) {
      Put32(out, 0x08074b50);
      Put32(out, crc);
      Put32(out, size);
      Put32(out, size);
    }
    Put32(central, 0x02014b50);
    Put16(central, 0x031E);  // made by Unix
    Put16(central, 10);
    Put16(central, flags);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0x21);
    Put32(central, crc);
    Put32(central, size);
    Put32(central, size);
    Put16(central, static_cast<std::uint32_t>(e.name.size()));
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put32(central, 0);
    Put32(central, offset);
    central += e.name;
  }
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put32(out, static_cast<std::uint32_t>(central.size()));
  Put32(out, cd_offset);
  const std::string comment = "a comment, with PK in it";
  Put16(out, static_cast<std::uint32_t>(comment.size()));
  out += comment;
  return out;
}

}  // namespace test_support

namespace {

using test_support::StoredZip;

std::string ZipErrorOf(std::string_view bytes, std::size_t max_entries = 10000,
                       std::size_t max_total = 256u << 20) {
  auto r = ReadZip(bytes, max_entries, max_total);
  if (r.ok()) return "(read)";
  EXPECT_EQ(r.error().kind, core::ErrorKind::kInvalidArgument);
  return r.error().message;
}

std::string RandomBytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(gen() & 0xFF);
  return out;
}

std::string AllBytes() {
  std::string out;
  for (int round = 0; round < 4; ++round) {
    for (int b = 0; b < 256; ++b) out += static_cast<char>(b);
  }
  return out;
}

std::string Write(const std::vector<ZipEntry>& entries) {
  auto zip = WriteZip(entries);
  EXPECT_TRUE(zip.ok()) << zip.error().message;
  return zip.ok() ? *zip : std::string();
}

// The offset of the first central directory record.
std::size_t CentralOffset(const std::string& zip) { return zip.find("PK\x01\x02"); }

void Patch32(std::string& zip, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    zip[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
}

void Patch16(std::string& zip, std::size_t at, std::uint32_t v) {
  zip[at] = static_cast<char>(v & 0xFF);
  zip[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}

void ExpectSame(const std::vector<ZipEntry>& want, const std::vector<ZipEntry>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(want[i].name, got[i].name);
    EXPECT_TRUE(want[i].data == got[i].data) << want[i].name;
  }
}

TEST(ZipTest, RoundTripsSeveralEntries) {
  const std::vector<ZipEntry> entries = {
      {"readme.txt", "hello, zip\n"},
      {"empty", ""},
      {"bin/all-bytes.bin", AllBytes()},
      {"中文/名单.xml", "<a>成员</a>"},
      {"bin/random.bin", RandomBytes(1 << 20, 7)},
      {"zeros", std::string(100000, '\0')},
  };
  const std::string zip = Write(entries);
  EXPECT_TRUE(LooksLikeZip(zip));
  auto read = ReadZip(zip);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ExpectSame(entries, *read);
  // Deflated, really: the zeros take almost nothing.
  EXPECT_LT(zip.size(), (1u << 20) + 20000);
}

TEST(ZipTest, WritesTheSameBytesForTheSameInput) {
  const std::vector<ZipEntry> entries = {{"a", "x"}, {"b", "y"}};
  EXPECT_EQ(Write(entries), Write(entries));
}

TEST(ZipTest, ReadsAnEmptyArchive) {
  const std::string zip = Write({});
  auto read = ReadZip(zip);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_TRUE(read->empty());
}

TEST(ZipTest, ReadsStoredEntriesFromAnotherWriter) {
  const std::vector<ZipEntry> entries = {{"a.txt", "alpha"}, {"b/empty", ""}, {"c", AllBytes()}};
  for (bool descriptor : {false, true}) {
    auto read = ReadZip(StoredZip(entries, descriptor));
    ASSERT_TRUE(read.ok()) << read.error().message;
    ExpectSame(entries, *read);
  }
}

TEST(ZipTest, SkipsDirectoryEntries) {
  auto read = ReadZip(StoredZip({{"dir/", ""}, {"dir/file", "x"}}, false));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].name, "dir/file");
}

TEST(ZipTest, LooksLikeZip) {
  EXPECT_TRUE(LooksLikeZip(std::string("PK\x03\x04", 4)));
  EXPECT_FALSE(LooksLikeZip("PK"));
  EXPECT_FALSE(LooksLikeZip(""));
  EXPECT_FALSE(LooksLikeZip("name,mobile\n"));
}

TEST(ZipTest, RefusesWhatIsNotAZip) {
  EXPECT_EQ(ZipErrorOf(""), "not a ZIP file");
  EXPECT_EQ(ZipErrorOf("name,mobile\nzhangsan,13800138000\n"), "not a ZIP file");
  EXPECT_EQ(ZipErrorOf(RandomBytes(5000, 1)), "not a ZIP file");
}

TEST(ZipTest, DetectsCrcMismatchInStoredData) {
  std::string zip = StoredZip({{"a.txt", "hello world"}}, false);
  zip[zip.find("hello")] = 'j';
  EXPECT_NE(ZipErrorOf(zip).find("fails its CRC-32 check"), std::string::npos) << ZipErrorOf(zip);
}

TEST(ZipTest, DetectsCrcMismatchInDeflatedData) {
  std::string zip = Write({{"a.txt", "hello world, hello world"}});
  const std::size_t cd = CentralOffset(zip);
  ASSERT_NE(cd, std::string::npos);
  Patch32(zip, cd + 16, 0x12345678);  // the central directory's CRC, which the reader uses
  EXPECT_EQ(ZipErrorOf(zip), "ZIP entry \"a.txt\" fails its CRC-32 check (the file is damaged)");
}

TEST(ZipTest, DetectsDamagedDeflateData) {
  std::string zip = Write({{"r.bin", RandomBytes(20000, 3)}, {"t.txt", std::string(5000, 'a')}});
  // Garble the middle of the first entry's compressed bytes.
  for (std::size_t i = 2000; i < 2100; ++i) zip[i] = static_cast<char>(~zip[i]);
  const std::string error = ZipErrorOf(zip);
  EXPECT_NE(error.find("r.bin"), std::string::npos) << error;
}

TEST(ZipTest, RefusesEveryTruncation) {
  const std::string zip =
      Write({{"a.txt", "alpha alpha alpha"}, {"b.bin", RandomBytes(3000, 5)}, {"c", ""}});
  for (std::size_t len = 0; len < zip.size(); ++len) {
    auto read = ReadZip(std::string_view(zip).substr(0, len));
    EXPECT_FALSE(read.ok()) << "prefix of " << len << " bytes was read";
  }
  EXPECT_EQ(ZipErrorOf(zip.substr(0, zip.size() / 2)),
            "the ZIP file is truncated or damaged (its central directory is missing)");
}

TEST(ZipTest, RefusesDataRunningPastTheEnd) {
  // The central directory is intact but claims more data than there is.
  std::string zip = StoredZip({{"a.txt", "hello"}}, false);
  const std::size_t cd = CentralOffset(zip);
  Patch32(zip, cd + 20, 5000);
  Patch32(zip, cd + 24, 5000);
  EXPECT_EQ(ZipErrorOf(zip), "the ZIP file is truncated: the data of \"a.txt\" runs past its end");
}

TEST(ZipTest, StopsAtTheTotalSizeBound) {
  const std::string zip = Write({{"bomb", std::string(10u << 20, '\0')}});
  EXPECT_LT(zip.size(), 100000u);
  EXPECT_EQ(ZipErrorOf(zip, 10000, 1u << 20),
            "the ZIP archive expands to more than 1048576 bytes (stopped in \"bomb\")");

  // The bound is on all entries together.
  const std::string three = Write({{"a", std::string(400000, 'a')},
                                   {"b", std::string(400000, 'b')},
                                   {"c", std::string(400000, 'c')}});
  EXPECT_EQ(ZipErrorOf(three, 10000, 1000000),
            "the ZIP archive expands to more than 1000000 bytes (stopped in \"c\")");
  EXPECT_EQ(ZipErrorOf(three, 10000, 1200000), "(read)");
  EXPECT_EQ(ZipErrorOf(three, 10000, 1199999),
            "the ZIP archive expands to more than 1199999 bytes (stopped in \"c\")");
}

TEST(ZipTest, DoesNotTrustTheHeaderSizes) {
  std::string zip = Write({{"bomb", std::string(10u << 20, 'z')}});
  // Headers that claim 100 bytes: the reader must still stop at its bound while inflating.
  const std::size_t cd = CentralOffset(zip);
  Patch32(zip, 22, 100);
  Patch32(zip, cd + 24, 100);
  EXPECT_EQ(ZipErrorOf(zip, 10000, 1u << 20),
            "the ZIP archive expands to more than 1048576 bytes (stopped in \"bomb\")");
  // Within the bound, the lie is caught as a size mismatch.
  EXPECT_EQ(ZipErrorOf(zip),
            "ZIP entry \"bomb\" is 10485760 bytes long, but its header says 100 (the file is "
            "damaged)");

  // Stored entries are bounded too.
  EXPECT_NE(ZipErrorOf(StoredZip({{"s", std::string(5000, 's')}}, false), 10000, 4999)
                .find("expands to more than 4999 bytes"),
            std::string::npos);
}

TEST(ZipTest, BoundsTheNumberOfEntries) {
  std::vector<ZipEntry> entries;
  for (char c = '0'; c < '5'; ++c) entries.push_back({std::string("f") + c, "x"});
  const std::string zip = Write(entries);
  EXPECT_EQ(ZipErrorOf(zip, 4), "the ZIP archive has 5 entries; at most 4 are allowed");
  EXPECT_EQ(ZipErrorOf(zip, 5), "(read)");
}

TEST(ZipTest, RefusesNamesThatEscapeTheFolder) {
  for (std::string name : {"../evil.txt", "a/../../evil", "a/..", "..", "a\\..\\b", "/etc/passwd",
                           "\\windows\\x", "C:/x", "c:evil"}) {
    const std::string error = ZipErrorOf(StoredZip({{"ok.txt", "1"}, {name, "x"}}, false));
    EXPECT_NE(error.find(name), std::string::npos) << name << ": " << error;
    auto written = WriteZip({{name, "x"}});
    EXPECT_FALSE(written.ok()) << name;
  }
  // Dots that are not a ".." segment are fine.
  const std::vector<ZipEntry> fine = {{"a..b/c..", "1"}, {"..a", "2"}, {"a/.b", "3"}};
  auto read = ReadZip(Write(fine));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ExpectSame(fine, *read);
}

TEST(ZipTest, RefusesEmptyAndDuplicateNames) {
  EXPECT_FALSE(WriteZip({{"", "x"}}).ok());
  auto dup = WriteZip({{"a", "1"}, {"a", "2"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, "the ZIP archive would hold \"a\" twice");
  EXPECT_EQ(ZipErrorOf(StoredZip({{"a", "1"}, {"a", "2"}}, false)),
            "the ZIP archive holds \"a\" twice");
}

TEST(ZipTest, RefusesUnsupportedMethodsAndEncryption) {
  std::string zip = StoredZip({{"a", "1"}}, false);
  Patch16(zip, CentralOffset(zip) + 10, 12);  // bzip2
  EXPECT_EQ(ZipErrorOf(zip),
            "ZIP entry \"a\" uses compression method 12; only stored (0) and deflate (8) are "
            "supported");
  zip = StoredZip({{"a", "1"}}, false);
  Patch16(zip, CentralOffset(zip) + 8, 1);
  EXPECT_EQ(ZipErrorOf(zip), "ZIP entry \"a\" is encrypted");
}

TEST(ZipTest, ArchiveFindsEntriesIgnoringCaseAndExtractsWithABound) {
  const std::string zip =
      Write({{"xl/Workbook.xml", "<workbook/>"}, {"big", std::string(5000, 'b')}});
  auto archive = ZipArchive::Open(zip);
  ASSERT_TRUE(archive.ok()) << archive.error().message;
  const ZipEntryInfo* wb = archive->Find("xl/workbook.xml");
  ASSERT_NE(wb, nullptr);
  EXPECT_EQ(wb->name, "xl/Workbook.xml");
  EXPECT_EQ(archive->Find("xl/missing.xml"), nullptr);
  auto data = archive->Extract(*wb, 100);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(*data, "<workbook/>");

  bool over = false;
  auto big = archive->Extract(*archive->Find("big"), 4999, &over);
  EXPECT_FALSE(big.ok());
  EXPECT_TRUE(over);
  EXPECT_TRUE(archive->Extract(*archive->Find("big"), 5000, &over).ok());
  EXPECT_FALSE(over);
}

TEST(ZipTest, SurvivesRandomDamage) {
  const std::string zip = Write({{"a.txt", std::string(3000, 'a') + "tail"},
                                 {"b.bin", RandomBytes(2000, 9)},
                                 {"c.xml", "<x>hello</x>"}});
  std::mt19937 gen(42);
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string damaged = zip;
    const int flips = 1 + static_cast<int>(gen() % 4);
    for (int f = 0; f < flips; ++f) {
      damaged[gen() % damaged.size()] = static_cast<char>(gen() & 0xFF);
    }
    auto read = ReadZip(damaged, 100, 1u << 20);
    if (!read.ok()) ++refused;
  }
  EXPECT_GT(refused, 0);  // and no crash, no hang
}

}  // namespace
}  // namespace corphub::office
