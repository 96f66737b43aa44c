#pragma once
// E-mail and SMS to members: invitations and one-time codes. Every Send blocks (network or
// disk), so callers run it on the worker pool. Nothing here logs a message's text: it may
// hold a code.
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.hpp"

namespace corphub::notify {

struct Mail {
  std::string to;       // one address
  std::string subject;  // UTF-8
  std::string text;     // UTF-8 plain text
};

struct Sms {
  std::string mobile;
  std::string text;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // kChannelUnavailable when mail is off; kDeliveryFailed when the server refused or could
  // not be reached.
  virtual core::Status Send(const Mail& mail) = 0;
  virtual bool Enabled() const = 0;
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  virtual core::Status Send(const Sms& sms) = 0;
  virtual bool Enabled() const = 0;
};

struct MailOptions {
  std::string driver = "file";  // "smtp", "file" or "off"
  std::string smtp_url;         // smtp://host:587 or smtps://host:465
  std::string username;
  std::string password;
  std::string from;               // "corphub <noreply@example.com>" or a bare address
  std::string starttls = "auto";  // "auto" (when offered), "always" or "never"
  std::chrono::seconds timeout{10};
};

struct SmsOptions {
  std::string driver = "file";  // "http", "file" or "off"
  std::string url;
  // The request body; {mobile} and {text} are replaced, JSON-escaped when content_type is
  // JSON, else percent-encoded.
  std::string body = R"({"mobile":"{mobile}","text":"{text}"})";
  std::string content_type = "application/json";
  std::string authorization;  // an Authorization header value; empty: none
  std::chrono::seconds timeout{10};
};

// The organisation's own account service (a campus or company single sign-on with a REST
// check): corphub posts {"account", "password"} as JSON and reads the status: 2xx is a match,
// 401 or 403 a refusal, anything else the service being unavailable.
class AccountChecker {
 public:
  virtual ~AccountChecker() = default;
  // true on a match; kUnavailable when the service cannot say. Blocking.
  virtual core::Result<bool> Check(std::string_view account, std::string_view password) = 0;
};

struct AccountCheckOptions {
  std::string url;            // empty: no account service
  std::string authorization;  // an Authorization header value; empty: none
  std::chrono::seconds timeout{10};
};

// nullptr when no URL is set; kInvalidArgument for a URL that is not http(s).
core::Result<std::unique_ptr<AccountChecker>> MakeAccountChecker(
    const AccountCheckOptions& options);

// `outbox` is the directory the file drivers append to (mail.log, sms.log; mode 0600).
// kInvalidArgument for an unknown driver or a missing URL or sender.
core::Result<std::unique_ptr<Mailer>> MakeMailer(const MailOptions& options,
                                                 const std::filesystem::path& outbox);
core::Result<std::unique_ptr<SmsSender>> MakeSmsSender(const SmsOptions& options,
                                                       const std::filesystem::path& outbox);

// The body of an SMS gateway request: the template with {mobile} and {text} filled in.
std::string FillSmsBody(const SmsOptions& options, const Sms& sms);

}  // namespace corphub::notify
