// corphub_pinyin_gen: turns Unihan_Readings.txt (the Unihan database; Debian package unicode-data)
// into the table compiled into corphub_pinyin (src/pinyin/table.hpp declares what it defines).
//
// Usage: corphub_pinyin_gen -o OUT.cpp [Unihan_Readings.txt]   (no path, or "-": stdin)
//
// For every code point with a kMandarin field it keeps the first reading listed, without tones,
// in lowercase ASCII with ü written as v ("zhāng" -> "zhang", "nǚ" -> "nv", "ḿ" -> "m"). The
// output:
//   - kSyllableText / kSyllableStart: the distinct syllables, sorted, concatenated;
//   - kRuns: sorted {first code point, first slot}; run i covers the code points
//     kRuns[i].first + k for k < kRuns[i + 1].slot - kRuns[i].slot (a sentinel run ends the list);
//   - kSlots: one syllable index per code point of a run, kNoSyllable where a code point has none.
// A run costs 8 bytes and a slot 2, so gaps of up to kMaxGap code points without a reading are
// filled with kNoSyllable instead of starting a new run. Standard library only; it writes
// OUT.cpp.tmp and renames it, so a failed run never leaves a half-written table behind.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr std::size_t kMaxGap = 3;
constexpr std::uint32_t kNoSyllable = 0xFFFF;

struct Reading {
  std::uint32_t cp;
  std::string syllable;
};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "corphub_pinyin_gen: %s\n", message.c_str());
  std::exit(1);
}

bool ReadAll(std::FILE* in, std::string* out) {
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) out->append(buffer, n);
  return std::ferror(in) == 0;
}

// Decodes the UTF-8 sequence at s[*i] and advances *i; false when it is malformed.
bool DecodeUtf8(std::string_view s, std::size_t* i, std::uint32_t* cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(*i);
  std::size_t len = b0 < 0x80                  ? 1
                    : b0 >= 0xC2 && b0 <= 0xDF ? 2
                    : b0 >= 0xE0 && b0 <= 0xEF ? 3
                    : b0 >= 0xF0 && b0 <= 0xF4 ? 4
                                               : 0;
  if (len == 0 || *i + len > s.size()) return false;
  std::uint32_t value = len == 1 ? b0 : b0 & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) return false;
    value = (value << 6) | (byte(*i + k) & 0x3F);
  }
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinimum[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return false;
  }
  *i += len;
  *cp = value;
  return true;
}

// The base letter of a precomposed pinyin letter with a tone mark (or ü / ê), 0 when it is not one.
char BaseLetter(std::uint32_t cp) {
  struct Letter {
    std::uint32_t cp;
    char base;
  };
  static constexpr Letter kLetters[] = {
      {0x00E0, 'a'}, {0x00E1, 'a'}, {0x0101, 'a'}, {0x01CE, 'a'},  // à á ā ǎ
      {0x00E8, 'e'}, {0x00E9, 'e'}, {0x0113, 'e'}, {0x011B, 'e'},  // è é ē ě
      {0x00EA, 'e'}, {0x1EBF, 'e'}, {0x1EC1, 'e'},                 // ê ế ề
      {0x00EC, 'i'}, {0x00ED, 'i'}, {0x012B, 'i'}, {0x01D0, 'i'},  // ì í ī ǐ
      {0x00F2, 'o'}, {0x00F3, 'o'}, {0x014D, 'o'}, {0x01D2, 'o'},  // ò ó ō ǒ
      {0x00F9, 'u'}, {0x00FA, 'u'}, {0x016B, 'u'}, {0x01D4, 'u'},  // ù ú ū ǔ
      {0x00FC, 'v'}, {0x01D6, 'v'}, {0x01D8, 'v'}, {0x01DA, 'v'},  // ü ǖ ǘ ǚ
      {0x01DC, 'v'},                                               // ǜ
      {0x1E3F, 'm'}, {0x0144, 'n'}, {0x0148, 'n'}, {0x01F9, 'n'},  // ḿ ń ň ǹ
  };
  for (const Letter& letter : kLetters) {
    if (letter.cp == cp) return letter.base;
  }
  return 0;
}

