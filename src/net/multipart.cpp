#include "net/multipart.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

#include "core/csv.hpp"
#include "core/percent_decode.hpp"

namespace corphub::net {
namespace {

constexpr std::size_t kMaxBoundary = 70;      // RFC 2046 §5.1.1
constexpr std::size_t kMaxHeaderLine = 8192;  // 8 KiB

core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorKind::kInvalidArgument, std::move(message));
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

bool IsLwsp(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsLwsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsLwsp(s.back())) s.remove_suffix(1);
  return s;
}

struct Param {
  std::string_view name;  // as written; compare with IEquals
  std::string value;      // quoted-string escapes undone
};

// `type; a=b; c="d"` as found in Content-Type and Content-Disposition.
struct HeaderValue {
  std::string_view type;
  std::vector<Param> params;

  const std::string* Find(std::string_view name) const {
    for (const Param& p : params) {
      if (IEquals(p.name, name)) return &p.value;
    }
    return nullptr;
  }
};

// A quoted-string starting at s[pos] == '"'; pos ends past the closing quote. Only the escapes
// `\"` and `\\` are undone: Go writes both, while browsers and Python send other backslashes raw
// (and `"` as %22), so `C:\x` keeps its backslash. nullopt when the closing quote is missing.
std::optional<std::string> ReadQuoted(std::string_view s, std::size_t& pos) {
  std::string out;
  for (++pos; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c == '\\' && pos + 1 < s.size() && (s[pos + 1] == '"' || s[pos + 1] == '\\')) ++pos;
    out += s[pos];
  }
  return std::nullopt;
}

std::optional<HeaderValue> ParseHeaderValue(std::string_view value) {
  HeaderValue out;
  std::size_t pos = value.find(';');
  out.type = Trim(value.substr(0, pos));
  while (pos < value.size()) {
    ++pos;  // past ';'
    const std::size_t eq = value.find_first_of("=;", pos);
    if (eq == std::string_view::npos || value[eq] == ';') {  // a bare word: ignored
      pos = eq;
      continue;
    }
    Param param{Trim(value.substr(pos, eq - pos)), {}};
    pos = eq + 1;
    while (pos < value.size() && IsLwsp(value[pos])) ++pos;
    if (pos < value.size() && value[pos] == '"') {
      auto quoted = ReadQuoted(value, pos);
      if (!quoted) return std::nullopt;
      param.value = std::move(*quoted);
      pos = value.find(';', pos);  // anything between the quote and ';' is noise
    } else {
      const std::size_t end = value.find(';', pos);
      param.value = std::string(Trim(value.substr(pos, end - pos)));
      pos = end;
    }
    out.params.push_back(std::move(param));
  }
  return out;
}

// RFC 5987 ext-value `charset'lang'%XX...`; only UTF-8 is taken, so that the result is the
// UTF-8 name promised, else the caller falls back to plain filename=.
std::optional<std::string> DecodeExtValue(std::string_view ext) {
  const std::size_t q1 = ext.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  const std::size_t q2 = ext.find('\'', q1 + 1);
  if (q2 == std::string_view::npos || !IEquals(ext.substr(0, q1), "UTF-8")) return std::nullopt;
  auto bytes = core::PercentDecode(ext.substr(q2 + 1));
  if (!bytes) return std::nullopt;
  auto text = core::DecodeText(*bytes);
  if (!text.ok() || text->from != core::TextEncoding::kUtf8) return std::nullopt;
  return std::move(text->utf8);
}

core::Status ApplyDisposition(std::string_view value, MultipartPart& part) {
  auto parsed = ParseHeaderValue(value);
  if (!parsed) return Invalid("a Content-Disposition with an unterminated quote");
  const std::string* name = parsed->Find("name");
  if (name == nullptr) return Invalid("a part without a field name");
  part.name = *name;
  if (const std::string* ext = parsed->Find("filename*")) part.filename = DecodeExtValue(*ext);
  if (!part.filename) {
    const std::string* plain = parsed->Find("filename");
    if (plain == nullptr) return core::Ok();
    // Raw bytes are UTF-8 from every current client; older Chinese Windows software sends GBK.
    auto text = core::DecodeText(*plain);
    if (!text.ok()) return Invalid("a file name that is neither UTF-8 nor GBK text");
    part.filename = std::move(text->utf8);
  }
  return core::Ok();
}

struct Delimiter {
  std::size_t start = 0;  // of "--boundary"
  std::size_t next = 0;   // past its line end: the next part's headers
  bool close = false;     // "--boundary--": no part follows
};

class MultipartReader {
 public:
  MultipartReader(std::string_view body, std::string_view boundary)
      : body_(body),
        dash_boundary_("--" + std::string(boundary)),
        searcher_(dash_boundary_.begin(), dash_boundary_.end()) {}
  // searcher_ holds iterators into dash_boundary_.
  MultipartReader(const MultipartReader&) = delete;
  MultipartReader& operator=(const MultipartReader&) = delete;

