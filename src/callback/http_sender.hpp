#pragma once
// HTTP requests to receivers (callback URLs), many at once: libcurl's multi interface with its
// connection cache, so a receiver's keep-alive connections are reused across batches. One
// thread at a time per sender.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace corphub::callback {

struct HttpRequest {
  std::string url;
  bool post = false;
  std::string body;                  // POST's
  std::vector<std::string> headers;  // "Name: value"
};

struct HttpResponse {
  int status = 0;     // 0 when there was no HTTP answer
  std::string body;   // at most kMaxBody bytes
  std::string error;  // why there was no answer (timeout, refused, ...)
};

class HttpSender {
 public:
  static constexpr std::size_t kMaxBody = 1 << 20;
  virtual ~HttpSender() = default;
  // One response per request, in order; each request waits at most `timeout`.
  virtual std::vector<HttpResponse> Send(const std::vector<HttpRequest>& requests,
                                         std::chrono::milliseconds timeout) = 0;
};

// The libcurl one; at most `connections` connections to one host at a time.
std::unique_ptr<HttpSender> MakeCurlSender(long connections = 32);

}  // namespace corphub::callback
