#include "callback/http_sender.hpp"

#include <curl/curl.h>

#include <mutex>

namespace corphub::callback {
namespace {

struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse* out = nullptr;
  bool truncated = false;
};

std::size_t Collect(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * n;
  const std::size_t room =
      HttpSender::kMaxBody - std::min(HttpSender::kMaxBody, t->out->body.size());
  if (bytes > room) {
    t->out->body.append(data, room);
    t->truncated = true;
    return bytes;  // the rest is dropped, the answer still counts
  }
  t->out->body.append(data, bytes);
  return bytes;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

class CurlSender final : public HttpSender {
 public:
  explicit CurlSender(long connections) : multi_(curl_multi_init()) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, connections);
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, connections * 4);
  }
  ~CurlSender() override {
    for (CURL* e : idle_) curl_easy_cleanup(e);
    curl_multi_cleanup(multi_);
  }

  std::vector<HttpResponse> Send(const std::vector<HttpRequest>& requests,
                                 std::chrono::milliseconds timeout) override {
    std::vector<HttpResponse> out(requests.size());
    std::vector<Transfer> transfers(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      Transfer& t = transfers[i];
      t.out = &out[i];
      t.easy = Easy();
      const HttpRequest& r = requests[i];
      curl_easy_setopt(t.easy, CURLOPT_URL, r.url.c_str());
      curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
      curl_easy_setopt(t.easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
      curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(t.easy, CURLOPT_FOLLOWLOCATION, 0L);
      curl_easy_setopt(t.easy, CURLOPT_PROTOCOLS_STR, "http,https");
      curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, &Collect);
      curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
      curl_easy_setopt(t.easy, CURLOPT_USERAGENT, "corphub-callback");
      for (const auto& h : r.headers) t.headers = curl_slist_append(t.headers, h.c_str());
      t.headers = curl_slist_append(t.headers, "Expect:");
      curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, t.headers);
      if (r.post) {
        curl_easy_setopt(t.easy, CURLOPT_POST, 1L);
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, r.body.data());
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(r.body.size()));
      } else {
        curl_easy_setopt(t.easy, CURLOPT_HTTPGET, 1L);
      }
      curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
      curl_multi_add_handle(multi_, t.easy);
    }
    int running = 0;
    do {
      curl_multi_perform(multi_, &running);
      if (running > 0) curl_multi_poll(multi_, nullptr, 0, 100, nullptr);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* t = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
        if (msg->data.result == CURLE_OK) {
          long code = 0;
          curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
          t->out->status = static_cast<int>(code);
        } else {
          t->out->error = curl_easy_strerror(msg->data.result);
        }
      }
    } while (running > 0);
    for (Transfer& t : transfers) {
      curl_multi_remove_handle(multi_, t.easy);
      curl_slist_free_all(t.headers);
      curl_easy_reset(t.easy);
      idle_.push_back(t.easy);
    }
    return out;
  }

 private:
  CURL* Easy() {
    if (!idle_.empty()) {
      CURL* e = idle_.back();
      idle_.pop_back();
      return e;
    }
    return curl_easy_init();
  }

  CURLM* multi_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::unique_ptr<HttpSender> MakeCurlSender(long connections) {
  GlobalInit();
  return std::make_unique<CurlSender>(connections);
}

}  // namespace corphub::callback
