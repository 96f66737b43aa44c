#include "pinyin/pinyin.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corphub::pinyin {
namespace {

// Expected readings below are the kMandarin values of Unihan 15.0 (first reading, tones removed).

std::string Full(std::string_view name) { return KeysOf(name).full; }
std::string Initials(std::string_view name) { return KeysOf(name).initials; }

// ---- SyllableOf ----

TEST(SyllableOfTest, CommonCharacters) {
  EXPECT_EQ(SyllableOf(U'张'), "zhang");
  EXPECT_EQ(SyllableOf(0x5F20), "zhang");
  EXPECT_EQ(SyllableOf(U'三'), "san");
  EXPECT_EQ(SyllableOf(U'李'), "li");
  EXPECT_EQ(SyllableOf(U'四'), "si");
  EXPECT_EQ(SyllableOf(U'王'), "wang");
  EXPECT_EQ(SyllableOf(U'五'), "wu");
  EXPECT_EQ(SyllableOf(U'欧'), "ou");
  EXPECT_EQ(SyllableOf(U'阳'), "yang");
  EXPECT_EQ(SyllableOf(U'说'), "shuo");
  EXPECT_EQ(SyllableOf(U'行'), "xing");
}

TEST(SyllableOfTest, UmlautIsV) {
  EXPECT_EQ(SyllableOf(U'女'), "nv");
  EXPECT_EQ(SyllableOf(U'绿'), "lv");
  EXPECT_EQ(SyllableOf(U'吕'), "lv");
}

TEST(SyllableOfTest, SyllabicNasals) {
  EXPECT_EQ(SyllableOf(0x5463), "m");  // 呣 ḿ
  EXPECT_EQ(SyllableOf(0x55EF), "n");  // 嗯 ń
  EXPECT_EQ(SyllableOf(0x3576), "n");  // ň
}

TEST(SyllableOfTest, FirstReadingWins) {
  EXPECT_EQ(SyllableOf(U'单'), "dan");    // dān, not the surname's shàn
  EXPECT_EQ(SyllableOf(U'曾'), "ceng");   // céng, not the surname's zēng
  EXPECT_EQ(SyllableOf(U'长'), "zhang");  // zhǎng
  EXPECT_EQ(SyllableOf(U'卜'), "bo");     // "bo bǔ"
}

TEST(SyllableOfTest, ExtensionA) {
  EXPECT_EQ(SyllableOf(0x3400), "qiu");  // 㐀 qiū, the first code point of the block
  EXPECT_EQ(SyllableOf(0x3401), "tian");
  EXPECT_EQ(SyllableOf(0x3404), "kua");
  EXPECT_EQ(SyllableOf(0x3424), "dan");
}

TEST(SyllableOfTest, ExtensionB) {
  EXPECT_EQ(SyllableOf(0x20000), "he");  // 𠀀 hē
  EXPECT_EQ(SyllableOf(0x20001), "qi");
  EXPECT_EQ(SyllableOf(0x20003), "qie");
  EXPECT_EQ(SyllableOf(0x2A001), "ge");
  EXPECT_EQ(SyllableOf(0x2A00A), "qu");
}

TEST(SyllableOfTest, NoReading) {
  EXPECT_EQ(SyllableOf(U'a'), "");
  EXPECT_EQ(SyllableOf(0), "");
  EXPECT_EQ(SyllableOf(0x3402), "");  // in Extension A, between two characters with readings
  EXPECT_EQ(SyllableOf(0x3403), "");
  EXPECT_EQ(SyllableOf(0x20002), "");
  EXPECT_EQ(SyllableOf(0x4DC0), "");  // a hexagram, between Extension A and the main block
  EXPECT_EQ(SyllableOf(0x9FFF), "");
  EXPECT_EQ(SyllableOf(0x33FF), "");
  EXPECT_EQ(SyllableOf(U'あ'), "");
  EXPECT_EQ(SyllableOf(0x10FFFF), "");
  EXPECT_EQ(SyllableOf(0x110000), "");
  EXPECT_EQ(SyllableOf(0xFFFFFFFF), "");
}

TEST(SyllableOfTest, EverySyllableIsLowercaseAscii) {
  std::size_t with_reading = 0;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    std::string_view s = SyllableOf(cp);
    if (s.empty()) continue;
    ++with_reading;
    ASSERT_LE(s.size(), 6u) << static_cast<unsigned>(cp);
    for (char c : s) ASSERT_TRUE(c >= 'a' && c <= 'z') << static_cast<unsigned>(cp) << " " << s;
  }
  EXPECT_GT(with_reading, 40000u);  // Unihan 15.0 has 41419
}

