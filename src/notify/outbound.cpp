#include "notify/outbound.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <optional>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/percent_decode.hpp"
#include "crypto/random.hpp"
#include "notify/mail_text.hpp"

namespace corphub::notify {
namespace {

using core::ErrorKind;
using core::MakeError;
namespace fs = std::filesystem;

void InitCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Easy {
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  char error[CURL_ERROR_SIZE] = {0};
  ~Easy() {
    if (list != nullptr) curl_slist_free_all(list);
    if (h != nullptr) curl_easy_cleanup(h);
  }
};

struct Upload {
  const std::string& data;
  std::size_t at = 0;
};

std::size_t ReadUpload(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  std::size_t take = std::min(size * n, u->data.size() - u->at);
  std::memcpy(buf, u->data.data() + u->at, take);
  u->at += take;
  return take;
}

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// One HTTP POST of `body`; `failure` is set when the server could not be reached (else the
// status is in `status`).
struct PostAnswer {
  long status = 0;
  std::optional<std::string> failure;
};

PostAnswer Post(const std::string& url, const std::string& content_type,
                const std::string& authorization, const std::string& body,
                std::chrono::seconds timeout) {
  Easy e;
  if (e.h == nullptr) return {0, "libcurl: out of memory"};
  e.list = curl_slist_append(e.list, ("Content-Type: " + content_type).c_str());
  if (!authorization.empty()) {
    e.list = curl_slist_append(e.list, ("Authorization: " + authorization).c_str());
  }
  curl_easy_setopt(e.h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e.h, CURLOPT_HTTPHEADER, e.list);
  curl_easy_setopt(e.h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(e.h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(e.h, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(e.h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e.h, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(e.h, CURLOPT_ERRORBUFFER, e.error);
  CURLcode rc = curl_easy_perform(e.h);
  if (rc != CURLE_OK) {
    return {0, e.error[0] != 0 ? std::string(e.error) : std::string(curl_easy_strerror(rc))};
  }
  PostAnswer out;
  curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

// Appends one JSON line to a file only the server's user can read.
class FileOutbox {
 public:
  explicit FileOutbox(fs::path file) : file_(std::move(file)) {}
  core::Status Append(const std::string& line) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
      return MakeError(ErrorKind::kDeliveryFailed, "cannot write " + file_.string());
    }
    std::string data = line + "\n";
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ::close(fd);
    if (!ok) return MakeError(ErrorKind::kDeliveryFailed, "cannot write " + file_.string());
    return core::Ok();
  }

 private:
  std::mutex mu_;
  fs::path file_;
};

std::int64_t NowSeconds() { return core::UnixSeconds(core::SystemClock().Now()); }

class FileMailer final : public Mailer {
 public:
  explicit FileMailer(fs::path file) : out_(std::move(file)) {}
  core::Status Send(const Mail& mail) override {
    return out_.Append(core::JsonObjectWriter()
                           .Int("at", NowSeconds())
                           .Str("to", mail.to)
                           .Str("subject", mail.subject)
                           .Str("text", mail.text)
                           .Done());
  }
  bool Enabled() const override { return true; }

 private:
  FileOutbox out_;
};

class FileSms final : public SmsSender {
 public:
  explicit FileSms(fs::path file) : out_(std::move(file)) {}
  core::Status Send(const Sms& sms) override {
    return out_.Append(core::JsonObjectWriter()
                           .Int("at", NowSeconds())
                           .Str("mobile", sms.mobile)
                           .Str("text", sms.text)
                           .Done());
  }
  bool Enabled() const override { return true; }

 private:
  FileOutbox out_;
};

class OffMailer final : public Mailer {
 public:
  core::Status Send(const Mail&) override {
    return MakeError(ErrorKind::kChannelUnavailable, "e-mail is not set up on this server");
  }
  bool Enabled() const override { return false; }
};

class OffSms final : public SmsSender {
 public:
  core::Status Send(const Sms&) override {
    return MakeError(ErrorKind::kChannelUnavailable, "SMS is not set up on this server");
  }
  bool Enabled() const override { return false; }
};

// The URL without user info or query, for error messages.
std::string Where(const std::string& url) {
  std::string u = url;
  if (auto q = u.find('?'); q != std::string::npos) u.resize(q);
  auto scheme = u.find("://");
  auto at = u.find('@', scheme == std::string::npos ? 0 : scheme);
  if (scheme != std::string::npos && at != std::string::npos) u.erase(scheme + 3, at - scheme - 2);
  return u;
}

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(MailOptions o, std::string sender) : o_(std::move(o)), sender_(std::move(sender)) {}

  core::Status Send(const Mail& mail) override {
    auto to = MailAddress(mail.to);
    if (!to) return MakeError(ErrorKind::kInvalidArgument, "not an e-mail address");
    Mail m = mail;
    m.to = *to;
    const std::string message =
        BuildMail(o_.from, m, core::SystemClock().Now(), crypto::RandomToken(24));
    Easy e;
    if (e.h == nullptr) return MakeError(ErrorKind::kDeliveryFailed, "libcurl: out of memory");
    Upload up{message};
    e.list = curl_slist_append(nullptr, ("<" + *to + ">").c_str());
    const std::string mail_from = "<" + sender_ + ">";
    curl_easy_setopt(e.h, CURLOPT_URL, o_.smtp_url.c_str());
    curl_easy_setopt(e.h, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(e.h, CURLOPT_MAIL_RCPT, e.list);
    curl_easy_setopt(e.h, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(e.h, CURLOPT_READDATA, &up);
    curl_easy_setopt(e.h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e.h, CURLOPT_TIMEOUT, static_cast<long>(o_.timeout.count()));
    curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o_.timeout.count()));
    curl_easy_setopt(e.h, CURLOPT_ERRORBUFFER, e.error);
    if (!o_.username.empty()) {
      curl_easy_setopt(e.h, CURLOPT_USERNAME, o_.username.c_str());
      curl_easy_setopt(e.h, CURLOPT_PASSWORD, o_.password.c_str());
    }
    long ssl = o_.starttls == "always"  ? CURLUSESSL_ALL
               : o_.starttls == "never" ? CURLUSESSL_NONE
                                        : CURLUSESSL_TRY;
    curl_easy_setopt(e.h, CURLOPT_USE_SSL, ssl);
    CURLcode rc = curl_easy_perform(e.h);
    if (rc != CURLE_OK) {
      return MakeError(ErrorKind::kDeliveryFailed,
                       "the mail server at " + Where(o_.smtp_url) + " did not take the message: " +
                           (e.error[0] != 0 ? std::string(e.error) : curl_easy_strerror(rc)));
    }
    return core::Ok();
  }
  bool Enabled() const override { return true; }

 private:
  MailOptions o_;
  std::string sender_;
};

class HttpSms final : public SmsSender {
 public:
  explicit HttpSms(SmsOptions o) : o_(std::move(o)) {}

  core::Status Send(const Sms& sms) override {
    const PostAnswer a =
        Post(o_.url, o_.content_type, o_.authorization, FillSmsBody(o_, sms), o_.timeout);
    if (a.failure) {
      return MakeError(ErrorKind::kDeliveryFailed, "the SMS gateway at " + Where(o_.url) +
                                                       " could not be reached: " + *a.failure);
    }
    if (a.status < 200 || a.status > 299) {
      return MakeError(
          ErrorKind::kDeliveryFailed,
          "the SMS gateway at " + Where(o_.url) + " answered HTTP " + std::to_string(a.status));
    }
    return core::Ok();
  }
  bool Enabled() const override { return true; }

 private:
  SmsOptions o_;
};

}  // namespace

std::string FillSmsBody(const SmsOptions& options, const Sms& sms) {
  const bool json = options.content_type.find("json") != std::string::npos;
  auto esc = [&](std::string_view v) {
    return json ? core::JsonEscape(v) : core::PercentEncode(v);
  };
  std::string out;
  std::string_view t = options.body;
  while (!t.empty()) {
    if (t.starts_with("{mobile}")) {
      out += esc(sms.mobile);
      t.remove_prefix(8);
    } else if (t.starts_with("{text}")) {
      out += esc(sms.text);
      t.remove_prefix(6);
    } else {
      out += t.front();
      t.remove_prefix(1);
    }
  }
  return out;
}

core::Result<std::unique_ptr<Mailer>> MakeMailer(const MailOptions& options,
                                                 const fs::path& outbox) {
  if (options.driver == "off") return std::unique_ptr<Mailer>(new OffMailer());
  if (options.driver == "file") return std::unique_ptr<Mailer>(new FileMailer(outbox / "mail.log"));
  if (options.driver != "smtp") {
    return MakeError(ErrorKind::kInvalidArgument, "mail.driver must be smtp, file or off");
  }
  if (!options.smtp_url.starts_with("smtp://") && !options.smtp_url.starts_with("smtps://")) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "mail.smtp_url must be smtp://host:port or smtps://host:port");
  }
  auto sender = MailAddress(options.from);
  if (!sender) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "mail.from must be an address, e.g. \"corphub <noreply@example.com>\"");
  }
  InitCurl();
  return std::unique_ptr<Mailer>(new SmtpMailer(options, *sender));
}

