#pragma once
// QR codes (ISO/IEC 18004) for links: byte mode, error correction level M (about 15% of the
// symbol may be damaged), versions 1 to 10 (up to 213 bytes, e.g. a sign-in URL), the mask
// with the lowest penalty. The matrix is what a renderer draws: true is a dark module.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::core {

class QrCode {
 public:
  static constexpr int kMaxVersion = 10;
  static constexpr std::size_t kMaxBytes = 213;

  // kInvalidArgument past kMaxBytes.
  static Result<QrCode> Encode(std::string_view bytes);

  int Version() const { return version_; }
  int Mask() const { return mask_; }
  int Size() const { return size_; }  // modules per side, without the quiet zone
  bool Dark(int x, int y) const { return modules_[Index(x, y)]; }

  // The 15 format bits for level M and `mask`, as placed (after the 0x5412 XOR).
  static std::uint32_t FormatBits(int mask);
  // The 18 version bits (versions 7 and up).
  static std::uint32_t VersionBits(int version);
  // Reed-Solomon error correction codewords of `data` (GF(256) over 0x11D).
  static std::vector<std::uint8_t> ErrorCorrection(const std::vector<std::uint8_t>& data,
                                                   int degree);

 private:
  std::size_t Index(int x, int y) const {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(size_) +
           static_cast<std::size_t>(x);
  }
  void Set(int x, int y, bool dark, bool function);
  void DrawFunctionPatterns();
  void DrawFormat(int mask);
  void PlaceData(const std::vector<std::uint8_t>& codewords);
  void ApplyMask(int mask);
  long Penalty() const;

  int version_ = 1;
  int mask_ = 0;
  int size_ = 21;
  std::vector<bool> modules_;
  std::vector<bool> function_;
};

}  // namespace corphub::core
