#include "net/metrics.hpp"

#include <fmt/format.h>

namespace corphub::net {
namespace {

std::string Label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::RecordRequest(const std::string& route, const std::string& method, int status,
                            std::chrono::nanoseconds elapsed) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::AddProvider(std::function<void(std::string&)> provider) {
  std::lock_guard lock(mu_);
  providers_.push_back(std::move(provider));
}

std::string Metrics::Render() const {
  std::string out;
  std::vector<std::function<void(std::string&)>> providers;
  {
    std::lock_guard lock(mu_);
    out += "# HELP corphub_http_requests_total HTTP requests answered, by route pattern.\n";
    out += "# TYPE corphub_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out += fmt::format(
          "corphub_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
          Label(route), Label(method), status, n);
    }
    out +=
        "# HELP corphub_http_request_duration_seconds Time from request header read to response "
        "ready.\n";
    out += "# TYPE corphub_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      std::string r = Label(route);
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        out += fmt::format(
            "corphub_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r,
            kBuckets[i], h.buckets[i]);
      }
      out += fmt::format(
          "corphub_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r,
          h.count);
      out +=
          fmt::format("corphub_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
      out += fmt::format("corphub_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r,
                         h.count);
    }
    providers = providers_;
  }
  out += "# HELP corphub_http_open_connections Client connections open now.\n";
  out += "# TYPE corphub_http_open_connections gauge\n";
  out += fmt::format("corphub_http_open_connections {}\n", OpenConnections());
  for (const auto& p : providers) p(out);
  return out;
}

}  // namespace corphub::net
