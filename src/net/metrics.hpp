#pragma once
// Prometheus text exposition for the HTTP layer: requests by route, method and status, a latency
// histogram, open connections, plus gauges other parts of the app provide (database pool).
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace corphub::net {

class Metrics {
 public:
  // Seconds; the histogram's upper bounds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void RecordRequest(const std::string& route, const std::string& method, int status,
                     std::chrono::nanoseconds elapsed);
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  long OpenConnections() const { return open_connections_.load(std::memory_order_relaxed); }

  // A provider appends complete Prometheus lines (with # HELP/# TYPE) at scrape time.
  void AddProvider(std::function<void(std::string&)> provider);

  std::string Render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  std::atomic<long> open_connections_{0};
  std::vector<std::function<void(std::string&)>> providers_;
};

}  // namespace corphub::net
