#pragma once
// What a PostgreSQL connection string says, in a form safe for messages and logs.
#include <optional>
#include <string>
#include <string_view>

namespace corphub::storage::postgres {

// host:port/dbname as user; never the password.
struct Target {
  std::string host;
  std::string port;
  std::string dbname;
  std::string user;

  std::string ToString() const;
};

struct Conninfo {
  Target target;         // as written; empty fields are libpq's defaults
  std::string password;  // only for redacting messages; never printed
};

// Parses a postgresql:// URI or a keyword string with PQconninfoParse. nullopt when malformed
// (libpq's own message for that can quote the password, so callers must not ask for it).
std::optional<Conninfo> ParseConninfo(const std::string& conninfo);

// Masks every occurrence of `secret` in `text`.
std::string Redact(std::string text, std::string_view secret);

// libpq's multi-line messages ("...failed: Connection refused\n\tIs the server running...")
// as one line without the trailing newline.
std::string OneLine(std::string_view message);

}  // namespace corphub::storage::postgres
