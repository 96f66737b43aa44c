// multipart/form-data uploads: the input's first line is taken as a Content-Type value for
// MultipartBoundary, the rest as a body for ParseMultipart. The input is also cut into form
// fields (name, file name, content type, data), which are encoded as clients do and must parse
// back as the same parts.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "fuzz_support.hpp"
#include "net/multipart.hpp"

namespace {

namespace net = corphub::net;
namespace core = corphub::core;
using corphub::fuzz::Within;

constexpr std::size_t kMaxParts = 16;
constexpr std::size_t kMaxHeaderLine = 8192;
constexpr std::string_view kBoundary = "----corphubFuzzBoundary7MA4YWxkTrZu0gW";

bool IsUtf8Text(std::string_view s) {
  auto text = core::DecodeText(s);
  return text.ok() && text->from == core::TextEncoding::kUtf8;
}

void CheckParts(std::string_view body, std::string_view boundary) {
  auto parts = net::ParseMultipart(body, boundary, kMaxParts);
  if (!parts.ok()) {
    FUZZ_CHECK(parts.error().kind == core::ErrorKind::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(parts->size() <= kMaxParts);
  for (const auto& part : *parts) {
    FUZZ_CHECK(Within(part.data, body));
    if (part.filename) FUZZ_CHECK(part.filename->empty() || IsUtf8Text(*part.filename));
  }
}

void CheckRaw(std::string_view input) {
  const std::size_t lf = input.find('\n');
  const std::string_view content_type = input.substr(0, lf);
  const std::string_view body = lf == std::string_view::npos ? "" : input.substr(lf + 1);
  auto boundary = net::MultipartBoundary(content_type);
  if (boundary) {
    FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70 && boundary->back() != ' ');
    for (char c : *boundary) FUZZ_CHECK(c >= 0x20 && c <= 0x7E);
  }
  CheckParts(body, boundary ? std::string_view(*boundary) : kBoundary);
}

// A quoted-string as Go's mime/multipart writes it: backslash before '"' and '\'.
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

bool OneLine(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

struct Field {
  std::string_view name;
  std::optional<std::string_view> filename;
  std::string_view content_type;
  std::string_view data;
};

// Fields of `input` split at 0xFF bytes, four pieces each: name, filename, type, data. Pieces that
// cannot be sent as they are (a line break in a header, data holding the boundary) are dropped.
std::vector<Field> FieldsOf(std::string_view input) {
  const auto pieces = corphub::fuzz::Split(input, '\xFF');
  const std::string delimiter = "\n--" + std::string(kBoundary);
  std::vector<Field> fields;
  for (std::size_t i = 0; i + 3 < pieces.size() && fields.size() < kMaxParts; i += 4) {
    Field f{pieces[i], pieces[i + 1], pieces[i + 2], pieces[i + 3]};
    if (!OneLine(f.name) || !OneLine(*f.filename) || !OneLine(f.content_type)) continue;
    // Header lines stay under the parser's 8 KiB, even with every character escaped.
    if (2 * (f.name.size() + f.filename->size()) + 64 > kMaxHeaderLine) continue;
    if (f.content_type.size() + 16 > kMaxHeaderLine) continue;
    if (f.filename->empty()) f.filename.reset();
    if (f.filename && !IsUtf8Text(*f.filename)) continue;
    // A byte order mark is dropped from a UTF-8 name: leave such names out.
    if (f.filename && f.filename->starts_with("\xEF\xBB\xBF")) continue;
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    if (!f.content_type.empty() && (blank(f.content_type.front()) || blank(f.content_type.back())))
      continue;
    if (("\n" + std::string(f.data)).find(delimiter) != std::string::npos) continue;
    fields.push_back(f);
  }
  return fields;
}

void CheckEncoded(std::string_view input) {
  const std::vector<Field> fields = FieldsOf(input);
  std::string body;
  for (const Field& f : fields) {
    body += "--" + std::string(kBoundary) + "\r\n";
    body += "Content-Disposition: form-data; name=" + Quoted(f.name);
    if (f.filename) body += "; filename=" + Quoted(*f.filename);
    body += "\r\n";
    if (!f.content_type.empty()) body += "Content-Type: " + std::string(f.content_type) + "\r\n";
    body += "\r\n";
    body += f.data;
    body += "\r\n";
  }
  body += "--" + std::string(kBoundary) + "--\r\n";
  auto parts = net::ParseMultipart(body, kBoundary, kMaxParts);
  if (fields.empty()) {
    FUZZ_CHECK(parts.ok() && parts->empty());
    return;
  }
  FUZZ_CHECK(parts.ok());
  FUZZ_CHECK(parts->size() == fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const net::MultipartPart& part = (*parts)[i];
    FUZZ_CHECK(part.name == fields[i].name);
    FUZZ_CHECK(part.filename.has_value() == fields[i].filename.has_value());
    if (part.filename) FUZZ_CHECK(*part.filename == *fields[i].filename);
    FUZZ_CHECK(part.content_type == fields[i].content_type);
    FUZZ_CHECK(part.data == fields[i].data);
  }
  const std::string content_type = "multipart/form-data; boundary=" + std::string(kBoundary);
  FUZZ_CHECK(net::MultipartBoundary(content_type) == std::string(kBoundary));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = corphub::fuzz::AsText(data, size);
  CheckRaw(input);
  CheckEncoded(input);
  return 0;
}
