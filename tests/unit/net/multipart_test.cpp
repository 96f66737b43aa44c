#include "net/multipart.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace corphub::net {
namespace {

// Boundaries and bodies as three real clients wrote them (captured from requests 2.34, Go 1.26
// mime/multipart and curl 7.88).
constexpr std::string_view kRequestsBoundary = "e856c483208293f5d5977ff2d52b170c";
constexpr std::string_view kGoBoundary =
    "34f08e6af85d5f7502fb1ac03b7e2b784c28352c11211936ff59306ac584";
constexpr std::string_view kCurlBoundary = "------------------------aea87eae82f5f84f";

std::vector<MultipartPart> MustParse(std::string_view body, std::string_view boundary,
                                     std::size_t max_parts = 16) {
  auto parts = ParseMultipart(body, boundary, max_parts);
  EXPECT_TRUE(parts.ok()) << parts.error().message;
  if (!parts.ok()) return {};
  for (const MultipartPart& part : *parts) {  // data is a view into body, never a copy
    EXPECT_GE(part.data.data(), body.data());
    EXPECT_LE(part.data.data() + part.data.size(), body.data() + body.size());
  }
  return std::move(parts).value();
}

std::string ErrorOf(std::string_view body, std::string_view boundary, std::size_t max_parts = 16) {
  auto parts = ParseMultipart(body, boundary, max_parts);
  if (parts.ok()) return "(parsed)";
  EXPECT_EQ(parts.error().kind, core::ErrorKind::kInvalidArgument);
  return parts.error().message;
}

// One CRLF part named "f" with the given headers after Content-Disposition's parameters.
std::string FilePart(std::string_view disposition_params, std::string_view data = "x") {
  return "--b\r\nContent-Disposition: form-data; name=\"f\"" + std::string(disposition_params) +
         "\r\n\r\n" + std::string(data) + "\r\n--b--\r\n";
}

std::optional<std::string> FilenameOf(std::string_view disposition_params) {
  const std::string body = FilePart(disposition_params);
  auto parts = MustParse(body, "b");
  if (parts.size() != 1) return "(not one part)";
  return parts[0].filename;
}

// ---- MultipartBoundary ----

TEST(MultipartBoundaryTest, ReadsWhatRealClientsSend) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(kRequestsBoundary)),
            kRequestsBoundary);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(kGoBoundary)),
            kGoBoundary);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(kCurlBoundary)),
            kCurlBoundary);
  EXPECT_EQ(
      MultipartBoundary("multipart/form-data; boundary=----WebKitFormBoundaryx8dGKt3bmFlEBQzY"),
      "----WebKitFormBoundaryx8dGKt3bmFlEBQzY");
}

TEST(MultipartBoundaryTest, TakesQuotesCaseAndOtherParameters) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; BOUNDARY=abc"), "abc");
  EXPECT_EQ(MultipartBoundary("multipart/form-data;charset=utf-8;boundary=abc"), "abc");
  EXPECT_EQ(MultipartBoundary("  multipart/form-data ;  boundary = abc ; x=y"), "abc");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"ab\\\"c\""), "ab\"c");
}

TEST(MultipartBoundaryTest, RefusesOtherTypesAndUnusableBoundaries) {
  EXPECT_EQ(MultipartBoundary("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("application/x-www-form-urlencoded"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"\""), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"abc"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"abc \""), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"a\rb\""), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"\xE4\xBD\xA0\""), std::nullopt);
  EXPECT_EQ(MultipartBoundary(""), std::nullopt);
}

TEST(MultipartBoundaryTest, AllowsSeventyCharactersAtMost) {
  const std::string seventy(70, 'a');
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + seventy), seventy);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + seventy + "a"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=x"), "x");
}

// ---- ParseMultipart: real clients ----

TEST(ParseMultipartTest, ReadsPythonRequests) {
  // wechatpy uploads through requests: fields first, `"` in a file name sent as %22, a raw
  // backslash, and the file's own trailing CRLF before the delimiter's.
  const std::string body =
      "--e856c483208293f5d5977ff2d52b170c\r\n"
      "Content-Disposition: form-data; name=\"k\"\r\n\r\n"
      "v\r\n"
      "--e856c483208293f5d5977ff2d52b170c\r\n"
      "Content-Disposition: form-data; name=\"media\"; filename=\"报表 %22q%22\\.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n"
      "a,b\r\n1,2\r\n\r\n"
      "--e856c483208293f5d5977ff2d52b170c--\r\n";
  auto parts = MustParse(body, kRequestsBoundary);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "k");
  EXPECT_EQ(parts[0].filename, std::nullopt);
  EXPECT_EQ(parts[0].content_type, "");
  EXPECT_EQ(parts[0].data, "v");
  EXPECT_EQ(parts[1].name, "media");
  EXPECT_EQ(parts[1].filename, "报表 %22q%22\\.csv");
  EXPECT_EQ(parts[1].content_type, "text/csv");
  EXPECT_EQ(parts[1].data, "a,b\r\n1,2\r\n");
}

