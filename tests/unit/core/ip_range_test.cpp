#include "core/ip_range.hpp"

#include <gtest/gtest.h>

namespace corphub::core {
namespace {

TEST(IpRangeTest, MatchesAddressesInsideTheRange) {
  auto net = IpRange::Parse("10.1.2.3/8");
  ASSERT_TRUE(net);
  EXPECT_EQ(net->Text(), "10.0.0.0/8") << "host bits are cleared";
  EXPECT_TRUE(net->Contains("10.255.0.1"));
  EXPECT_FALSE(net->Contains("11.0.0.1"));
  EXPECT_TRUE(net->Contains("::ffff:10.9.9.9")) << "IPv4-mapped IPv6 is its IPv4 address";
  EXPECT_FALSE(net->Contains("not an address"));

  auto one = IpRange::Parse("192.168.1.5");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->Text(), "192.168.1.5");
  EXPECT_TRUE(one->Contains("192.168.1.5"));
  EXPECT_FALSE(one->Contains("192.168.1.6"));

  auto odd = IpRange::Parse("172.16.0.0/12");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->Contains("172.31.255.255"));
  EXPECT_FALSE(odd->Contains("172.32.0.0"));

  auto v6 = IpRange::Parse("2001:DB8::/32");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->Text(), "2001:db8::/32");
  EXPECT_TRUE(v6->Contains("2001:db8:1::7"));
  EXPECT_FALSE(v6->Contains("2001:db9::1"));
  EXPECT_FALSE(v6->Contains("10.0.0.1"));
  auto all = IpRange::Parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->Contains("8.8.8.8"));
  EXPECT_FALSE(all->Contains("::1")) << "an IPv4 range holds no IPv6 address";
}

TEST(IpRangeTest, RefusesWhatIsNotAnAddressOrRange) {
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1",
                          "10.0.0.1/8x", "::1/129", "example.com", "1.2.3.4 ", "*"}) {
    EXPECT_FALSE(IpRange::Parse(bad)) << bad;
  }
}

TEST(IpRangeTest, AnAllowlistIsReadFromAnySeparatorWithoutDuplicates) {
  auto list = ParseIpRanges("10.0.0.0/8, 192.168.1.5\n192.168.1.5;2001:db8::1\t10.1.0.0/8\r\n");
  ASSERT_TRUE(list.ok()) << list.error().message;
  std::vector<std::string> texts;
  for (const auto& r : *list) texts.push_back(r.Text());
  EXPECT_EQ(texts, (std::vector<std::string>{"10.0.0.0/8", "192.168.1.5", "2001:db8::1"}));
  EXPECT_TRUE(ParseIpRanges("").ok());
  EXPECT_TRUE(ParseIpRanges("")->empty());
  auto bad = ParseIpRanges("10.0.0.1, nope");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("nope"), std::string::npos);
  EXPECT_FALSE(ParseIpRanges("1.1.1.1 1.1.1.2 1.1.1.3", 2).ok());
}

}  // namespace
}  // namespace corphub::core