  core::Result<std::vector<MultipartPart>> Parts(std::size_t max_parts) {
    auto delimiter = FindDelimiter(0);  // whatever precedes it is preamble
    if (!delimiter) return Invalid("no opening boundary");
    std::vector<MultipartPart> parts;
    while (!delimiter->close) {
      if (parts.size() == max_parts) {
        return Invalid("more than " + std::to_string(max_parts) + " parts");
      }
      MultipartPart part;
      auto data_start = ReadHeaders(delimiter->next, part);
      if (!data_start.ok()) return std::move(data_start).error();
      delimiter = FindDelimiter(*data_start);
      if (!delimiter) return Invalid("no closing boundary");
      // The line end before the delimiter belongs to it, not to the data.
      std::size_t end = std::max(delimiter->start - 1, *data_start);
      if (end > *data_start && body_[end - 1] == '\r') --end;
      part.data = body_.substr(*data_start, end - *data_start);
      parts.push_back(std::move(part));
    }
    return parts;  // anything after the close delimiter is epilogue
  }

 private:
  // 2 for CRLF, 1 for LF, 0 for neither.
  std::size_t LineEndAt(std::size_t pos) const {
    if (pos < body_.size() && body_[pos] == '\n') return 1;
    if (pos + 1 < body_.size() && body_[pos] == '\r' && body_[pos + 1] == '\n') return 2;
    return 0;
  }

  // "--boundary" at the start of a line, then "--" or not, optional spaces/tabs (RFC 2046
  // transport padding) and a line end; the close delimiter may end the body instead. Each
  // candidate is looked at once and the search only moves forward, so this is linear overall.
  std::optional<Delimiter> FindDelimiter(std::size_t from) const {
    while (from <= body_.size()) {
      const auto it =
          std::search(body_.begin() + static_cast<std::ptrdiff_t>(from), body_.end(), searcher_);
      if (it == body_.end()) return std::nullopt;
      Delimiter d;
      d.start = static_cast<std::size_t>(it - body_.begin());
      from = d.start + 1;
      if (d.start > 0 && body_[d.start - 1] != '\n') continue;
      std::size_t pos = d.start + dash_boundary_.size();
      d.close = body_.substr(pos, 2) == "--";
      if (d.close) pos += 2;
      while (pos < body_.size() && IsLwsp(body_[pos])) ++pos;
      const std::size_t line_end = LineEndAt(pos);
      if (line_end == 0 && !(d.close && pos == body_.size())) continue;
      d.next = pos + line_end;
      return d;
    }
    return std::nullopt;
  }

  // Header lines up to the empty one; returns where the data starts.
  core::Result<std::size_t> ReadHeaders(std::size_t pos, MultipartPart& part) const {
    bool disposition = false;
    while (true) {
      const std::size_t window = std::min(kMaxHeaderLine + 2, body_.size() - pos);
      const void* found = std::memchr(body_.data() + pos, '\n', window);
      if (found == nullptr) {
        if (window < body_.size() - pos) return Invalid("a part header line over 8 KiB");
        return Invalid("a part without headers end");
      }
      const std::size_t lf =
          static_cast<std::size_t>(static_cast<const char*>(found) - body_.data());
      std::string_view line = body_.substr(pos, lf - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() > kMaxHeaderLine) return Invalid("a part header line over 8 KiB");
      pos = lf + 1;
      if (line.empty()) break;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Invalid("a part header without a colon");
      const std::string_view name = Trim(line.substr(0, colon));
      const std::string_view value = Trim(line.substr(colon + 1));
      if (IEquals(name, "Content-Disposition")) {
        CORPHUB_TRY(ApplyDisposition(value, part));
        disposition = true;
      } else if (IEquals(name, "Content-Type")) {
        part.content_type = std::string(value);
      }  // others (Content-Transfer-Encoding, ...) are deprecated for form-data and ignored
    }
    if (!disposition) return Invalid("a part without Content-Disposition");
    return pos;
  }

  std::string_view body_;
  std::string dash_boundary_;
  std::boyer_moore_horspool_searcher<std::string::const_iterator> searcher_;
};

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  auto parsed = ParseHeaderValue(content_type);
  if (!parsed || !IEquals(parsed->type, "multipart/form-data")) return std::nullopt;
  const std::string* boundary = parsed->Find("boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > kMaxBoundary) {
    return std::nullopt;
  }
  // Printable ASCII only, not ending in a space (RFC 2046 bcharsnospace): a CR or LF would make
  // the delimiter unmatchable, and a trailing space would be eaten as transport padding.
  for (char c : *boundary) {
    if (c < 0x20 || c > 0x7E) return std::nullopt;
  }
  if (boundary->back() == ' ') return std::nullopt;
  return *boundary;
}

core::Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body,
                                                        std::string_view boundary,
                                                        std::size_t max_parts) {
  if (boundary.empty()) return Invalid("an empty boundary");
  return MultipartReader(body, boundary).Parts(max_parts);
}

}  // namespace corphub::net