core::Result<std::unique_ptr<SmsSender>> MakeSmsSender(const SmsOptions& options,
                                                       const fs::path& outbox) {
  if (options.driver == "off") return std::unique_ptr<SmsSender>(new OffSms());
  if (options.driver == "file") return std::unique_ptr<SmsSender>(new FileSms(outbox / "sms.log"));
  if (options.driver != "http") {
    return MakeError(ErrorKind::kInvalidArgument, "sms.driver must be http, file or off");
  }
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    return MakeError(ErrorKind::kInvalidArgument, "sms.url must be an http:// or https:// URL");
  }
  InitCurl();
  return std::unique_ptr<SmsSender>(new HttpSms(options));
}

namespace {

class HttpAccountChecker final : public AccountChecker {
 public:
  explicit HttpAccountChecker(AccountCheckOptions o) : o_(std::move(o)) {}

  core::Result<bool> Check(std::string_view account, std::string_view password) override {
    const std::string body = "{\"account\":\"" + core::JsonEscape(account) + "\",\"password\":\"" +
                             core::JsonEscape(password) + "\"}";
    const PostAnswer a = Post(o_.url, "application/json", o_.authorization, body, o_.timeout);
    if (a.failure) {
      return MakeError(ErrorKind::kUnavailable, "the account service at " + Where(o_.url) +
                                                    " could not be reached: " + *a.failure);
    }
    if (a.status >= 200 && a.status <= 299) return true;
    if (a.status == 401 || a.status == 403) return false;
    return MakeError(ErrorKind::kUnavailable, "the account service at " + Where(o_.url) +
                                                  " answered HTTP " + std::to_string(a.status));
  }

 private:
  AccountCheckOptions o_;
};

}  // namespace

core::Result<std::unique_ptr<AccountChecker>> MakeAccountChecker(
    const AccountCheckOptions& options) {
  if (options.url.empty()) return std::unique_ptr<AccountChecker>();
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "identity.account_service_url must be an http:// or https:// URL");
  }
  InitCurl();
  return std::unique_ptr<AccountChecker>(new HttpAccountChecker(options));
}

}  // namespace corphub::notify
