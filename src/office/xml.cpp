#include "office/xml.hpp"

#include <cstring>

namespace corphub::office::xml {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view LocalName(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, nothing
// past U+10FFFF), or 0 when it is invalid or cut off.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t tail = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    tail = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    tail = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    tail = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i <= tail) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k <= tail; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return tail + 1;
}

// The code point of a character reference's digits ("20013" or "x4E2D"), or -1.
long CharRef(std::string_view digits) {
  int base = 10;
  if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
    base = 16;
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.size() > 8) return -1;
  long v = 0;
  for (char c : digits) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) return -1;
    v = v * base + d;
  }
  return v;
}

}  // namespace

Scanner::Scanner(std::string_view doc) : doc_(doc) {
  if (doc_.substr(0, 3) == "\xEF\xBB\xBF") doc_.remove_prefix(3);
}

// The hot loops (every tag of a 100,000-row sheet) walk pointers and memchr rather than
// string_view calls, which cost a lot in unoptimised (Debug) builds.
Token Scanner::Next() {
  const char* const begin = doc_.data();
  const char* const end = begin + doc_.size();
  const auto find = [end](const char* from, char c) {
    const void* at =
        from < end ? std::memchr(from, c, static_cast<std::size_t>(end - from)) : nullptr;
    return at == nullptr ? end : static_cast<const char*>(at);
  };
  const auto offset = [begin](const char* at) { return static_cast<std::size_t>(at - begin); };
  while (true) {
    self_closing_ = false;
    attrs_ = {};
    if (pos_ >= doc_.size()) return token_ = Token::kEof;
    const char* const p = begin + pos_;
    if (*p != '<') {
      const char* lt = find(p, '<');
      text_ = std::string_view(p, static_cast<std::size_t>(lt - p));
      pos_ = offset(lt);
      return token_ = Token::kText;
    }
    const char c1 = p + 1 < end ? p[1] : '\0';
    if (c1 == '!' || c1 == '?') {  // the rare kinds of markup
      const std::string_view rest = doc_.substr(pos_);
      const auto skip_past = [&](std::string_view terminator) {
        const std::size_t at = doc_.find(terminator, pos_);
        pos_ = at == std::string_view::npos ? doc_.size() : at + terminator.size();
      };
      if (rest.starts_with("<!--")) {
        skip_past("-->");
      } else if (rest.starts_with("<![CDATA[")) {
        const std::size_t start = pos_ + 9;
        const std::size_t close = doc_.find("]]>", start);
        if (close == std::string_view::npos) {
          pos_ = doc_.size();
          return token_ = Token::kEof;
        }
        text_ = doc_.substr(start, close - start);
        pos_ = close + 3;
        return token_ = Token::kCdata;
      } else if (c1 == '?') {
        skip_past("?>");
      } else {  // DOCTYPE, maybe with an internal subset in brackets
        const std::size_t gt = doc_.find('>', pos_);
        const std::size_t bracket = doc_.find('[', pos_);
        if (bracket != std::string_view::npos && bracket < gt) {
          pos_ = bracket;
          skip_past("]");
        }
        skip_past(">");
      }
      continue;
    }
    if (c1 == '/') {
      const char* gt = find(p + 2, '>');
      if (gt == end) {
        pos_ = doc_.size();
        return token_ = Token::kEof;
      }
      const char* name_end = gt;
      while (name_end > p + 2 && IsSpace(name_end[-1])) --name_end;
      name_ = LocalName(std::string_view(p + 2, static_cast<std::size_t>(name_end - p - 2)));
      pos_ = offset(gt + 1);
      return token_ = Token::kEnd;
    }
    // A start tag: the name, then attributes up to the first '>' outside quotes.
    const char* q = p + 1;
    while (q < end && !IsSpace(*q) && *q != '>' && *q != '/') ++q;
    const std::string_view qname(p + 1, static_cast<std::size_t>(q - p - 1));
    const char* const attrs_start = q;
    while (q < end && *q != '>') {
      if (*q == '"' || *q == '\'') {
        q = find(q + 1, *q);
        if (q == end) break;
      }
      ++q;
    }
    if (qname.empty()) {  // "a < b" in sloppy XML: the '<' is text
      text_ = std::string_view(p, 1);
      pos_ += 1;
      return token_ = Token::kText;
    }
    if (q >= end) {
      pos_ = doc_.size();
      return token_ = Token::kEof;
    }
    const char* attrs_end = q;
    if (attrs_end > attrs_start && attrs_end[-1] == '/') {
      self_closing_ = true;
      --attrs_end;
    }
    name_ = LocalName(qname);
    attrs_ = std::string_view(attrs_start, static_cast<std::size_t>(attrs_end - attrs_start));
    pos_ = offset(q + 1);
    return token_ = Token::kStart;
  }
}

