#pragma once
// The pinyin table that tools/pinyin_gen.cpp generates from Unihan's kMandarin field at build time
// (build tree only). Internal to corphub_pinyin and its tests; use pinyin.hpp.
#include <cstddef>
#include <cstdint>

namespace corphub::pinyin::detail {

// A run of consecutive code points; run i covers kRuns[i].first + k for
// k < kRuns[i + 1].slot - kRuns[i].slot, whose syllables are kSlots[kRuns[i].slot + k].
struct Run {
  std::uint32_t first;  // first code point
  std::uint32_t slot;   // index in kSlots of that code point
};

// In kSlots: a code point inside a run that has no reading.
inline constexpr std::uint16_t kNoSyllable = 0xFFFF;

extern const char kUnihanVersion[];  // "15.0.0"
// Syllable i is kSyllableText[kSyllableStart[i] .. kSyllableStart[i + 1]); sorted, distinct.
extern const char kSyllableText[];
extern const std::uint16_t kSyllableStart[];  // kSyllableCount + 1 entries
extern const std::size_t kSyllableCount;
extern const Run kRuns[];  // kRunCount + 1 entries, sorted; the last is {0x110000, kSlotCount}
extern const std::size_t kRunCount;
extern const std::uint16_t kSlots[];  // kSlotCount entries
extern const std::size_t kSlotCount;
extern const std::size_t kEntryCount;  // code points with a reading

}  // namespace corphub::pinyin::detail
