#pragma once
// Pinyin search keys for names, so that "zhangsan", "zs" or "zhang s" find 张三.
//
// Readings come from the Unihan database's kMandarin field (Debian package unicode-data; the table
// is generated at build time by tools/pinyin_gen.cpp). Tones are dropped, ü is written v
// (女 -> "nv", 绿 -> "lv"), and the syllabic nasals ḿ/ń/ň/ǹ become "m"/"n".
//
// One reading per character: where kMandarin lists several (zh-Hans's customary reading first,
// then zh-Taiwan's), the first wins, and a character's reading does not depend on its neighbours
// or on its being a surname. So polyphonic surnames follow Unihan's first reading, not the surname
// reading: 单 is "dan" (not shan), 曾 is "ceng" (not zeng), 长 is "zhang", 卜 is "bo". Characters
// without kMandarin (some rare ideographs, and the CJK compatibility ideographs U+F900.., which
// NFC maps to unified ones anyway) have no syllable and are kept as they are in the keys.
#include <string>
#include <string_view>

namespace corphub::pinyin {

// The toneless syllable of one code point ("zhang" for U+5F20 张), or empty when it has none.
std::string_view SyllableOf(char32_t cp);

// The Unicode version of the Unihan data the table was built from ("15.0.0").
std::string_view UnihanVersion();

// Search keys for a name, character by character:
//   - a character with a syllable adds the syllable to `full` and its first letter to `initials`:
//     张三 -> {"zhangsan", "zs"}, 欧阳娜娜 -> {"ouyangnana", "oynn"};
//   - ASCII letters and digits (and fullwidth ones: ＡＢ１ -> "ab1") go, lowercased, to both:
//     "Li Lei" -> {"lilei", "lilei"}, 王小明2 -> {"wangxiaoming2", "wxm2"} (a Latin word is not
//     cut down to its first letter);
//   - spaces, ASCII punctuation, and the separators found in names (· ・ 、, fullwidth punctuation,
//     the ideographic space, zero-width and other general punctuation, variation selectors) are
//     dropped: 阿卜杜拉·买买提 -> "abodulamaimaiti";
//   - any other character (é, kana, a Han character without reading) is added as it is to both,
//     Latin-1 capitals lowercased ("JOSÉ" -> "josé"); there is no other case folding.
// Invalid UTF-8 bytes are skipped.
struct Keys {
  std::string full;
  std::string initials;
};
Keys KeysOf(std::string_view utf8_name);

// Whether `query` (what an admin typed) finds the name with these keys. The query is normalised as
// `full` is (any case, spaces and punctuation ignored; a Han character in the query stands for its
// syllable, so 张 finds 张三 and also 章三). An empty query matches every name. Matching is
// anchored at the start of the name, as LIKE 'q%' is ("san" does not find 张三). It matches when:
//   - it is a prefix of `full` ("zhang", "zhangs", "zhangsan") or of `initials` ("z", "zs"), or
//   - it spells the name unit by unit (a unit is a syllable, or one other character), taking
//     of every unit but the last one it reaches either the initial letter, the initial consonant
//     zh/ch/sh, or the whole syllable, and of the last one any prefix: "zsan", "zhsan", "zhs",
//     "zhangsa", 欧阳娜娜 by "oyangnn" or "ouynana". Not "zhasan" (a partial "zha" is only
//     allowed as the last thing typed).
// The SQL search does the first rule with full LIKE 'q%' OR initials LIKE 'q%'; this adds the mix.
bool Matches(const Keys& keys, std::string_view query);

}  // namespace corphub::pinyin
