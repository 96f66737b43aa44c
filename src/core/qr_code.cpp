#include "core/qr_code.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace corphub::core {

namespace {

// Level M, per version: error correction codewords per block, then (blocks, data codewords)
// of the first group and of the second.
struct Blocks {
  int ec_per_block;
  int blocks1;
  int data1;
  int blocks2;
  int data2;
};
constexpr std::array<Blocks, 11> kLevelM = {{
    {0, 0, 0, 0, 0},
    {10, 1, 16, 0, 0},
    {16, 1, 28, 0, 0},
    {26, 1, 44, 0, 0},
    {18, 2, 32, 0, 0},
    {24, 2, 43, 0, 0},
    {16, 4, 27, 0, 0},
    {18, 4, 31, 0, 0},
    {22, 2, 38, 2, 39},
    {22, 3, 36, 2, 37},
    {26, 4, 43, 1, 44},
}};

// The second alignment coordinate and the step (versions 2-10 have 1 or 2 steps).
constexpr std::array<std::array<int, 3>, 11> kAlignment = {{
    {0, 0, 0},
    {0, 0, 0},
    {6, 18, 0},
    {6, 22, 0},
    {6, 26, 0},
    {6, 30, 0},
    {6, 34, 0},
    {6, 22, 38},
    {6, 24, 42},
    {6, 26, 46},
    {6, 28, 50},
}};

int DataCodewords(int version) {
  const Blocks& b = kLevelM[static_cast<std::size_t>(version)];
  return b.blocks1 * b.data1 + b.blocks2 * b.data2;
}

std::uint8_t GfMultiply(std::uint8_t a, std::uint8_t b) {
  int result = 0;
  for (int i = 7; i >= 0; --i) {
    result = (result << 1) ^ ((result >> 7) * 0x11D);
    if (((b >> i) & 1) != 0) result ^= a;
  }
  return static_cast<std::uint8_t>(result);
}

class BitWriter {
 public:
  void Put(std::uint32_t value, int bits) {
    for (int i = bits - 1; i >= 0; --i) bits_.push_back(((value >> i) & 1) != 0);
  }
  std::size_t Size() const { return bits_.size(); }
  std::vector<std::uint8_t> Bytes() const {
    std::vector<std::uint8_t> out(bits_.size() / 8, 0);
    for (std::size_t i = 0; i < out.size() * 8; ++i) {
      if (bits_[i]) out[i / 8] = static_cast<std::uint8_t>(out[i / 8] | (0x80 >> (i % 8)));
    }
    return out;
  }

 private:
  std::vector<bool> bits_;
};

bool MaskAt(int mask, int x, int y) {
  switch (mask) {
    case 0:
      return (x + y) % 2 == 0;
    case 1:
      return y % 2 == 0;
    case 2:
      return x % 3 == 0;
    case 3:
      return (x + y) % 3 == 0;
    case 4:
      return (x / 3 + y / 2) % 2 == 0;
    case 5:
      return x * y % 2 + x * y % 3 == 0;
    case 6:
      return (x * y % 2 + x * y % 3) % 2 == 0;
    default:
      return ((x + y) % 2 + x * y % 3) % 2 == 0;
  }
}

}  // namespace

std::uint32_t QrCode::FormatBits(int mask) {
  const std::uint32_t data = (0u << 3) | static_cast<std::uint32_t>(mask);  // level M is 00
  std::uint32_t rem = data;
  for (int i = 0; i < 10; ++i) rem = (rem << 1) ^ ((rem >> 9) * 0x537);
  return ((data << 10) | (rem & 0x3FF)) ^ 0x5412;
}

std::uint32_t QrCode::VersionBits(int version) {
  std::uint32_t rem = static_cast<std::uint32_t>(version);
  for (int i = 0; i < 12; ++i) rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
  return (static_cast<std::uint32_t>(version) << 12) | (rem & 0xFFF);
}

std::vector<std::uint8_t> QrCode::ErrorCorrection(const std::vector<std::uint8_t>& data,
                                                  int degree) {
  // The generator (x - a^0)(x - a^1)...(x - a^(degree-1)), leading 1 left out.
  std::vector<std::uint8_t> gen(static_cast<std::size_t>(degree), 0);
  gen.back() = 1;
  std::uint8_t root = 1;
  for (int i = 0; i < degree; ++i) {
    for (std::size_t j = 0; j < gen.size(); ++j) {
      gen[j] = GfMultiply(gen[j], root);
      if (j + 1 < gen.size()) gen[j] ^= gen[j + 1];
    }
    root = GfMultiply(root, 0x02);
  }
  std::vector<std::uint8_t> rem(static_cast<std::size_t>(degree), 0);
  for (std::uint8_t b : data) {
    const std::uint8_t factor = b ^ rem.front();
    rem.erase(rem.begin());
    rem.push_back(0);
    for (std::size_t j = 0; j < rem.size(); ++j) rem[j] ^= GfMultiply(gen[j], factor);
  }
  return rem;
}