std::optional<std::string_view> Scanner::Attr(std::string_view local) const {
  const char* p = attrs_.data();
  const char* const end = p + attrs_.size();
  while (p < end) {
    while (p < end && (IsSpace(*p) || *p == '/')) ++p;
    const char* const name_start = p;
    while (p < end && *p != '=' && !IsSpace(*p)) ++p;
    const std::string_view qname(name_start, static_cast<std::size_t>(p - name_start));
    while (p < end && IsSpace(*p)) ++p;
    if (p >= end || *p != '=') {
      if (p == name_start) ++p;  // a stray character: step over it
      continue;
    }
    ++p;
    while (p < end && IsSpace(*p)) ++p;
    if (p >= end || (*p != '"' && *p != '\'')) return std::nullopt;
    const char quote = *p++;
    const void* close = std::memchr(p, quote, static_cast<std::size_t>(end - p));
    if (close == nullptr) return std::nullopt;
    const auto* value_end = static_cast<const char*>(close);
    const std::string_view value(p, static_cast<std::size_t>(value_end - p));
    p = value_end + 1;
    if (qname.size() >= 5 && qname.substr(0, 5) == "xmlns" &&
        (qname.size() == 5 || qname[5] == ':')) {
      continue;
    }
    if (LocalName(qname) == local) return value;
  }
  return std::nullopt;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
  if (cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void AppendDecoded(std::string& out, std::string_view raw, bool entities) {
  std::size_t run = 0;  // start of the bytes not yet appended
  std::size_t i = 0;
  const auto flush = [&](std::size_t upto) { out.append(raw.data() + run, upto - run); };
  const char* const data = raw.data();
  const std::size_t size = raw.size();
  while (i < size) {
    while (i < size && static_cast<unsigned char>(data[i]) < 0x80 && data[i] != '&' &&
           data[i] != '\r') {
      ++i;
    }
    if (i == size) break;
    const char c = data[i];
    if (c == '&' && entities) {
      const std::size_t semi = raw.find(';', i + 1);
      if (semi == std::string_view::npos || semi - i > 12) {
        ++i;
        continue;
      }
      const std::string_view entity = raw.substr(i + 1, semi - i - 1);
      const char* named = nullptr;
      if (entity == "amp") named = "&";
      if (entity == "lt") named = "<";
      if (entity == "gt") named = ">";
      if (entity == "quot") named = "\"";
      if (entity == "apos") named = "'";
      long cp = -1;
      if (named == nullptr && !entity.empty() && entity[0] == '#') cp = CharRef(entity.substr(1));
      if (named == nullptr && cp < 0) {  // unknown: keep as written
        ++i;
        continue;
      }
      flush(i);
      if (named != nullptr) {
        out += named;
      } else if (cp != 0) {
        AppendUtf8(out, static_cast<char32_t>(cp));
      }
      i = semi + 1;
      run = i;
    } else if (c == '\r') {
      flush(i);
      out += '\n';
      i += (i + 1 < raw.size() && raw[i + 1] == '\n') ? 2 : 1;
      run = i;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t len = Utf8SequenceLength(raw, i);
      if (len == 0) {
        flush(i);
        out += kReplacement;
        ++i;
        run = i;
      } else {
        i += len;
      }
    } else {
      ++i;
    }
  }
  flush(raw.size());
}

std::string Decoded(std::string_view raw) {
  std::string out;
  AppendDecoded(out, raw);
  return out;
}

void AppendEscaped(std::string& out, std::string_view utf8, bool attribute) {
  std::size_t run = 0;
  std::size_t i = 0;
  const auto flush = [&](std::size_t upto) { out.append(utf8.data() + run, upto - run); };
  const auto replace = [&](std::size_t len, std::string_view with) {
    flush(i);
    out += with;
    i += len;
    run = i;
  };
  const char* const data = utf8.data();
  const std::size_t size = utf8.size();
  while (i < size) {
    while (i < size && static_cast<unsigned char>(data[i]) >= 0x20 &&
           static_cast<unsigned char>(data[i]) < 0x80 && data[i] != '&' && data[i] != '<' &&
           data[i] != '>' && data[i] != '"') {
      ++i;
    }
    if (i == size) break;
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x80) {
      const std::size_t len = Utf8SequenceLength(utf8, i);
      if (len == 0) {
        replace(1, kReplacement);
      } else if (len == 3 && c == 0xEF && static_cast<unsigned char>(utf8[i + 1]) == 0xBF &&
                 static_cast<unsigned char>(utf8[i + 2]) >= 0xBE) {
        replace(3, "");  // U+FFFE, U+FFFF: not XML characters
      } else {
        i += len;
      }
      continue;
    }
    switch (c) {
      case '&':
        replace(1, "&amp;");
        break;
      case '<':
        replace(1, "&lt;");
        break;
      case '>':
        replace(1, "&gt;");
        break;
      case '"':
        replace(1, "&quot;");
        break;
      case '\r':
        replace(1, "&#13;");
        break;
      case '\n':
        if (attribute) {
          replace(1, "&#10;");
        } else {
          ++i;
        }
        break;
      case '\t':
        if (attribute) {
          replace(1, "&#9;");
        } else {
          ++i;
        }
        break;
      default:
        if (c < 0x20) {
          replace(1, "");
        } else {
          ++i;
        }
    }
  }
  flush(utf8.size());
}

}  // namespace corphub::office::xml
