#include "storage/postgres/placeholders.hpp"

#include <cctype>

namespace corphub::storage::postgres {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// Index just past the literal quoted by `quote` that opens at `i`; a doubled quote is an
// escaped quote, and in E'' strings so is a backslash.
std::size_t SkipQuoted(std::string_view s, std::size_t i, char quote, bool backslash_escapes) {
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    if (backslash_escapes && s[j] == '\\') {
      ++j;
    } else if (s[j] == quote) {
      if (j + 1 < s.size() && s[j + 1] == quote) {
        ++j;
      } else {
        return j + 1;
      }
    }
  }
  return s.size();
}

// If a dollar quote ($$ or $tag$) opens at `i`, the index past its closing tag; else npos.
std::size_t SkipDollarQuoted(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  while (j < s.size() && s[j] != '$') {
    char c = s[j];
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'))
      return std::string_view::npos;
    if (j == i + 1 && std::isdigit(static_cast<unsigned char>(c)) != 0) {
      return std::string_view::npos;  // $1 is a parameter, not a tag
    }
    ++j;
  }
  if (j >= s.size()) return std::string_view::npos;
  std::string_view tag = s.substr(i, j - i + 1);
  std::size_t close = s.find(tag, j + 1);
  return close == std::string_view::npos ? s.size() : close + tag.size();
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    std::size_t end = i + 1;
    if (c == '\'') {
      bool escapes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      end = SkipQuoted(sql, i, '\'', escapes);
    } else if (c == '"') {
      end = SkipQuoted(sql, i, '"', false);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t nl = sql.find('\n', i);
      end = nl == std::string_view::npos ? sql.size() : nl;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t close = sql.find("*/", i + 2);
      end = close == std::string_view::npos ? sql.size() : close + 2;
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      std::size_t past = SkipDollarQuoted(sql, i);
      if (past != std::string_view::npos) end = past;
    } else if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.placeholders);
      i = end;
      continue;
    }
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace corphub::storage::postgres
