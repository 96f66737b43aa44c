#include "config/config.hpp"

#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <variant>

extern char** environ;  // NOLINT: POSIX

namespace corphub::config {
namespace {

using core::ErrorKind;
using Value = std::variant<std::string, std::int64_t, bool>;

enum class Type { kString, kInteger, kBoolean };

struct KeyDef {
  const char* section;
  const char* key;
  Type type;
  std::int64_t min = 0;  // for integers
  std::int64_t max = 0;
  std::vector<std::string> choices = {};  // for strings; empty: any
  std::function<void(Config&, const Value&)> set;
  std::function<Value(const Config&)> get;
};

template <class T>
std::function<void(Config&, const Value&)> Setter(T Config::*section, auto T::*field) {
  return [section, field](Config& c, const Value& v) {
    using F = std::remove_reference_t<decltype(c.*section.*field)>;
    if constexpr (std::is_same_v<F, std::string>) {
      c.*section.*field = std::get<std::string>(v);
    } else if constexpr (std::is_same_v<F, bool>) {
      c.*section.*field = std::get<bool>(v);
    } else {
      c.*section.*field = static_cast<F>(std::get<std::int64_t>(v));
    }
  };
}

template <class T>
std::function<Value(const Config&)> Getter(T Config::*section, auto T::*field) {
  return [section, field](const Config& c) -> Value {
    const auto& f = c.*section.*field;
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (std::is_same_v<F, std::string> || std::is_same_v<F, bool>) {
      return f;
    } else {
      return static_cast<std::int64_t>(f);
    }
  };
}

#define CORPHUB_KEY(sec, name, type, ...)                                               \
  KeyDef {                                                                              \
#sec, #name, type, __VA_ARGS__, Setter(&Config::sec, &decltype(Config::sec)::name), \
        Getter(&Config::sec, &decltype(Config::sec)::name)                              \
  }

const std::vector<KeyDef>& Table() {
  static const std::vector<KeyDef> table = {
      CORPHUB_KEY(server, listen, Type::kString, 0, 0, {}),
      CORPHUB_KEY(server, io_threads, Type::kInteger, 0, 64, {}),
      CORPHUB_KEY(server, worker_threads, Type::kInteger, 0, 256, {}),
      CORPHUB_KEY(server, data_dir, Type::kString, 0, 0, {}),
      CORPHUB_KEY(server, public_url, Type::kString, 0, 0, {}),
      CORPHUB_KEY(http, max_body_bytes, Type::kInteger, 1024, std::int64_t{1} << 34, {}),
      CORPHUB_KEY(http, max_inflight_body_bytes, Type::kInteger, 1024, std::int64_t{1} << 40, {}),
      CORPHUB_KEY(http, max_header_bytes, Type::kInteger, 1024, 1 << 20, {}),
      CORPHUB_KEY(http, read_timeout_s, Type::kInteger, 1, 3600, {}),
      CORPHUB_KEY(http, idle_timeout_s, Type::kInteger, 1, 86400, {}),
      CORPHUB_KEY(http, shutdown_grace_s, Type::kInteger, 0, 3600, {}),
      CORPHUB_KEY(http, max_connections, Type::kInteger, 1, 1000000, {}),
      CORPHUB_KEY(tls, cert_file, Type::kString, 0, 0, {}),
      CORPHUB_KEY(tls, key_file, Type::kString, 0, 0, {}),
      CORPHUB_KEY(storage, url, Type::kString, 0, 0, {}),
      CORPHUB_KEY(storage, sqlite_readers, Type::kInteger, 1, 64, {}),
      CORPHUB_KEY(storage, pool_size, Type::kInteger, 1, 1000, {}),
      CORPHUB_KEY(storage, busy_timeout_ms, Type::kInteger, 1, 600000, {}),
      CORPHUB_KEY(storage, connect_timeout_s, Type::kInteger, 1, 600, {}),
      CORPHUB_KEY(log, level, Type::kString, 0, 0,
                  {"trace", "debug", "info", "warn", "error", "off"}),
      CORPHUB_KEY(log, format, Type::kString, 0, 0, {"text", "json"}),
      CORPHUB_KEY(log, access_log, Type::kBoolean, 0, 0, {}),
      CORPHUB_KEY(web, dir, Type::kString, 0, 0, {}),
      CORPHUB_KEY(directory, max_members, Type::kInteger, 0, std::int64_t{1} << 40, {}),
      CORPHUB_KEY(api, corp_calls_per_minute, Type::kInteger, 1, std::int64_t{1} << 40, {}),
      CORPHUB_KEY(api, corp_calls_per_hour, Type::kInteger, 1, std::int64_t{1} << 40, {}),
      CORPHUB_KEY(api, ip_calls_per_minute, Type::kInteger, 1, std::int64_t{1} << 40, {}),
      CORPHUB_KEY(api, ip_calls_per_hour, Type::kInteger, 1, std::int64_t{1} << 40, {}),
      CORPHUB_KEY(api, max_concurrent_calls, Type::kInteger, 1, 1000000, {}),
      CORPHUB_KEY(api, member_messages_per_minute, Type::kInteger, 1, 1000000, {}),
      CORPHUB_KEY(api, member_messages_per_hour, Type::kInteger, 1, 100000000, {}),
      CORPHUB_KEY(stream, heartbeat_s, Type::kInteger, 1, 3600, {}),
      CORPHUB_KEY(stream, max_queue, Type::kInteger, 16, 1 << 20, {}),
      CORPHUB_KEY(callback, timeout_ms, Type::kInteger, 100, 60000, {}),
      CORPHUB_KEY(callback, retry_base_ms, Type::kInteger, 10, 3600000, {}),
      CORPHUB_KEY(callback, retry_max_ms, Type::kInteger, 10, 86400000, {}),
      CORPHUB_KEY(callback, max_attempts, Type::kInteger, 1, 100, {}),
      CORPHUB_KEY(callback, batch, Type::kInteger, 1, 10000, {}),
      CORPHUB_KEY(mail, driver, Type::kString, 0, 0, {"smtp", "file", "off"}),
      CORPHUB_KEY(mail, smtp_url, Type::kString, 0, 0, {}),
      CORPHUB_KEY(mail, username, Type::kString, 0, 0, {}),
      CORPHUB_KEY(mail, password, Type::kString, 0, 0, {}),
      CORPHUB_KEY(mail, from, Type::kString, 0, 0, {}),
      CORPHUB_KEY(mail, starttls, Type::kString, 0, 0, {"auto", "always", "never"}),
      CORPHUB_KEY(mail, timeout_s, Type::kInteger, 1, 600, {}),
      CORPHUB_KEY(sms, driver, Type::kString, 0, 0, {"http", "file", "off"}),
      CORPHUB_KEY(sms, url, Type::kString, 0, 0, {}),
      CORPHUB_KEY(sms, body, Type::kString, 0, 0, {}),
      CORPHUB_KEY(sms, content_type, Type::kString, 0, 0, {}),
      CORPHUB_KEY(sms, authorization, Type::kString, 0, 0, {}),
      CORPHUB_KEY(sms, timeout_s, Type::kInteger, 1, 600, {}),
      CORPHUB_KEY(identity, code_ttl_s, Type::kInteger, 60, 86400, {}),
      CORPHUB_KEY(identity, code_attempts, Type::kInteger, 1, 20, {}),
      CORPHUB_KEY(identity, code_interval_s, Type::kInteger, 0, 3600, {}),
      CORPHUB_KEY(identity, codes_per_day, Type::kInteger, 1, 1000, {}),
      CORPHUB_KEY(identity, requests_per_hour, Type::kInteger, 1, 1000000, {}),
      CORPHUB_KEY(identity, applications_per_hour, Type::kInteger, 1, 1000000, {}),
      CORPHUB_KEY(identity, account_service_url, Type::kString, 0, 0, {}),
      CORPHUB_KEY(identity, account_service_authorization, Type::kString, 0, 0, {}),
      CORPHUB_KEY(identity, account_service_label, Type::kString, 0, 0, {}),
      CORPHUB_KEY(testing, enabled, Type::kBoolean, 0, 0, {}),
  };
  return table;
}
#undef CORPHUB_KEY

const char* TypeName(Type t) {
  switch (t) {
    case Type::kString:
      return "string";
    case Type::kInteger:
      return "integer";
    case Type::kBoolean:
      return "boolean";
  }
  return "?";
}

core::Error Bad(std::string message) {
  return core::MakeError(ErrorKind::kInvalidArgument, "config: " + std::move(message));
}

std::string KnownKeys(std::string_view section) {
  std::string out;
  for (const auto& k : Table()) {
    if (section.empty() ? false : k.section != section) continue;
    if (!out.empty()) out += ", ";
    out += k.key;
  }
  return out;
}

std::string KnownSections() {
  std::string out;
  std::string last;
  for (const auto& k : Table()) {
    if (k.section == last) continue;
    last = k.section;
    if (!out.empty()) out += ", ";
    out += last;
  }
  return out;
}

const KeyDef* Find(std::string_view section, std::string_view key) {
  for (const auto& k : Table()) {
    if (k.section == section && k.key == key) return &k;
  }
  return nullptr;
}

bool SectionExists(std::string_view section) {
  return std::any_of(Table().begin(), Table().end(),
                     [&](const KeyDef& k) { return k.section == section; });
}

// Checks range and choices; `where` names the source ("server.listen in FILE").
core::Status Check(const KeyDef& def, const Value& v, const std::string& where) {
  if (def.type == Type::kInteger) {
    auto n = std::get<std::int64_t>(v);
    if (n < def.min || n > def.max) {
      return Bad(where + " is " + std::to_string(n) + ", must be between " +
                 std::to_string(def.min) + " and " + std::to_string(def.max));
    }
  }
  if (def.type == Type::kString && !def.choices.empty()) {
    const auto& s = std::get<std::string>(v);
    if (std::find(def.choices.begin(), def.choices.end(), s) == def.choices.end()) {
      std::string list;
      for (const auto& c : def.choices) list += (list.empty() ? "" : ", ") + c;
      return Bad(where + " is \"" + s + "\", must be one of: " + list);
    }
  }
  return core::Ok();
}

core::Result<Value> FromToml(const KeyDef& def, const toml::node& node, const std::string& where) {
  switch (def.type) {
    case Type::kString:
      if (auto s = node.value<std::string>(); s && node.is_string()) return Value{*s};
      break;
    case Type::kInteger:
      if (node.is_integer()) return Value{*node.value<std::int64_t>()};
      break;
    case Type::kBoolean:
      if (node.is_boolean()) return Value{*node.value<bool>()};
      break;
  }
  return Bad(where + " must be a " + TypeName(def.type));
}

core::Result<Value> FromText(const KeyDef& def, const std::string& text, const std::string& where) {
  switch (def.type) {
    case Type::kString:
      return Value{text};
    case Type::kInteger: {
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && p == text.data() + text.size() && !text.empty()) return Value{n};
      break;
    }
    case Type::kBoolean:
      if (text == "true" || text == "1") return Value{true};
      if (text == "false" || text == "0") return Value{false};
      break;
  }
  return Bad(where + " must be a " + TypeName(def.type) + ", got \"" + text + "\"");
}

core::Status ApplyFile(Config& c, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Bad(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
               std::string(e.description()));
  } catch (const std::exception& e) {
    return Bad("cannot read " + path + ": " + e.what());
  }
  for (const auto& [section_key, section_node] : root) {
    std::string section(section_key.str());
    const auto* table = section_node.as_table();
    if (!SectionExists(section) || table == nullptr) {
      return Bad("unknown section [" + section + "] in " + path + " (known: " + KnownSections() +
                 ")");
    }
    for (const auto& [key_key, node] : *table) {
      std::string key(key_key.str());
      const KeyDef* def = Find(section, key);
      std::string where = section + "." + key + " in " + path;
      if (def == nullptr) {
        return Bad("unknown key " + section + "." + key + " in " + path + " (known in [" + section +
                   "]: " + KnownKeys(section) + ")");
      }
      auto v = FromToml(*def, node, where);
      if (!v) return std::move(v).error();
      CORPHUB_TRY(Check(*def, *v, where));
      def->set(c, *v);
    }
  }
  return core::Ok();
}