// Reads the Unihan file the table was built from, independently of the generator: every code
// point with kMandarin has the first reading without its tone marks, and no other has one. (The
// build found the file, so failing to read it is a failure, not a skip.)
std::map<char32_t, std::string> ReadUnihan() {
  std::string path = CORPHUB_UNIHAN_READINGS;
  std::string command;
  std::FILE* in = nullptr;
  bool piped = path.ends_with(".bz2");
  if (piped) {
    command = std::string(CORPHUB_BZIP2) + " -dc '" + path + "'";
    in = popen(command.c_str(), "r");
  } else {
    in = std::fopen(path.c_str(), "r");
  }
  std::map<char32_t, std::string> readings;
  if (in == nullptr) return readings;
  std::string text;
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, n);
  if (piped) {
    pclose(in);
  } else {
    std::fclose(in);
  }
  const std::vector<std::pair<std::string, std::string>> marks = {
      {"ā", "a"}, {"á", "a"}, {"ǎ", "a"}, {"à", "a"}, {"ē", "e"}, {"é", "e"}, {"ě", "e"},
      {"è", "e"}, {"ī", "i"}, {"í", "i"}, {"ǐ", "i"}, {"ì", "i"}, {"ō", "o"}, {"ó", "o"},
      {"ǒ", "o"}, {"ò", "o"}, {"ū", "u"}, {"ú", "u"}, {"ǔ", "u"}, {"ù", "u"}, {"ǖ", "v"},
      {"ǘ", "v"}, {"ǚ", "v"}, {"ǜ", "v"}, {"ü", "v"}, {"ḿ", "m"}, {"ń", "n"}, {"ň", "n"},
      {"ǹ", "n"}, {"ê", "e"}, {"ế", "e"}, {"ề", "e"}};
  std::size_t pos = 0;
  const std::string tag = "\tkMandarin\t";
  while ((pos = text.find(tag, pos)) != std::string::npos) {
    std::size_t line_start = text.rfind('\n', pos);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    std::size_t value_start = pos + tag.size();
    std::size_t value_end = text.find_first_of(" \r\n", value_start);
    std::string cp_text = text.substr(line_start, pos - line_start);  // "U+5F20"
    std::string value = text.substr(value_start, value_end - value_start);
    for (const auto& [marked, plain] : marks) {
      for (std::size_t at; (at = value.find(marked)) != std::string::npos;) {
        value.replace(at, marked.size(), plain);
      }
    }
    readings[static_cast<char32_t>(std::stoul(cp_text.substr(2), nullptr, 16))] = value;
    pos = value_start;
  }
  return readings;
}