// "zhāng" -> "zhang"; false (with *error set) for a character that is no part of pinyin.
bool Toneless(std::string_view reading, std::string* out, std::string* error) {
  out->clear();
  for (std::size_t i = 0; i < reading.size();) {
    std::uint32_t cp = 0;
    if (!DecodeUtf8(reading, &i, &cp)) {
      *error = "malformed UTF-8";
      return false;
    }
    if (cp >= 'a' && cp <= 'z') {
      *out += static_cast<char>(cp);
    } else if (cp >= 'A' && cp <= 'Z') {
      *out += static_cast<char>(cp - 'A' + 'a');
    } else if (char base = BaseLetter(cp); base != 0) {
      *out += base;
    } else if (cp == 0x0300 || cp == 0x0301 || cp == 0x0302 || cp == 0x0304 || cp == 0x030C) {
      // A combining tone mark (or the circumflex of ê) after its letter: dropped.
    } else if (cp == 0x0308 && !out->empty() && out->back() == 'u') {
      out->back() = 'v';  // u + combining diaeresis
    } else {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
      *error = std::string("unexpected character ") + hex;
      return false;
    }
  }
  if (out->empty()) {
    *error = "empty reading";
    return false;
  }
  return true;
}

// Parses "U+5F20\tkMandarin\tzhāng" lines; other fields and comments are skipped.
std::vector<Reading> ParseReadings(std::string_view text, std::string* unicode_version) {
  std::vector<Reading> readings;
  constexpr std::string_view kVersionTag = "# Unicode version:";
  std::size_t line_number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with(kVersionTag)) {
      std::string_view v = line.substr(kVersionTag.size());
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      *unicode_version = std::string(v);
      continue;
    }
    if (!line.starts_with("U+")) continue;
    std::size_t tab1 = line.find('\t');
    if (tab1 == std::string_view::npos) continue;
    std::size_t tab2 = line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos || line.substr(tab1 + 1, tab2 - tab1 - 1) != "kMandarin") {
      continue;
    }
    auto where = [&] { return "line " + std::to_string(line_number) + ": "; };
    std::string_view hex = line.substr(2, tab1 - 2);
    if (hex.size() < 4 || hex.size() > 6) Fail(where() + "bad code point");
    std::uint32_t cp = 0;
    for (char c : hex) {
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) Fail(where() + "bad code point");
      cp = cp * 16 + static_cast<std::uint32_t>(digit);
    }
    if (cp > 0x10FFFF) Fail(where() + "code point out of range");
    std::string_view value = line.substr(tab2 + 1);
    std::string_view first = value.substr(0, value.find(' '));  // the first reading listed
    Reading reading{cp, {}};
    std::string error;
    if (!Toneless(first, &reading.syllable, &error)) {
      Fail(where() + "kMandarin \"" + std::string(value) + "\": " + error);
    }
    readings.push_back(std::move(reading));
  }
  return readings;
}

void AppendNumber(std::string* out, std::uint32_t n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%u", static_cast<unsigned>(n));
  *out += buffer;
}

void AppendHex(std::string* out, std::uint32_t n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%X", static_cast<unsigned>(n));
  *out += buffer;
}

