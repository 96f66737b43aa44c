#include "core/log.hpp"

#include <spdlog/async.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <mutex>
#include <optional>
#include <vector>

#include "core/percent_decode.hpp"

namespace corphub::core {
namespace {

// %* in a pattern: the message escaped for a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string escaped = JsonEscape(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

struct LogState {
  std::mutex mu;
  LogOptions options;
  bool set_up = false;
  std::vector<spdlog::sink_ptr> sinks;
};

LogState& State() {
  static LogState state;  // the process's log configuration, like spdlog's own registry
  return state;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(const std::string& format) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  if (format == "json") {
    f->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"%n","msg":"%*"})");
  } else {
    f->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  }
  return f;
}

constexpr std::array<std::string_view, 9> kSecretParams = {
    "access_token", "corpsecret", "secret", "password", "code", "token", "ticket", "key", "sig"};

}  // namespace

void SetUpLogging(const LogOptions& options) {
  auto& s = State();
  std::lock_guard lock(s.mu);
  spdlog::drop_all();
  s.options = options;
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(MakeFormatter(options.format));
  s.sinks = {sink};
  if (options.async && !spdlog::thread_pool()) spdlog::init_thread_pool(8192, 1);
  s.set_up = true;
}

void ShutDownLogging() {
  auto& s = State();
  std::lock_guard lock(s.mu);
  spdlog::shutdown();
  s.set_up = false;
  s.sinks.clear();
}

std::shared_ptr<spdlog::logger> Logger(const std::string& name) {
  if (auto existing = spdlog::get(name)) return existing;
  auto& s = State();
  std::lock_guard lock(s.mu);
  if (auto existing = spdlog::get(name)) return existing;
  if (!s.set_up) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_formatter(MakeFormatter("text"));
    s.sinks = {sink};
    s.options.async = false;
    s.set_up = true;
  }
  std::shared_ptr<spdlog::logger> logger;
  if (s.options.async && spdlog::thread_pool()) {
    // Overrun drops the oldest lines rather than blocking an I/O thread.
    logger = std::make_shared<spdlog::async_logger>(name, s.sinks.begin(), s.sinks.end(),
                                                    spdlog::thread_pool(),
                                                    spdlog::async_overflow_policy::overrun_oldest);
  } else {
    logger = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
  }
  logger->set_level(spdlog::level::from_str(s.options.level));
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  return logger;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string RedactTarget(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view query = target.substr(q + 1);
  bool first = true;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    auto key = PercentDecode(raw_key, true);  // the name as handlers will see it
    // A name we cannot read could be anything: keep only the path.
    if (!key) return std::string(target.substr(0, q));
    if (!first) out += '&';
    first = false;
    bool secret = false;
    for (auto s : kSecretParams) secret = secret || *key == s;
    if (secret && eq != std::string_view::npos) {
      out.append(raw_key).append("=***");
    } else {
      out.append(pair);
    }
  }
  return out;
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  AppendJsonEscaped(out, s);
  return out;
}

void AppendJsonEscaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out += "\\ufffd";  // not UTF-8: the replacement character keeps the JSON valid
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace corphub::core
