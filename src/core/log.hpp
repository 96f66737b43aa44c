#pragma once
// Named loggers ("app", "http", "access", "storage") over spdlog. Messages never carry secrets:
// log paths, not query strings (RedactTarget), and never bodies.
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

namespace corphub::core {

struct LogOptions {
  std::string level = "info";   // trace, debug, info, warn, error, off
  std::string format = "text";  // text or json (one JSON object a line)
  bool async = true;            // write from a background thread, off the I/O threads
};

// Sets up the sinks once per process; loggers made afterwards share them.
void SetUpLogging(const LogOptions& options);
// Flushes and drops every logger (end of process, or between tests).
void ShutDownLogging();

// The logger of that name, created with the shared sinks on first use.
std::shared_ptr<spdlog::logger> Logger(const std::string& name);

// "/cgi-bin/gettoken?corpid=x&corpsecret=y" -> "/cgi-bin/gettoken?corpid=x&corpsecret=***":
// values of parameters that can hold a secret are masked; a malformed target is cut at '?'.
std::string RedactTarget(std::string_view target);

// Escapes a string for a JSON string literal (used by the json log format and its tests).
std::string JsonEscape(std::string_view s);
// The same, appended to `out` (for writers that build long JSON texts).
void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace corphub::core