core::Status ApplyEnv(Config& c, const std::map<std::string, std::string>& env) {
  constexpr std::string_view kPrefix = "CORPHUB_";
  for (const auto& [name, text] : env) {
    if (name.rfind(kPrefix, 0) != 0) continue;
    std::string rest = name.substr(kPrefix.size());
    auto us = rest.find('_');
    if (us == std::string::npos) continue;
    std::string section = rest.substr(0, us);
    std::string key = rest.substr(us + 1);
    std::transform(section.begin(), section.end(), section.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    // Variables of other tools (CORPHUB_BIN, CORPHUB_TEST_*) share the prefix; only a known
    // section makes a variable ours, and then its key must exist.
    if (!SectionExists(section)) continue;
    const KeyDef* def = Find(section, key);
    if (def == nullptr) {
      return Bad("unknown environment variable " + name + " (known in [" + section +
                 "]: " + KnownKeys(section) + ")");
    }
    auto v = FromText(*def, text, name);
    if (!v) return std::move(v).error();
    CORPHUB_TRY(Check(*def, *v, name));
    def->set(c, *v);
  }
  return core::Ok();
}

core::Status Validate(const Config& c) {
  auto listen = ParseListen(c.server.listen);
  if (!listen) return Bad("server.listen: " + listen.error().message);
  if (c.server.data_dir.empty()) return Bad("server.data_dir must not be empty");
  if (c.tls.cert_file.empty() != c.tls.key_file.empty()) {
    return Bad("tls.cert_file and tls.key_file must be set together");
  }
  if (c.http.max_inflight_body_bytes < c.http.max_body_bytes) {
    return Bad("http.max_inflight_body_bytes must be at least http.max_body_bytes");
  }
  return core::Ok();
}

std::string TomlText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    // A literal string when the value holds quotes (the SMS body template); no default holds both.
    if (s->find('"') != std::string::npos) return "'" + *s + "'";
    return "\"" + *s + "\"";
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return std::to_string(std::get<std::int64_t>(v));
}

}  // namespace

