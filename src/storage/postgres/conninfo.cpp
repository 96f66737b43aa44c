#include "storage/postgres/conninfo.hpp"

#include <postgresql/libpq-fe.h>

namespace corphub::storage::postgres {

std::string Target::ToString() const {
  std::string out = host.empty() ? "localhost" : host;
  out += ':';
  out += port.empty() ? "5432" : port;
  out += '/';
  out += dbname.empty() ? (user.empty() ? "(default database)" : user) : dbname;
  out += " as ";
  out += user.empty() ? "(default user)" : user;
  return out;
}

std::optional<Conninfo> ParseConninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return std::nullopt;
  }
  Conninfo out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string_view key = o->keyword;
    if (key == "host") {
      out.target.host = o->val;
    } else if (key == "hostaddr" && out.target.host.empty()) {
      out.target.host = o->val;
    } else if (key == "port") {
      out.target.port = o->val;
    } else if (key == "dbname") {
      out.target.dbname = o->val;
    } else if (key == "user") {
      out.target.user = o->val;
    } else if (key == "password") {
      out.password = o->val;
    }
  }
  PQconninfoFree(options);
  return out;
}

std::string Redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string OneLine(std::string_view message) {
  std::string out;
  bool space = false;
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace corphub::storage::postgres
