#include "core/ip_range.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace corphub::core {
namespace {

// The address's bytes (4 or 16) and whether it is IPv4; IPv4-mapped IPv6 becomes IPv4.
bool ParseAddress(std::string_view text, bool& v4, std::array<std::uint8_t, 16>& out) {
  if (text.empty() || text.size() > 45) return false;
  const std::string s(text);
  out.fill(0);
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    std::memcpy(out.data(), &a4, 4);
    v4 = true;
    return true;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) != 1) return false;
  std::memcpy(out.data(), &a6, 16);
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(out.data(), kMapped, 12) == 0) {
    std::memmove(out.data(), out.data() + 12, 4);
    std::fill(out.begin() + 4, out.end(), 0);
    v4 = true;
    return true;
  }
  v4 = false;
  return true;
}

bool SamePrefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                int prefix) {
  int full = prefix / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(full)) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[static_cast<std::size_t>(full)] & mask) == (b[static_cast<std::size_t>(full)] & mask);
}

}  // namespace

std::optional<IpRange> IpRange::Parse(std::string_view text) {
  IpRange r;
  std::string_view address = text;
  std::optional<int> prefix;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view bits = text.substr(slash + 1);
    int n = -1;
    auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    if (bits.empty() || ec != std::errc() || p != bits.data() + bits.size()) return std::nullopt;
    prefix = n;
  }
  if (!ParseAddress(address, r.v4_, r.bytes_)) return std::nullopt;
  const int max = r.v4_ ? 32 : 128;
  if (prefix && (*prefix < 0 || *prefix > max)) return std::nullopt;
  r.prefix_ = prefix.value_or(max);
  // The host bits are cleared, so 10.1.2.3/8 is 10.0.0.0/8.
  for (int bit = r.prefix_; bit < max; ++bit) {
    r.bytes_[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  }
  return r;
}

bool IpRange::Contains(std::string_view address) const {
  bool v4 = true;
  std::array<std::uint8_t, 16> bytes{};
  if (!ParseAddress(address, v4, bytes) || v4 != v4_) return false;
  return SamePrefix(bytes, bytes_, prefix_);
}

std::string IpRange::Text() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4_ ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  std::string out(buf);
  if (prefix_ != (v4_ ? 32 : 128)) out += "/" + std::to_string(prefix_);
  return out;
}

Result<std::vector<IpRange>> ParseIpRanges(std::string_view text, std::size_t max_entries) {
  std::vector<IpRange> out;
  std::vector<std::string> seen;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\r\n,; \t", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = text.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) continue;
    auto range = IpRange::Parse(entry);
    if (!range) {
      return MakeError(ErrorKind::kInvalidArgument, "\"" + std::string(entry.substr(0, 64)) +
                                                        "\" is not an IP address or CIDR range");
    }
    std::string canonical = range->Text();
    if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) continue;
    seen.push_back(std::move(canonical));
    out.push_back(*range);
    if (out.size() > max_entries) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "an allowlist holds at most " + std::to_string(max_entries) + " entries");
    }
  }
  return out;
}

}  // namespace corphub::core