core::Result<HostPort> ParseListen(const std::string& listen) {
  std::string host;
  std::string port_text;
  if (!listen.empty() && listen.front() == '[') {
    auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return core::MakeError(ErrorKind::kInvalidArgument,
                             "\"" + listen + "\" is not HOST:PORT (IPv6 as [::1]:8080)");
    }
    host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || listen.find(':') != colon) {
      return core::MakeError(ErrorKind::kInvalidArgument,
                             "\"" + listen + "\" is not HOST:PORT (IPv6 as [::1]:8080)");
    }
    host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
  }
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (host.empty() || port_text.empty() || ec != std::errc() ||
      p != port_text.data() + port_text.size() || port > 65535) {
    return core::MakeError(ErrorKind::kInvalidArgument,
                           "\"" + listen + "\" is not HOST:PORT with a port from 0 to 65535");
  }
  return HostPort{host, static_cast<unsigned short>(port)};
}

core::Result<Config> Load(const LoadOptions& options) {
  Config c;
  if (options.file) CORPHUB_TRY(ApplyFile(c, *options.file));
  CORPHUB_TRY(ApplyEnv(c, options.env));
  if (options.listen_override) c.server.listen = *options.listen_override;
  if (options.data_override) c.server.data_dir = *options.data_override;
  CORPHUB_TRY(Validate(c));
  return c;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("CORPHUB_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

std::vector<KeyInfo> Keys() {
  std::vector<KeyInfo> out;
  Config defaults;
  for (const auto& k : Table()) {
    out.push_back({k.section, k.key, TypeName(k.type), TomlText(k.get(defaults))});
  }
  return out;
}

}  // namespace corphub::config
