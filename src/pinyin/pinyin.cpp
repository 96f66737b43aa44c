#include "pinyin/pinyin.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "pinyin/table.hpp"

namespace corphub::pinyin {
namespace {

std::string_view SyllableAt(std::size_t index) {
  std::size_t begin = detail::kSyllableStart[index];
  return {detail::kSyllableText + begin, detail::kSyllableStart[index + 1] - begin};
}

// Whether s is one of the table's syllables (they are sorted).
bool IsSyllable(std::string_view s) {
  std::size_t lo = 0;
  std::size_t hi = detail::kSyllableCount;
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    int order = SyllableAt(mid).compare(s);
    if (order == 0) return true;
    if (order < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return false;
}

std::size_t LongestSyllable() {
  static const std::size_t longest = [] {
    std::size_t n = 1;
    for (std::size_t i = 0; i < detail::kSyllableCount; ++i) n = std::max(n, SyllableAt(i).size());
    return n;
  }();
  return longest;
}

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the UTF-8 sequence at s[*i] and advances past it; on a malformed sequence (overlong,
// surrogate, beyond U+10FFFF, truncated) returns kInvalid and advances one byte.
char32_t NextCodePoint(std::string_view s, std::size_t* i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(*i);
  std::size_t len = 0;
  unsigned char lo = 0x80;  // bounds of the second byte
  unsigned char hi = 0xBF;
  if (b0 < 0x80) {
    len = 1;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  }
  if (len == 0 || *i + len > s.size() || (len > 1 && (byte(*i + 1) < lo || byte(*i + 1) > hi))) {
    ++*i;
    return kInvalid;
  }
  char32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return kInvalid;
    }
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  *i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Separators, punctuation and invisible characters that names carry but searches ignore.
bool IsDropped(char32_t cp) {
  if (cp < 0x80) {
    bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return !alnum;
  }
  return (cp <= 0xBF) ||                    // C1 controls, NBSP, · and the like
         cp == 0xD7 || cp == 0xF7 ||        // × ÷
         (cp >= 0x2000 && cp <= 0x206F) ||  // general punctuation, zero-width
         (cp >= 0x3000 && cp <= 0x303F && (cp < 0x3005 || cp > 0x3007)) ||  // 、。「」, not 々〆〇
         cp == 0x30FB ||                                                    // katakana middle dot
         (cp >= 0xFE00 && cp <= 0xFE1F) ||  // variation selectors, vertical forms
         (cp >= 0xFE30 && cp <= 0xFE6F) ||  // CJK compatibility and small forms
         cp == 0xFEFF ||                    // byte order mark
         (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||  // fullwidth
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||  // punctuation
         (cp >= 0xE0000 && cp <= 0xE0FFF);  // tags, variation selectors
}

void Append(char32_t cp, Keys* keys) {
  if (std::string_view syllable = SyllableOf(cp); !syllable.empty()) {
    keys->full += syllable;
    keys->initials += syllable.front();
    return;
  }
  if (IsDropped(cp)) return;
  if (cp >= 0xFF10 && cp <= 0xFF19) {
    cp = cp - 0xFF10 + '0';  // fullwidth digits and letters
  } else if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) {
    cp = (cp - 0xFF21) % 0x20 + 'a';
  } else if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE)) {
    cp += 0x20;  // ASCII and Latin-1 capitals (× is dropped above)
  }
  AppendUtf8(cp, &keys->full);
  AppendUtf8(cp, &keys->initials);
}

// The mixed rule of Matches: a search over (unit, its offset in full, letters of the query used).
// Unit i starts at full[p], whose letter is initials[i]; where unit i ends is found by trying
// every end at which the next unit's initial letter stands (or the end of full, for the last unit)
// and that leaves a syllable or a single character.
class MixMatcher {
 public:
  MixMatcher(const Keys& keys, std::string_view query)
      : full_(keys.full), initials_(keys.initials), query_(query) {}

  bool Run() {
    Visit({0, 0, 0});
    while (!pending_.empty()) {
      State s = pending_.back();
      pending_.pop_back();
      if (Step(s)) return true;
    }
    return false;
  }

 private:
  struct State {
    std::size_t unit;   // index in initials
    std::size_t at;     // where the unit starts in full
    std::size_t typed;  // letters of the query matched so far
  };

  void Visit(State s) {
    std::uint64_t key = (static_cast<std::uint64_t>(s.unit) << 42) |
                        (static_cast<std::uint64_t>(s.at) << 21) | s.typed;
    if (seen_.insert(key).second) pending_.push_back(s);
  }

  bool Step(State s) {
    if (s.unit >= initials_.size() || s.at >= full_.size() || full_[s.at] != initials_[s.unit]) {
      return false;
    }
    std::string_view rest = query_.substr(s.typed);
    bool last = s.unit + 1 == initials_.size();
    std::size_t min_end = last ? full_.size() : s.at + 1;
    std::size_t max_end =
        last ? full_.size() : std::min(full_.size() - 1, s.at + LongestSyllable());
    for (std::size_t end = min_end; end <= max_end; ++end) {
      if (!last && full_[end] != initials_[s.unit + 1]) continue;
      std::string_view unit = full_.substr(s.at, end - s.at);
      if (unit.size() > 1 && !IsSyllable(unit)) continue;
      if (rest.size() <= unit.size() && unit.starts_with(rest)) return true;  // typed so far
      if (last) continue;
      std::size_t consonant =
          unit.size() > 2 && unit[1] == 'h' && (unit[0] == 'z' || unit[0] == 'c' || unit[0] == 's')
              ? 2
              : 1;
      for (std::size_t take : {std::size_t{1}, consonant, unit.size()}) {
        if (take <= rest.size() && rest.substr(0, take) == unit.substr(0, take)) {
          Visit({s.unit + 1, end, s.typed + take});
        }
      }
    }
    return false;
  }

  std::string_view full_;
  std::string_view initials_;
  std::string_view query_;
  std::vector<State> pending_;
  std::unordered_set<std::uint64_t> seen_;
};

}  // namespace

std::string_view SyllableOf(char32_t cp) {
  const detail::Run* begin = detail::kRuns;
  const detail::Run* end = detail::kRuns + detail::kRunCount;
  const detail::Run* after = std::upper_bound(
      begin, end, cp, [](char32_t c, const detail::Run& run) { return c < run.first; });
  if (after == begin) return {};
  const detail::Run& run = *(after - 1);
  std::size_t offset = cp - run.first;
  if (offset >= after->slot - run.slot) return {};  // after is at worst the sentinel
  std::uint16_t index = detail::kSlots[run.slot + offset];
  if (index == detail::kNoSyllable) return {};
  return SyllableAt(index);
}

std::string_view UnihanVersion() { return detail::kUnihanVersion; }

Keys KeysOf(std::string_view utf8_name) {
  Keys keys;
  for (std::size_t i = 0; i < utf8_name.size();) {
    char32_t cp = NextCodePoint(utf8_name, &i);
    if (cp != kInvalid) Append(cp, &keys);
  }
  return keys;
}

bool Matches(const Keys& keys, std::string_view query) {
  std::string q = KeysOf(query).full;
  if (keys.full.starts_with(q) || keys.initials.starts_with(q)) return true;
  // Each unit gives the query at most its own letters; the state keys hold 21 bits per field.
  if (q.size() > keys.full.size() || keys.full.size() >= (std::size_t{1} << 21)) return false;
  return MixMatcher(keys, q).Run();
}

}  // namespace corphub::pinyin