void QrCode::Set(int x, int y, bool dark, bool function) {
  modules_[Index(x, y)] = dark;
  if (function) function_[Index(x, y)] = true;
}

void QrCode::DrawFunctionPatterns() {
  for (int i = 0; i < size_; ++i) {
    Set(6, i, i % 2 == 0, true);
    Set(i, 6, i % 2 == 0, true);
  }
  // Finders with their separators.
  for (auto [cx, cy] : {std::pair{3, 3}, std::pair{size_ - 4, 3}, std::pair{3, size_ - 4}}) {
    for (int dy = -4; dy <= 4; ++dy) {
      for (int dx = -4; dx <= 4; ++dx) {
        const int x = cx + dx;
        const int y = cy + dy;
        if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
        const int d = std::max(std::abs(dx), std::abs(dy));
        Set(x, y, d != 2 && d != 4, true);
      }
    }
  }
  // Alignment patterns, except where they would overlap a finder.
  std::vector<int> at;
  for (int p : kAlignment[static_cast<std::size_t>(version_)]) {
    if (p != 0) at.push_back(p);
  }
  for (std::size_t i = 0; i < at.size(); ++i) {
    for (std::size_t j = 0; j < at.size(); ++j) {
      const bool corner =
          (i == 0 && j == 0) || (i == 0 && j + 1 == at.size()) || (i + 1 == at.size() && j == 0);
      if (corner) continue;
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          Set(at[i] + dx, at[j] + dy, std::max(std::abs(dx), std::abs(dy)) != 1, true);
        }
      }
    }
  }
  DrawFormat(0);  // reserves the format areas; drawn for real once the mask is chosen
  if (version_ >= 7) {
    const std::uint32_t bits = VersionBits(version_);
    for (int i = 0; i < 18; ++i) {
      const bool dark = ((bits >> i) & 1) != 0;
      const int a = size_ - 11 + i % 3;
      const int b = i / 3;
      Set(a, b, dark, true);
      Set(b, a, dark, true);
    }
  }
}

void QrCode::DrawFormat(int mask) {
  const std::uint32_t bits = FormatBits(mask);
  auto bit = [&](int i) { return ((bits >> i) & 1) != 0; };
  for (int i = 0; i <= 5; ++i) Set(8, i, bit(i), true);
  Set(8, 7, bit(6), true);
  Set(8, 8, bit(7), true);
  Set(7, 8, bit(8), true);
  for (int i = 9; i < 15; ++i) Set(14 - i, 8, bit(i), true);
  for (int i = 0; i < 8; ++i) Set(size_ - 1 - i, 8, bit(i), true);
  for (int i = 8; i < 15; ++i) Set(8, size_ - 15 + i, bit(i), true);
  Set(8, size_ - 8, true, true);  // the dark module
}

void QrCode::PlaceData(const std::vector<std::uint8_t>& codewords) {
  std::size_t i = 0;
  const std::size_t total = codewords.size() * 8;
  for (int right = size_ - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;  // the vertical timing pattern's column is skipped
    for (int vert = 0; vert < size_; ++vert) {
      for (int j = 0; j < 2; ++j) {
        const int x = right - j;
        const bool upward = ((right + 1) & 2) == 0;
        const int y = upward ? size_ - 1 - vert : vert;
        if (function_[Index(x, y)]) continue;
        bool dark = false;
        if (i < total) {
          dark = ((codewords[i / 8] >> (7 - static_cast<int>(i % 8))) & 1) != 0;
          ++i;
        }
        modules_[Index(x, y)] = dark;  // remainder bits are light
      }
    }
  }
}

void QrCode::ApplyMask(int mask) {
  for (int y = 0; y < size_; ++y) {
    for (int x = 0; x < size_; ++x) {
      if (!function_[Index(x, y)] && MaskAt(mask, x, y)) {
        modules_[Index(x, y)] = !modules_[Index(x, y)];
      }
    }
  }
}