TEST(ParseMultipartTest, ReadsGoMimeMultipart) {
  // go-workwx: CreateFormFile escapes `"` and `\` and always says application/octet-stream.
  const std::string b(kGoBoundary);
  const std::string body = "--" + b +
                           "\r\n"
                           "Content-Disposition: form-data; name=\"media\"; "
                           "filename=\"报表 \\\"q\\\"\\\\.csv\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n"
                           "a,b\r\n\r\n--" +
                           b +
                           "\r\n"
                           "Content-Disposition: form-data; name=\"k\"\r\n\r\n"
                           "v\r\n--" +
                           b + "--\r\n";
  auto parts = MustParse(body, kGoBoundary);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "media");
  EXPECT_EQ(parts[0].filename, "报表 \"q\"\\.csv");
  EXPECT_EQ(parts[0].content_type, "application/octet-stream");
  EXPECT_EQ(parts[0].data, "a,b\r\n");
  EXPECT_EQ(parts[1].name, "k");
  EXPECT_EQ(parts[1].data, "v");
}

TEST(ParseMultipartTest, ReadsCurl) {
  // curl's boundary starts with dashes of its own; the file name is raw UTF-8.
  const std::string body =
      "--------------------------aea87eae82f5f84f\r\n"
      "Content-Disposition: form-data; name=\"media\"; "
      "filename=\"\xe6\x8a\xa5\xe8\xa1\xa8.csv\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n"
      "a,b\r\n\r\n"
      "--------------------------aea87eae82f5f84f\r\n"
      "Content-Disposition: form-data; name=\"k\"\r\n\r\n"
      "v\r\n"
      "--------------------------aea87eae82f5f84f--\r\n";
  auto parts = MustParse(body, kCurlBoundary);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].filename, "报表.csv");
  EXPECT_EQ(parts[0].data, "a,b\r\n");
  EXPECT_EQ(parts[1].data, "v");
}

// ---- ParseMultipart: framing ----

TEST(ParseMultipartTest, SkipsPreambleAndEpilogue) {
  const std::string body =
      "This is the preamble.\r\n--b looks close but is mid-line --b\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
      "--b--\r\nThis is the epilogue, with --b\r\n in it.\r\n";
  auto parts = MustParse(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "a");
  EXPECT_EQ(parts[0].data, "1");
}

TEST(ParseMultipartTest, CloseDelimiterMayEndTheBody) {
  for (std::string end : {"--b--", "--b--\r\n", "--b--\n", "--b-- \t", "--b--\r\nepilogue"}) {
    const std::string body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" + end;
    auto parts = MustParse(body, "b");
    ASSERT_EQ(parts.size(), 1u) << end;
    EXPECT_EQ(parts[0].data, "1") << end;
  }
}

TEST(ParseMultipartTest, TakesBareLineFeeds) {
  const std::string body =
      "--b\nContent-Disposition: form-data; name=\"a\"\nContent-Type: text/plain\n\n1\n2\n"
      "--b\ncontent-disposition: form-data; name=\"c\"\n\n3\r\n"
      "--b--\n";
  auto parts = MustParse(body, "b");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].data, "1\n2");
  EXPECT_EQ(parts[0].content_type, "text/plain");
  EXPECT_EQ(parts[1].data, "3");
}

TEST(ParseMultipartTest, HeaderNamesAreCaseInsensitiveAndOthersIgnored) {
  const std::string body =
      "--b\r\nCONTENT-TYPE:image/png\r\nX-Extra: 1\r\ncontent-disposition:form-data;name=f;"
      "FILENAME=a.png\r\nContent-Transfer-Encoding: binary\r\n\r\nPNG\r\n--b--\r\n";
  auto parts = MustParse(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "f");
  EXPECT_EQ(parts[0].filename, "a.png");
  EXPECT_EQ(parts[0].content_type, "image/png");
  EXPECT_EQ(parts[0].data, "PNG");
}

TEST(ParseMultipartTest, TakesTransportPaddingAfterTheDelimiter) {
  const std::string body =
      "--b \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b  \r\n"
      "Content-Disposition: form-data; name=\"c\"\r\n\r\n2\r\n--b--  \r\n";
  auto parts = MustParse(body, "b");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data, "2");
}