TEST(SyllableOfTest, AgreesWithUnihan) {
  std::map<char32_t, std::string> readings = ReadUnihan();
  ASSERT_FALSE(readings.empty()) << "cannot read " << CORPHUB_UNIHAN_READINGS;
  ASSERT_GT(readings.size(), 40000u);
  EXPECT_EQ(readings.at(0x5F20), "zhang");
  EXPECT_EQ(readings.at(0x7EFF), "lv");
  std::size_t mismatches = 0;
  auto next = readings.begin();  // the first reading at or after cp
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    std::string expected;
    if (next != readings.end() && next->first == cp) expected = (next++)->second;
    if (SyllableOf(cp) != expected && ++mismatches <= 10) {
      ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned>(cp) << ": \"" << SyllableOf(cp)
                    << "\" instead of \"" << expected << "\"";
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(UnihanVersionTest, IsKnown) {
  std::string_view v = UnihanVersion();
  ASSERT_FALSE(v.empty());
  EXPECT_TRUE(v[0] >= '1' && v[0] <= '9') << v;
  EXPECT_NE(v.find('.'), std::string_view::npos) << v;
}

// ---- KeysOf ----

TEST(KeysOfTest, ChineseNames) {
  EXPECT_EQ(Full("张三"), "zhangsan");
  EXPECT_EQ(Initials("张三"), "zs");
  EXPECT_EQ(Full("李四"), "lisi");
  EXPECT_EQ(Initials("李四"), "ls");
  EXPECT_EQ(Full("王五"), "wangwu");
  EXPECT_EQ(Initials("王五"), "ww");
  EXPECT_EQ(Full("欧阳"), "ouyang");
  EXPECT_EQ(Initials("欧阳"), "oy");
  EXPECT_EQ(Full("欧阳娜娜"), "ouyangnana");
  EXPECT_EQ(Initials("欧阳娜娜"), "oynn");
  EXPECT_EQ(Full("吕女"), "lvnv");
  EXPECT_EQ(Initials("吕女"), "ln");
  EXPECT_EQ(Full("曾单"), "cengdan");
}

TEST(KeysOfTest, LatinNames) {
  EXPECT_EQ(Full("Li Lei"), "lilei");
  EXPECT_EQ(Initials("Li Lei"), "lilei");
  EXPECT_EQ(Full("O'Brien-Smith, Jr."), "obriensmithjr");
  EXPECT_EQ(Full("JOSÉ Núñez"), "josénúñez");
  EXPECT_EQ(Full("ＬＩ　Ｌｅｉ１"), "lilei1");  // fullwidth letters, ideographic space
}

TEST(KeysOfTest, MixedNames) {
  EXPECT_EQ(Full("王小明2"), "wangxiaoming2");
  EXPECT_EQ(Initials("王小明2"), "wxm2");
  EXPECT_EQ(Full("Tony 张"), "tonyzhang");
  EXPECT_EQ(Initials("Tony 张"), "tonyz");
  EXPECT_EQ(Full("阿卜杜拉·买买提"), "abodulamaimaiti");
  EXPECT_EQ(Initials("阿卜杜拉·买买提"), "abdlmmt");
  EXPECT_EQ(Full("张三（销售）"), "zhangsanxiaoshou");
  EXPECT_EQ(Full("佐々木"), "zuo々mu");  // the iteration mark has no reading: kept
  EXPECT_EQ(Initials("佐々木"), "z々m");
}

TEST(KeysOfTest, ExtensionCharacters) {
  EXPECT_EQ(Full("\xE3\x90\x80"), "qiu");  // U+3400
  EXPECT_EQ(Full("\xF0\xA0\x80\x80"
                 "三"),
            "hesan");  // U+20000
  EXPECT_EQ(Initials("\xF0\xA0\x80\x80"
                     "三"),
            "hs");
}

TEST(KeysOfTest, InvalidUtf8IsSkipped) {
  EXPECT_EQ(Full("\xFF张\x80三\xE5"), "zhangsan");  // stray bytes, a truncated sequence
  EXPECT_EQ(Initials("\xFF张\x80三\xE5"), "zs");
  EXPECT_EQ(Full("a\xC0\xAF"
                 "b"),
            "ab");  // an overlong '/'
  EXPECT_EQ(Full("a\xED\xA0\x80"
                 "b"),
            "ab");  // a surrogate
  EXPECT_EQ(Full("a\xF4\x90\x80\x80"
                 "b"),
            "ab");  // beyond U+10FFFF
  EXPECT_EQ(Full("\xE5\xBC"
                 "a"),
            "a");  // 张 cut short
  EXPECT_EQ(Full("\xF0\xA0\x80"), "");
}

TEST(KeysOfTest, NothingToKeep) {
  EXPECT_EQ(Full(""), "");
  EXPECT_EQ(Initials(""), "");
  EXPECT_EQ(Full(" ·,.-_\t"), "");
  EXPECT_EQ(Full("张\xE2\x80\x8B三"), "zhangsan");  // zero-width space
  EXPECT_EQ(Full("葛\xF3\xA0\x84\x80"), "ge");      // 葛 with a variation selector
}

// ---- Matches ----

TEST(MatchesTest, PrefixesOfFullAndInitials) {
  Keys keys = KeysOf("张三");
  for (const char* q : {"zhangsan", "zhangs", "zhang", "zh", "z", "zs", "ZhangSan", "zhang san",
                        " Z S ", "zhang-san"}) {
    EXPECT_TRUE(Matches(keys, q)) << q;
  }
}

TEST(MatchesTest, MixOfInitialsAndSyllables) {
  Keys keys = KeysOf("张三");
  for (const char* q : {"zsan", "zsa", "zhsan", "zhs", "zhangsa", "zh san"}) {
    EXPECT_TRUE(Matches(keys, q)) << q;
  }
  Keys ouyang = KeysOf("欧阳娜娜");
  for (const char* q : {"oynn", "ouyangnana", "oyangnn", "ouynana", "oyn", "oyangna", "ouyangn",
                        "oynna", "oyangnana"}) {
    EXPECT_TRUE(Matches(ouyang, q)) << q;
  }
  Keys chang = KeysOf("常思思");
  EXPECT_TRUE(Matches(chang, "chss"));
  EXPECT_TRUE(Matches(chang, "chsisi"));
  EXPECT_TRUE(Matches(chang, "changsisi"));
}

// Every spelling the rule allows, built from the syllables: the initial, zh/ch/sh or the whole
// syllable for each character but the last one typed, then any prefix of that one.
TEST(MatchesTest, EverySpellingTheRuleAllows) {
  const std::pair<std::string, std::u32string> names[] = {{"张三丰", U"张三丰"},
                                                          {"欧阳娜娜", U"欧阳娜娜"},
                                                          {"诸葛亮", U"诸葛亮"},
                                                          {"司马相如", U"司马相如"}};
  for (const auto& [utf8, name] : names) {
    std::vector<std::string> syllables;
    for (char32_t c : name) {
      syllables.emplace_back(SyllableOf(c));
      ASSERT_FALSE(syllables.back().empty());
    }
    Keys keys = KeysOf(utf8);
    std::size_t count = 0;
    std::vector<std::string> prefixes = {""};
    for (const std::string& s : syllables) {
      std::vector<std::string> next;
      for (const std::string& before : prefixes) {
        for (std::size_t n = 1; n <= s.size(); ++n) {
          ++count;
          EXPECT_TRUE(Matches(keys, before + s.substr(0, n))) << before + s.substr(0, n);
        }
        std::vector<std::size_t> takes = {1, s.size()};
        if (s.size() > 2 && s[1] == 'h') takes.push_back(2);
        for (std::size_t take : takes) next.push_back(before + s.substr(0, take));
      }
      prefixes = next;
    }
    EXPECT_GT(count, 20u);
  }
}

TEST(MatchesTest, Mismatches) {
  Keys keys = KeysOf("张三");
  for (const char* q : {"san", "s", "zx", "sz", "zhangsanfeng", "zhasan", "zhangsn", "zss",
                        "zhan san", "zhangzhang", "x"}) {
    EXPECT_FALSE(Matches(keys, q)) << q;
  }
  Keys ouyang = KeysOf("欧阳娜娜");
  for (const char* q : {"oynnn", "yang", "oyann", "ouyangnanan"}) {
    EXPECT_FALSE(Matches(ouyang, q)) << q;
  }
}

TEST(MatchesTest, LatinAndMixedNames) {
  Keys li = KeysOf("Li Lei");
  EXPECT_TRUE(Matches(li, "lilei"));
  EXPECT_TRUE(Matches(li, "Li L"));
  EXPECT_FALSE(Matches(li, "ll"));  // Latin words are spelt out, not abbreviated
  Keys tony = KeysOf("Tony张三");
  EXPECT_TRUE(Matches(tony, "tonyzs"));
  EXPECT_TRUE(Matches(tony, "tony zhang s"));
  EXPECT_TRUE(Matches(tony, "tonyzsan"));
  EXPECT_FALSE(Matches(tony, "tzs"));
  Keys wang = KeysOf("王小明2");
  EXPECT_TRUE(Matches(wang, "wxm2"));
  EXPECT_TRUE(Matches(wang, "wangxm"));
  EXPECT_TRUE(Matches(wang, "wxiaom2"));
  EXPECT_FALSE(Matches(wang, "wxm3"));
}

TEST(MatchesTest, EmptyQueryMatchesEverything) {
  EXPECT_TRUE(Matches(KeysOf("张三"), ""));
  EXPECT_TRUE(Matches(KeysOf("张三"), "  "));
  EXPECT_TRUE(Matches(KeysOf(""), ""));
  EXPECT_FALSE(Matches(KeysOf(""), "z"));
}

TEST(MatchesTest, HanInTheQueryStandsForItsSyllable) {
  EXPECT_TRUE(Matches(KeysOf("张三"), "张"));
  EXPECT_TRUE(Matches(KeysOf("张三"), "张s"));
  EXPECT_TRUE(Matches(KeysOf("章三"), "张三"));  // same syllables
  EXPECT_FALSE(Matches(KeysOf("张三"), "李"));
}

TEST(MatchesTest, LongNamesStayFast) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "南宁";
  Keys keys = KeysOf(name);
  std::string query;
  for (int i = 0; i < 199; ++i) query += "nn";
  query += "nx";  // no match, after a long search
  EXPECT_FALSE(Matches(keys, query));
  EXPECT_TRUE(Matches(keys, query.substr(0, query.size() - 2) + "nann"));
}

}  // namespace
}  // namespace corphub::pinyin
