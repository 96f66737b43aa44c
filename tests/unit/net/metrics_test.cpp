#include "net/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace corphub::net {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool HasLine(const std::string& text, const std::string& line) {
  for (const auto& l : Lines(text)) {
    if (l == line) return true;
  }
  return false;
}

struct Bucket {
  double le;
  std::uint64_t count;
};

// The histogram buckets of one route, in the order rendered.
std::vector<Bucket> Buckets(const std::string& text, const std::string& route) {
  const std::string prefix =
      "corphub_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"";
  std::vector<Bucket> out;
  for (const auto& l : Lines(text)) {
    if (!l.starts_with(prefix)) continue;
    auto close = l.find("\"}", prefix.size());
    std::string le = l.substr(prefix.size(), close - prefix.size());
    out.push_back({le == "+Inf" ? INFINITY : std::stod(le), std::stoull(l.substr(close + 3))});
  }
  return out;
}

// The value of the sample line starting with `series` ("name{labels}").
std::string Sample(const std::string& text, const std::string& series) {
  for (const auto& l : Lines(text)) {
    if (l.starts_with(series + " ")) return l.substr(series.size() + 1);
  }
  return "";
}

TEST(MetricsTest, EmptyRegistryRendersTypesAndZeroConnections) {
  Metrics m;
  const std::string out = m.Render();
  EXPECT_TRUE(HasLine(out, "# TYPE corphub_http_requests_total counter")) << out;
  EXPECT_TRUE(HasLine(out, "# TYPE corphub_http_request_duration_seconds histogram")) << out;
  EXPECT_TRUE(HasLine(out, "# TYPE corphub_http_open_connections gauge")) << out;
  EXPECT_TRUE(HasLine(out, "corphub_http_open_connections 0")) << out;
  EXPECT_EQ(out.find("corphub_http_requests_total{"), std::string::npos) << out;
}

