#include "core/csv.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace corphub::core {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kNotText = "the file is neither UTF-8 nor GBK/GB18030 text";

// Strict UTF-8 (RFC 3629): overlong forms, surrogates and code points past U+10FFFF are refused,
// so that GBK bytes, which often look like UTF-8 lead bytes, are not mistaken for it.
bool IsUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t tail = 0;
    unsigned char lo = 0x80;  // the allowed range of the second byte
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      tail = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      tail = 2;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      tail = 3;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= tail) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i <= tail; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += tail + 1;
  }
  return true;
}

// An iconv descriptor, closed on every path.
class Converter {
 public:
  Converter(const char* to, const char* from) : cd_(iconv_open(to, from)) {
    // glibc always ships GB18030; failing here means a broken install, not bad input.
    if (cd_ == Invalid()) throw std::runtime_error("core: iconv_open(UTF-8, GB18030) failed");
  }
  ~Converter() { iconv_close(cd_); }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Fills `out`; false on an invalid or truncated sequence.
  bool Convert(std::string_view in, std::string& out) {
    // GB18030 never takes more than 1.5 UTF-8 bytes per input byte (2 -> 3, 4 -> 4); the
    // margin keeps E2BIG a non-event, but it is handled anyway.
    out.resize(in.size() + in.size() / 2 + 16);
    char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write here
    std::size_t src_left = in.size();
    std::size_t done = 0;
    while (true) {
      char* dst = out.data() + done;
      std::size_t dst_left = out.size() - done;
      const std::size_t rc = iconv(cd_, &src, &src_left, &dst, &dst_left);
      done = out.size() - dst_left;
      if (rc != static_cast<std::size_t>(-1)) break;
      if (errno != E2BIG) return false;  // EILSEQ: invalid; EINVAL: cut off at the end
      out.resize(out.size() * 2);
    }
    out.resize(done);
    return true;
  }

 private:
  // iconv_open's documented failure value, (iconv_t)-1.
  static iconv_t Invalid() {
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    return reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1));
  }

  iconv_t cd_;
};

Error CsvError(std::size_t line, const std::string& what) {
  return MakeError(ErrorKind::kInvalidArgument, "line " + std::to_string(line) + ": " + what);
}

// Walks the text once; `line` follows every LF, inside quoted fields too.
class CsvReader {
 public:
  CsvReader(std::string_view in, const CsvOptions& options) : in_(in), options_(options) {}

  Result<std::vector<CsvRow>> Rows() {
    std::vector<CsvRow> rows;
    while (pos_ < in_.size()) {
      CsvRow row;
      row.line = line_;
      bool blank = false;
      CORPHUB_TRY(ReadRow(row, blank));
      if (blank) continue;
      if (rows.size() == options_.max_rows) {
        return CsvError(row.line, "more than " + std::to_string(options_.max_rows) + " rows");
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  // Reads fields up to and including the line end. `blank`: the line held only spaces/tabs.
  Status ReadRow(CsvRow& row, bool& blank) {
    bool only_unquoted = true;
    while (true) {
      if (row.fields.size() == options_.max_fields) {
        return CsvError(line_, "more than " + std::to_string(options_.max_fields) + " fields");
      }
      std::string field;
      const bool quoted = pos_ < in_.size() && in_[pos_] == '"';
      if (quoted) {
        only_unquoted = false;
        CORPHUB_TRY(ReadQuoted(field));
      } else {
        CORPHUB_TRY(ReadUnquoted(field));
      }
      row.fields.push_back(std::move(field));
      if (pos_ < in_.size() && in_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (!AtLineEnd()) return CsvError(line_, "characters after a closing quote");
      SkipLineEnd();
      break;
    }
    blank = only_unquoted && row.fields.size() == 1 &&
            row.fields[0].find_first_not_of(" \t") == std::string::npos;
    return Ok();
  }

  Status ReadUnquoted(std::string& field) {
    const std::size_t start = pos_;
    while (pos_ < in_.size() && in_[pos_] != ',' && !AtLineEnd()) {
      if (in_[pos_] == '"') return CsvError(line_, "a quote inside an unquoted field");
      ++pos_;
    }
    if (pos_ - start > options_.max_field_bytes) return FieldTooLong();
    field.assign(in_.substr(start, pos_ - start));
    return Ok();
  }

  // At the opening quote; leaves pos_ just past the closing one.
  Status ReadQuoted(std::string& field) {
    const std::size_t open_line = line_;
    ++pos_;
    while (true) {
      const std::size_t quote = in_.find('"', pos_);
      if (quote == std::string_view::npos) return CsvError(open_line, "an unterminated quote");
      const std::string_view chunk = in_.substr(pos_, quote - pos_);
      for (char c : chunk) line_ += c == '\n' ? 1 : 0;
      field.append(chunk);
      pos_ = quote + 1;
      const bool doubled = pos_ < in_.size() && in_[pos_] == '"';
      if (doubled) {
        field += '"';
        ++pos_;
      }
      if (field.size() > options_.max_field_bytes) return FieldTooLong();
      if (!doubled) return Ok();
    }
  }

  // End of text, LF, or CR before LF or the end (a bare CR elsewhere is data).
  bool AtLineEnd() const {
    if (pos_ >= in_.size() || in_[pos_] == '\n') return true;
    return in_[pos_] == '\r' && (pos_ + 1 == in_.size() || in_[pos_ + 1] == '\n');
  }

  void SkipLineEnd() {
    if (pos_ < in_.size() && in_[pos_] == '\r') ++pos_;
    if (pos_ < in_.size() && in_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  Error FieldTooLong() const {
    return CsvError(line_, "a field over " + std::to_string(options_.max_field_bytes) + " bytes");
  }

  std::string_view in_;
  const CsvOptions& options_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

Result<DecodedText> DecodeText(std::string_view bytes) {
  // UTF-16 (Excel's "Unicode text") and binary files both hold NULs; no CSV does.
  if (bytes.find('\0') != std::string_view::npos) {
    return MakeError(ErrorKind::kInvalidArgument, std::string(kNotText) + " (it holds NUL bytes)");
  }
  const bool bom = bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom;
  if (bom) bytes.remove_prefix(kUtf8Bom.size());
  if (IsUtf8(bytes)) return DecodedText{std::string(bytes), TextEncoding::kUtf8};
  // A BOM is a claim of UTF-8; reading the rest as GB18030 would only produce garbage.
  if (bom) return MakeError(ErrorKind::kInvalidArgument, std::string(kNotText));
  DecodedText out{{}, TextEncoding::kGb18030};
  Converter gb18030("UTF-8", "GB18030");
  if (!gb18030.Convert(bytes, out.utf8)) {
    return MakeError(ErrorKind::kInvalidArgument, std::string(kNotText));
  }
  return out;
}

Result<std::vector<CsvRow>> ParseCsv(std::string_view utf8, const CsvOptions& options) {
  // DecodeText drops the BOM, but text that skipped it would otherwise carry U+FEFF into the
  // first header name and make it match nothing.
  if (utf8.substr(0, kUtf8Bom.size()) == kUtf8Bom) utf8.remove_prefix(kUtf8Bom.size());
  return CsvReader(utf8, options).Rows();
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    const bool formula =
        !f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@') &&
        !(f.size() > 1 && f[0] != '=' && f[0] != '@' && f[1] >= '0' && f[1] <= '9');
    const bool quote = formula || f.find_first_of(",\"\r\n") != std::string::npos;
    if (!quote) {
      out += f;
      continue;
    }
    out += '"';
    if (formula) out += '\t';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
}

}  // namespace corphub::core
