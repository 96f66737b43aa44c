#include <gtest/gtest.h>

#include <string>

#include "config/config.hpp"

namespace corphub::config {
namespace {

TEST(ParseListenTest, AcceptsHostAndPort) {
  auto hp = ParseListen("0.0.0.0:8080");
  ASSERT_TRUE(hp.ok()) << hp.error().message;
  EXPECT_EQ(hp->host, "0.0.0.0");
  EXPECT_EQ(hp->port, 8080);
}

TEST(ParseListenTest, AcceptsBracketedIpv6AndPortZero) {
  auto hp = ParseListen("[::1]:0");
  ASSERT_TRUE(hp.ok()) << hp.error().message;
  EXPECT_EQ(hp->host, "::1");
  EXPECT_EQ(hp->port, 0);
}

TEST(ParseListenTest, AcceptsNamesAndTheHighestPort) {
  auto hp = ParseListen("localhost:80");
  ASSERT_TRUE(hp.ok()) << hp.error().message;
  EXPECT_EQ(hp->host, "localhost");
  EXPECT_EQ(hp->port, 80);

  auto top = ParseListen("127.0.0.1:65535");
  ASSERT_TRUE(top.ok()) << top.error().message;
  EXPECT_EQ(top->port, 65535);
}

TEST(ParseListenTest, RefusesMalformedAddresses) {
  for (const std::string bad :
       {"8080", "host:", ":8080", "host:99999", "host:65536", "::1:80", "host:-1", "host:80x",
        "host:+80", "[::1]", "[::1]80", "[::1:80", "[]:80", "", "host: 80"}) {
    auto hp = ParseListen(bad);
    EXPECT_FALSE(hp.ok()) << "accepted \"" << bad << "\"";
    if (!hp.ok()) {
      EXPECT_EQ(hp.error().kind, core::ErrorKind::kInvalidArgument) << bad;
      EXPECT_NE(hp.error().message.find(bad), std::string::npos) << hp.error().message;
    }
  }
}

}  // namespace
}  // namespace corphub::config