TEST(ParseMultipartTest, KeepsEmptyPartsAndEmptyForms) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n";
  auto parts = MustParse(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "");
  EXPECT_EQ(parts[0].data, "");
  EXPECT_TRUE(MustParse("--b--\r\n", "b").empty());
}

TEST(ParseMultipartTest, BinaryDataKeepsLineEndsAndBoundaryLookalikes) {
  std::string data;
  for (int i = 0; i < 256; ++i) data += static_cast<char>(i);
  data +=
      "\r\n--boundar\r\n--boundaryX\r\n--boundary--x\r\n --boundary\r\n"
      "x--boundary\r\n\r\r\n\n-\r\n--\r\n--boundary-\r\n\r\n";
  const std::string body =
      "--boundary\r\nContent-Disposition: form-data; name=\"bin\"; filename=\"b.bin\"\r\n\r\n" +
      data + "\r\n--boundary--";
  auto parts = MustParse(body, "boundary");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, data);
}

// ---- ParseMultipart: file names ----

TEST(ParseMultipartTest, UndoesQuotedStringEscapesInFileNames) {
  EXPECT_EQ(FilenameOf("; filename=\"a \\\"q\\\" \\\\ b.csv\""), "a \"q\" \\ b.csv");
  EXPECT_EQ(FilenameOf("; filename=\"a;b=c.csv\""), "a;b=c.csv");
  // A backslash before anything else is a Windows path or a raw browser name: kept.
  EXPECT_EQ(FilenameOf("; filename=\"C:\\dir\\x.csv\""), "C:\\dir\\x.csv");
  EXPECT_EQ(FilenameOf("; filename=plain.csv"), "plain.csv");
  EXPECT_EQ(FilenameOf(""), std::nullopt);
}

TEST(ParseMultipartTest, PrefersRfc5987FileNames) {
  EXPECT_EQ(FilenameOf("; filename=\"fallback.csv\"; filename*=UTF-8''%E6%8A%A5%E8%A1%A8.csv"),
            "报表.csv");
  EXPECT_EQ(FilenameOf("; filename*=utf-8'zh-CN'%E6%8A%A5%20a.csv; filename=\"fallback.csv\""),
            "报 a.csv");
  EXPECT_EQ(FilenameOf("; filename*=\"UTF-8''a%2Fb.csv\""), "a/b.csv");
  // Unusable filename* values fall back to filename=.
  EXPECT_EQ(FilenameOf("; filename*=ISO-8859-1''caf%E9.csv; filename=\"cafe.csv\""), "cafe.csv");
  EXPECT_EQ(FilenameOf("; filename*=UTF-8''bad%zz; filename=\"ok.csv\""), "ok.csv");
  EXPECT_EQ(FilenameOf("; filename*=UTF-8''%D0%D5; filename=\"ok.csv\""), "ok.csv");
  EXPECT_EQ(FilenameOf("; filename*=no-quotes; filename=\"ok.csv\""), "ok.csv");
  EXPECT_EQ(FilenameOf("; filename*=UTF-8''bad%zz"), std::nullopt);
}

TEST(ParseMultipartTest, ConvertsGbkFileNamesToUtf8) {
  // Older Chinese Windows software sends the name in the system code page.
  EXPECT_EQ(FilenameOf("; filename=\"\xB1\xA8\xB1\xED.csv\""), "报表.csv");
  EXPECT_EQ(ErrorOf(FilePart("; filename=\"\xFF.csv\""), "b"),
            "a file name that is neither UTF-8 nor GBK text");
}

// ---- ParseMultipart: errors ----

TEST(ParseMultipartTest, RefusesBodiesWithoutAnOpeningBoundary) {
  EXPECT_EQ(ErrorOf("", "b"), "no opening boundary");
  EXPECT_EQ(ErrorOf("hello --b\r\nContent-Disposition: form-data; name=a\r\n\r\n", "b"),
            "no opening boundary");
  EXPECT_EQ(ErrorOf("--bb\r\n", "b"), "no opening boundary");
  EXPECT_EQ(ErrorOf(FilePart(""), "other"), "no opening boundary");
}

TEST(ParseMultipartTest, RefusesPartsWithoutHeadersEnd) {
  EXPECT_EQ(ErrorOf("--b\r\n", "b"), "a part without headers end");
  EXPECT_EQ(ErrorOf("--b\r\nContent-Disposition: form-data; name=a\r\n", "b"),
            "a part without headers end");
  EXPECT_EQ(ErrorOf("--b\r\nContent-Disposition: form-data; name=a", "b"),
            "a part without headers end");
}