TEST(MetricsTest, CountsRequestsByRouteMethodAndStatus) {
  Metrics m;
  m.RecordRequest("/api/v1/items/{id}", "GET", 200, milliseconds{1});
  m.RecordRequest("/api/v1/items/{id}", "GET", 200, milliseconds{2});
  m.RecordRequest("/api/v1/items/{id}", "GET", 404, milliseconds{1});
  m.RecordRequest("/api/v1/items/{id}", "DELETE", 200, milliseconds{1});
  m.RecordRequest("/cgi-bin/*", "POST", 200, milliseconds{1});
  const std::string out = m.Render();
  EXPECT_TRUE(HasLine(
      out,
      R"(corphub_http_requests_total{route="/api/v1/items/{id}",method="GET",status="200"} 2)"))
      << out;
  EXPECT_TRUE(HasLine(
      out,
      R"(corphub_http_requests_total{route="/api/v1/items/{id}",method="GET",status="404"} 1)"))
      << out;
  EXPECT_TRUE(HasLine(
      out,
      R"(corphub_http_requests_total{route="/api/v1/items/{id}",method="DELETE",status="200"} 1)"))
      << out;
  EXPECT_TRUE(HasLine(
      out, R"(corphub_http_requests_total{route="/cgi-bin/*",method="POST",status="200"} 1)"))
      << out;
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndInfEqualsCount) {
  Metrics m;
  const std::string route = "/api/v1/items";
  m.RecordRequest(route, "GET", 200, std::chrono::microseconds{100});  // le 0.0005
  m.RecordRequest(route, "GET", 200, milliseconds{1});                 // exactly le 0.001
  m.RecordRequest(route, "GET", 200, milliseconds{30});                // le 0.05
  m.RecordRequest(route, "GET", 500, milliseconds{700});               // le 1
  m.RecordRequest(route, "GET", 200, std::chrono::seconds{9});         // only +Inf
  const std::string out = m.Render();
  const auto buckets = Buckets(out, route);
  ASSERT_EQ(buckets.size(), Metrics::kBuckets.size() + 1) << out;
  for (std::size_t i = 0; i < Metrics::kBuckets.size(); ++i) {
    EXPECT_DOUBLE_EQ(buckets[i].le, Metrics::kBuckets[i]) << i;
    if (i > 0) {
      EXPECT_GE(buckets[i].count, buckets[i - 1].count) << "not cumulative at " << i;
    }
  }
  EXPECT_TRUE(std::isinf(buckets.back().le));
  auto count_at = [&](double le) -> std::uint64_t {
    for (const auto& b : buckets) {
      if (b.le == le) return b.count;
    }
    ADD_FAILURE() << "no bucket le=" << le;
    return 0;
  };
  EXPECT_EQ(count_at(0.0005), 1u);
  EXPECT_EQ(count_at(0.001), 2u);
  EXPECT_EQ(count_at(0.025), 2u);
  EXPECT_EQ(count_at(0.05), 3u);
  EXPECT_EQ(count_at(0.5), 3u);
  EXPECT_EQ(count_at(1.0), 4u);
  EXPECT_EQ(count_at(5.0), 4u);
  EXPECT_EQ(buckets.back().count, 5u);

  const std::string count =
      Sample(out, "corphub_http_request_duration_seconds_count{route=\"" + route + "\"}");
  EXPECT_EQ(count, "5") << out;
  const std::string sum =
      Sample(out, "corphub_http_request_duration_seconds_sum{route=\"" + route + "\"}");
  ASSERT_FALSE(sum.empty()) << out;
  EXPECT_NEAR(std::stod(sum), 0.0001 + 0.001 + 0.030 + 0.700 + 9.0, 1e-9);
}

TEST(MetricsTest, HistogramsAreKeptPerRoute) {
  Metrics m;
  m.RecordRequest("/a", "GET", 200, milliseconds{1});
  m.RecordRequest("/b", "GET", 200, milliseconds{1});
  m.RecordRequest("/b", "POST", 201, milliseconds{1});
  const std::string out = m.Render();
  EXPECT_EQ(Buckets(out, "/a").back().count, 1u);
  EXPECT_EQ(Buckets(out, "/b").back().count, 2u);
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.RecordRequest("/odd\"route\\x", "GET", 200, milliseconds{1});
  const std::string out = m.Render();
  EXPECT_TRUE(HasLine(
      out, R"(corphub_http_requests_total{route="/odd\"route\\x",method="GET",status="200"} 1)"))
      << out;
}

TEST(MetricsTest, TracksOpenConnections) {
  Metrics m;
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();
  EXPECT_EQ(m.OpenConnections(), 2);
  EXPECT_TRUE(HasLine(m.Render(), "corphub_http_open_connections 2"));
}

TEST(MetricsTest, ProvidersAreAppendedAtEveryScrape) {
  Metrics m;
  int scrapes = 0;
  m.AddProvider([&](std::string& out) {
    ++scrapes;
    out += "# HELP corphub_db_pool_idle Idle connections.\n# TYPE corphub_db_pool_idle gauge\n";
    out += "corphub_db_pool_idle " + std::to_string(scrapes) + "\n";
  });
  m.AddProvider([](std::string& out) { out += "corphub_second 7\n"; });
  const std::string first = m.Render();
  EXPECT_TRUE(HasLine(first, "corphub_db_pool_idle 1")) << first;
  EXPECT_TRUE(HasLine(first, "corphub_second 7")) << first;
  EXPECT_LT(first.find("corphub_http_open_connections "), first.find("corphub_db_pool_idle 1"));
  EXPECT_LT(first.find("corphub_db_pool_idle 1"), first.find("corphub_second 7"));
  EXPECT_TRUE(first.ends_with("corphub_second 7\n"));
  EXPECT_TRUE(HasLine(m.Render(), "corphub_db_pool_idle 2"));
}

}  // namespace
}  // namespace corphub::net