long QrCode::Penalty() const {
  long penalty = 0;
  // Runs of five or more of one colour, in rows and columns; finder-like 1:1:3:1:1 patterns.
  for (int pass = 0; pass < 2; ++pass) {
    for (int a = 0; a < size_; ++a) {
      int run = 0;
      bool last = false;
      std::uint32_t window = 0;  // the last 11 modules, newest in bit 0
      for (int b = 0; b < size_; ++b) {
        const bool dark = pass == 0 ? Dark(b, a) : Dark(a, b);
        if (b > 0 && dark == last) {
          ++run;
        } else {
          if (run >= 5) penalty += 3 + (run - 5);
          run = 1;
          last = dark;
        }
        window = ((window << 1) | (dark ? 1u : 0u)) & 0x7FF;
        if (b >= 10 && (window == 0x5D0 || window == 0x05D)) penalty += 40;
      }
      if (run >= 5) penalty += 3 + (run - 5);
    }
  }
  // 2x2 blocks of one colour.
  for (int y = 0; y + 1 < size_; ++y) {
    for (int x = 0; x + 1 < size_; ++x) {
      const bool c = Dark(x, y);
      if (c == Dark(x + 1, y) && c == Dark(x, y + 1) && c == Dark(x + 1, y + 1)) penalty += 3;
    }
  }
  // Balance of dark and light.
  long dark = 0;
  for (bool m : modules_) dark += m ? 1 : 0;
  const long total = static_cast<long>(modules_.size());
  const long k = (std::abs(dark * 20 - total * 10) + total - 1) / total - 1;
  penalty += std::max(0L, k) * 10;
  return penalty;
}

Result<QrCode> QrCode::Encode(std::string_view bytes) {
  int version = 0;
  for (int v = 1; v <= kMaxVersion; ++v) {
    const int count_bits = v <= 9 ? 8 : 16;
    if (4 + count_bits + bytes.size() * 8 <= static_cast<std::size_t>(DataCodewords(v)) * 8) {
      version = v;
      break;
    }
  }
  if (version == 0) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "a QR code here holds at most " + std::to_string(kMaxBytes) + " bytes");
  }
  const std::size_t capacity = static_cast<std::size_t>(DataCodewords(version)) * 8;
  BitWriter w;
  w.Put(0x4, 4);  // byte mode
  w.Put(static_cast<std::uint32_t>(bytes.size()), version <= 9 ? 8 : 16);
  for (char c : bytes) w.Put(static_cast<unsigned char>(c), 8);
  w.Put(0, static_cast<int>(std::min<std::size_t>(4, capacity - w.Size())));
  w.Put(0, static_cast<int>((8 - w.Size() % 8) % 8));
  for (std::uint32_t pad = 0xEC; w.Size() < capacity; pad ^= 0xEC ^ 0x11) w.Put(pad, 8);
  const std::vector<std::uint8_t> data = w.Bytes();

  // Split into blocks, add each block's error correction, interleave.
  const Blocks& spec = kLevelM[static_cast<std::size_t>(version)];
  std::vector<std::vector<std::uint8_t>> blocks;
  std::vector<std::vector<std::uint8_t>> ecs;
  std::size_t at = 0;
  for (int g = 0; g < 2; ++g) {
    const int n = g == 0 ? spec.blocks1 : spec.blocks2;
    const int len = g == 0 ? spec.data1 : spec.data2;
    for (int i = 0; i < n; ++i) {
      blocks.emplace_back(
          data.begin() + static_cast<std::ptrdiff_t>(at),
          data.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(len)));
      at += static_cast<std::size_t>(len);
      ecs.push_back(ErrorCorrection(blocks.back(), spec.ec_per_block));
    }
  }
  std::vector<std::uint8_t> codewords;
  const std::size_t longest = static_cast<std::size_t>(std::max(spec.data1, spec.data2));
  for (std::size_t i = 0; i < longest; ++i) {
    for (const auto& b : blocks) {
      if (i < b.size()) codewords.push_back(b[i]);
    }
  }
  for (std::size_t i = 0; i < static_cast<std::size_t>(spec.ec_per_block); ++i) {
    for (const auto& e : ecs) codewords.push_back(e[i]);
  }

  QrCode qr;
  qr.version_ = version;
  qr.size_ = 17 + 4 * version;
  const auto cells = static_cast<std::size_t>(qr.size_) * static_cast<std::size_t>(qr.size_);
  qr.modules_.assign(cells, false);
  qr.function_.assign(cells, false);
  qr.DrawFunctionPatterns();
  qr.PlaceData(codewords);
  long best = -1;
  for (int mask = 0; mask < 8; ++mask) {
    qr.ApplyMask(mask);
    qr.DrawFormat(mask);
    const long p = qr.Penalty();
    if (best < 0 || p < best) {
      best = p;
      qr.mask_ = mask;
    }
    qr.ApplyMask(mask);  // XOR again: back to unmasked
  }
  qr.ApplyMask(qr.mask_);
  qr.DrawFormat(qr.mask_);
  return qr;
}

}  // namespace corphub::core
