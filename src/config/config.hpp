#pragma once
// Typed configuration: TOML file, then CORPHUB_<SECTION>_<KEY> environment variables, then
// command-line flags. Every key is in the table in config.cpp with its default; unknown
// keys, wrong types and out-of-range values are refused with one line naming the key.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace corphub::config {

struct ServerConfig {
  std::string listen = "0.0.0.0:8080";
  int io_threads = 0;      // 0: one per core, at most 4
  int worker_threads = 0;  // 0: four per core, at least 4
  std::string data_dir = "./data";
  std::string public_url;  // how members and systems reach us; empty: derived from listen
};

struct HttpConfig {
  std::int64_t max_body_bytes = 24 << 20;  // media/upload takes files up to 20 MB
  std::int64_t max_inflight_body_bytes = 256 << 20;
  int max_header_bytes = 16 << 10;
  int read_timeout_s = 30;
  int idle_timeout_s = 75;
  int shutdown_grace_s = 15;
  int max_connections = 10000;
};

struct TlsConfig {
  std::string cert_file;
  std::string key_file;
  bool Enabled() const { return !cert_file.empty(); }
};

struct StorageConfig {
  std::string url;  // empty: SQLite at <data_dir>/corphub.db
  int sqlite_readers = 4;
  int pool_size = 8;
  int busy_timeout_ms = 5000;
  int connect_timeout_s = 5;
};

struct LogConfig {
  std::string level = "info";
  std::string format = "text";
  bool access_log = true;
};

struct WebConfig {
  std::string dir;  // empty: web/dist beside the working directory or the binary
};

struct DirectoryConfig {
  std::int64_t max_members = 0;  // 0: no cap; past it user/create answers 45024
};

// /cgi-bin's frequency limits, WeCom's figures by default (45009 past them, 45033 past the
// concurrency cap), and the per-member message caps of an app (the excess is dropped quietly).
struct ApiConfig {
  std::int64_t corp_calls_per_minute = 10000;  // per organisation and API
  std::int64_t corp_calls_per_hour = 150000;
  std::int64_t ip_calls_per_minute = 20000;  // per caller address and API
  std::int64_t ip_calls_per_hour = 600000;
  std::int64_t max_concurrent_calls = 200;       // one secret's calls at the same time
  std::int64_t member_messages_per_minute = 30;  // what one app sends one member
  std::int64_t member_messages_per_hour = 1000;
};

// The member client's WebSocket (/api/v1/stream).
struct StreamConfig {
  int heartbeat_s = 25;  // a heartbeat after this long without a write
  int max_queue = 1024;  // events waiting on one connection before it is closed as lagging
};

// Deliveries to apps' callback URLs (callback::Deliverer).
struct CallbackDeliveryConfig {
  int timeout_ms = 5000;      // a receiver answers within this, or the attempt failed
  int retry_base_ms = 1000;   // the first retry after this, then twice as long each time
  int retry_max_ms = 600000;  // but never longer than this
  int max_attempts = 15;      // then the delivery is failed (the console can retry it)
  int batch = 256;            // deliveries sent at once
};

// Outgoing e-mail: invitations and one-time codes (notify::MailOptions).
struct MailConfig {
  std::string driver = "file";  // smtp, file (<data_dir>/outbox/mail.log) or off
  std::string smtp_url;
  std::string username;
  std::string password;
  std::string from;
  std::string starttls = "auto";
  int timeout_s = 10;
};

// Outgoing SMS through an HTTP gateway (notify::SmsOptions).
struct SmsConfig {
  std::string driver = "file";  // http, file (<data_dir>/outbox/sms.log) or off
  std::string url;
  std::string body = R"({"mobile":"{mobile}","text":"{text}"})";
  std::string content_type = "application/json";
  std::string authorization;
  int timeout_s = 10;
};

// Members' one-time codes.
struct IdentityConfig {
  int code_ttl_s = 600;            // a code works this long
  int code_attempts = 5;           // wrong codes before it stops working
  int code_interval_s = 60;        // one code per member this often
  int codes_per_day = 10;          // codes per member in 24 hours
  int requests_per_hour = 30;      // code requests and wrong codes from one address in an hour
  int applications_per_hour = 20;  // open-registration applications from one address in an hour
  // The organisation's account service, where members prove their external account id
  // (POST {"account","password"}: 2xx a match, 401/403 a refusal). Empty: none.
  std::string account_service_url;
  std::string account_service_authorization;  // an Authorization header value
  std::string account_service_label;  // its name on the sign-in page, e.g. 统一身份认证
};

struct TestingConfig {
  bool enabled = false;
};

struct Config {
  ServerConfig server;
  HttpConfig http;
  TlsConfig tls;
  StorageConfig storage;
  LogConfig log;
  WebConfig web;
  DirectoryConfig directory;
  ApiConfig api;
  StreamConfig stream;
  CallbackDeliveryConfig callback;
  MailConfig mail;
  SmsConfig sms;
  IdentityConfig identity;
  TestingConfig testing;
};

struct LoadOptions {
  std::optional<std::string> file;             // --config
  std::map<std::string, std::string> env;      // the process environment (only CORPHUB_*)
  std::optional<std::string> listen_override;  // --listen
  std::optional<std::string> data_override;    // --data
};

// kInvalidArgument with a one-line message ("config: ...") on any problem.
core::Result<Config> Load(const LoadOptions& options);

// The CORPHUB_* variables of this process.
std::map<std::string, std::string> ProcessEnvironment();

// One documented key, as the example file and `check-config` list them.
struct KeyInfo {
  std::string section;
  std::string key;
  std::string type;           // "string", "integer" or "boolean"
  std::string default_value;  // as it is written in TOML
};
std::vector<KeyInfo> Keys();

struct HostPort {
  std::string host;
  unsigned short port = 0;
};
// "0.0.0.0:8080", "[::1]:0", "localhost:80".
core::Result<HostPort> ParseListen(const std::string& listen);

}  // namespace corphub::config
