#pragma once
// IPv4 and IPv6 addresses and CIDR ranges ("10.0.0.0/8", "192.168.1.5", "2001:db8::/32"), for
// allowlists. An IPv4-mapped IPv6 address (::ffff:10.0.0.1) counts as its IPv4 address.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::core {

class IpRange {
 public:
  // nullopt for anything but an address or address/prefix (with the host bits zero or not).
  static std::optional<IpRange> Parse(std::string_view text);
  bool Contains(std::string_view address) const;
  // Canonical text: "10.0.0.0/8", "192.168.1.5" (a single address without /32), "2001:db8::/32".
  std::string Text() const;

 private:
  bool v4_ = true;
  std::array<std::uint8_t, 16> bytes_{};
  int prefix_ = 32;
};

// An allowlist's entries from text: separated by line breaks, commas, semicolons or spaces;
// duplicates dropped, each in its canonical text. kInvalidArgument naming the first bad entry,
// or for more than `max_entries`.
Result<std::vector<IpRange>> ParseIpRanges(std::string_view text, std::size_t max_entries = 200);

}  // namespace corphub::core