std::string Generate(std::vector<Reading> readings, const std::string& unicode_version) {
  std::sort(readings.begin(), readings.end(),
            [](const Reading& a, const Reading& b) { return a.cp < b.cp; });
  for (std::size_t i = 1; i < readings.size(); ++i) {
    if (readings[i].cp == readings[i - 1].cp) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(readings[i].cp));
      Fail(std::string("two kMandarin lines for ") + hex);
    }
  }
  if (readings.empty()) Fail("no kMandarin field in the input (is it Unihan_Readings.txt?)");

  std::vector<std::string> syllables;
  for (const Reading& r : readings) syllables.push_back(r.syllable);
  std::sort(syllables.begin(), syllables.end());
  syllables.erase(std::unique(syllables.begin(), syllables.end()), syllables.end());
  if (syllables.size() >= kNoSyllable) Fail("too many distinct syllables");

  std::string text;
  std::vector<std::uint32_t> starts;
  for (const std::string& s : syllables) {
    starts.push_back(static_cast<std::uint32_t>(text.size()));
    text += s;
  }
  starts.push_back(static_cast<std::uint32_t>(text.size()));
  if (text.size() > 0xFFFF) Fail("syllable text too long");

  // Runs and slots.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;  // first code point, first slot
  std::vector<std::uint32_t> slots;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    std::uint32_t cp = readings[i].cp;
    if (i == 0 || cp - readings[i - 1].cp > kMaxGap + 1) {
      runs.emplace_back(cp, static_cast<std::uint32_t>(slots.size()));
    } else {
      for (std::uint32_t gap = readings[i - 1].cp + 1; gap < cp; ++gap)
        slots.push_back(kNoSyllable);
    }
    auto it = std::lower_bound(syllables.begin(), syllables.end(), readings[i].syllable);
    slots.push_back(static_cast<std::uint32_t>(it - syllables.begin()));
  }

  std::string out;
  out.reserve(slots.size() * 5 + runs.size() * 20 + text.size() * 2 + 4096);
  out += "// Generated by tools/pinyin_gen.cpp from Unihan_Readings.txt (Unicode ";
  out += unicode_version.empty() ? "version unknown" : unicode_version;
  out += "); do not edit.\n// ";
  AppendNumber(&out, static_cast<std::uint32_t>(readings.size()));
  out += " code points, ";
  AppendNumber(&out, static_cast<std::uint32_t>(syllables.size()));
  out += " syllables, ";
  AppendNumber(&out, static_cast<std::uint32_t>(runs.size()));
  out += " runs, ";
  AppendNumber(&out, static_cast<std::uint32_t>(slots.size()));
  out += " slots.\n";
  out += "#include \"pinyin/table.hpp\"\n\nnamespace corphub::pinyin::detail {\n\n";
  out += "static_assert(kNoSyllable == ";
  AppendNumber(&out, kNoSyllable);
  out += ", \"tools/pinyin_gen.cpp and src/pinyin/table.hpp disagree\");\n\n";

  out += "const char kUnihanVersion[] = \"";
  for (char c : unicode_version) {
    if (c >= ' ' && c <= '~' && c != '"' && c != '\\') out += c;
  }
  out += "\";\n\nconst char kSyllableText[] =";
  for (std::size_t i = 0; i < text.size(); i += 80) out += "\n    \"" + text.substr(i, 80) + "\"";
  out += ";\n\nconst std::uint16_t kSyllableStart[] = {";
  for (std::size_t i = 0; i < starts.size(); ++i) {
    out += i % 20 == 0 ? "\n    " : " ";
    AppendNumber(&out, starts[i]);
    out += ',';
  }
  out += "\n};\nconst std::size_t kSyllableCount = ";
  AppendNumber(&out, static_cast<std::uint32_t>(syllables.size()));
  out += ";\n\nconst Run kRuns[] = {";
  for (std::size_t i = 0; i <= runs.size(); ++i) {
    auto [first, slot] = i < runs.size() ? runs[i]
                                         : std::pair<std::uint32_t, std::uint32_t>(
                                               0x110000, static_cast<std::uint32_t>(slots.size()));
    out += i % 8 == 0 ? "\n    {" : " {";
    AppendHex(&out, first);
    out += ',';
    AppendNumber(&out, slot);
    out += "},";
  }
  out += "\n};\nconst std::size_t kRunCount = ";
  AppendNumber(&out, static_cast<std::uint32_t>(runs.size()));
  out += ";\n\nconst std::uint16_t kSlots[] = {";
  for (std::size_t i = 0; i < slots.size(); ++i) {
    out += i % 24 == 0 ? "\n    " : " ";
    AppendNumber(&out, slots[i]);
    out += ',';
  }
  out += "\n};\nconst std::size_t kSlotCount = ";
  AppendNumber(&out, static_cast<std::uint32_t>(slots.size()));
  out += ";\nconst std::size_t kEntryCount = ";
  AppendNumber(&out, static_cast<std::uint32_t>(readings.size()));
  out += ";\n\n}  // namespace corphub::pinyin::detail\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string output;
  std::string input = "-";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-o" && i + 1 < argc) {
      output = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: %s -o OUT.cpp [Unihan_Readings.txt]  (stdin without a path)\n", argv[0]);
      return 0;
    } else if (input == "-" && (arg == "-" || !arg.starts_with("-"))) {
      input = std::string(arg);
    } else {
      Fail("unexpected argument \"" + std::string(arg) + "\" (usage: -o OUT.cpp [INPUT])");
    }
  }
  if (output.empty()) Fail("missing -o OUT.cpp");

  std::string text;
  if (input == "-") {
    if (!ReadAll(stdin, &text)) Fail("cannot read stdin");
  } else {
    std::FILE* in = std::fopen(input.c_str(), "rb");
    if (in == nullptr) Fail("cannot open " + input + ": " + std::strerror(errno));
    bool ok = ReadAll(in, &text);
    std::fclose(in);
    if (!ok) Fail("cannot read " + input);
  }

  std::string unicode_version;
  std::string generated = Generate(ParseReadings(text, &unicode_version), unicode_version);

  std::string temporary = output + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) Fail("cannot create " + temporary + ": " + std::strerror(errno));
  bool written = std::fwrite(generated.data(), 1, generated.size(), out) == generated.size();
  written = std::fclose(out) == 0 && written;
  if (!written || std::rename(temporary.c_str(), output.c_str()) != 0) {
    std::remove(temporary.c_str());
    Fail("cannot write " + output);
  }
  return 0;
}