TEST(ParseMultipartTest, RefusesBodiesWithoutAClosingBoundary) {
  EXPECT_EQ(ErrorOf("--b\r\nContent-Disposition: form-data; name=a\r\n\r\ndata", "b"),
            "no closing boundary");
  EXPECT_EQ(ErrorOf("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--x", "b"),
            "no closing boundary");
  // A delimiter that is not followed by a part needs headers, as any part does.
  EXPECT_EQ(ErrorOf("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b\r\n", "b"),
            "a part without headers end");
}

TEST(ParseMultipartTest, RefusesMorePartsThanAllowed) {
  std::string body;
  for (int i = 0; i < 3; ++i)
    body += "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
  body += "--b--\r\n";
  EXPECT_EQ(MustParse(body, "b", 3).size(), 3u);
  EXPECT_EQ(ErrorOf(body, "b", 2), "more than 2 parts");
  EXPECT_EQ(ErrorOf(body, "b"), "(parsed)");  // 16 by default
}

TEST(ParseMultipartTest, RefusesHeaderLinesOver8KiB) {
  const std::string ok_line = "X-Long: " + std::string(8192 - 8, 'a');
  const std::string long_line = ok_line + "a";
  const auto body = [](const std::string& line, const std::string& end) {
    return "--b\r\n" + line + end + "Content-Disposition: form-data; name=a\r\n\r\n1\r\n--b--\r\n";
  };
  EXPECT_EQ(MustParse(body(ok_line, "\r\n"), "b").size(), 1u);
  EXPECT_EQ(MustParse(body(ok_line, "\n"), "b").size(), 1u);
  EXPECT_EQ(ErrorOf(body(long_line, "\r\n"), "b"), "a part header line over 8 KiB");
  EXPECT_EQ(ErrorOf(body(long_line, "\n"), "b"), "a part header line over 8 KiB");
  EXPECT_EQ(ErrorOf("--b\r\n" + std::string(1 << 20, 'a') + "\r\n\r\n--b--", "b"),
            "a part header line over 8 KiB");
}

TEST(ParseMultipartTest, RefusesMalformedPartHeaders) {
  EXPECT_EQ(ErrorOf("--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--", "b"),
            "a part without Content-Disposition");
  EXPECT_EQ(ErrorOf(FilePart("").replace(FilePart("").find("name"), 4, "nome"), "b"),
            "a part without a field name");
  EXPECT_EQ(ErrorOf("--b\r\nno colon here\r\n\r\n1\r\n--b--", "b"),
            "a part header without a colon");
  EXPECT_EQ(ErrorOf(FilePart("; filename=\"open.csv"), "b"),
            "a Content-Disposition with an unterminated quote");
  EXPECT_EQ(ErrorOf(FilePart(""), ""), "an empty boundary");
}

// ---- ParseMultipart: size ----

TEST(ParseMultipartTest, ReadsALargePartInLinearTime) {
  // 20 MB of lines that each almost hold the delimiter: a parser that rescans from every line
  // start, or from every partial match, would run for hours here instead of milliseconds.
  const std::string boundary(kGoBoundary);
  const std::string lookalike = "\r\n--" + boundary.substr(0, boundary.size() - 1) + "\n";
  std::string data;
  data.reserve(20 << 20);
  std::mt19937 rng(1);
  while (data.size() < (20u << 20)) {
    data += lookalike;
    for (int i = 0; i < 64; ++i) data += static_cast<char>(rng());
  }
  const std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"media\"; "
                           "filename=\"big.bin\"\r\n\r\n" +
                           data + "\r\n--" + boundary + "--\r\n";
  auto parts = MustParse(body, boundary);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data.size(), data.size());
  EXPECT_TRUE(parts[0].data == data);
}

TEST(ParseMultipartTest, RandomBodiesNeverCrash) {
  // Fragments of real framing shuffled together: every outcome is a value, never a crash.
  const std::vector<std::string> pieces = {"--b",
                                           "--",
                                           "\r\n",
                                           "\n",
                                           "\r",
                                           "Content-Disposition: form-data; name=\"a\"",
                                           "; filename=\"x",
                                           "\"",
                                           "Content-Type: t",
                                           ":",
                                           "data",
                                           " "};
  std::mt19937 rng(3);
  for (int round = 0; round < 5000; ++round) {
    std::string body;
    for (int i = static_cast<int>(rng() % 20); i > 0; --i) body += pieces[rng() % pieces.size()];
    auto parts = ParseMultipart(body, "b");
    if (!parts.ok()) {
      EXPECT_EQ(parts.error().kind, core::ErrorKind::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace corphub::net
