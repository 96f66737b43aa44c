#include "net/static_files.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.hpp"

namespace corphub::net {
namespace {

using test_support::TempDir;

const std::string kMemberIndex = "<!doctype html><p>member app</p>";
const std::string kAdminIndex = "<!doctype html><p>admin console</p>";
const std::string kAppJs = "console.log('member');";
const std::string kAdminCss = "body{color:red}";
const std::string kSecret = "TOPSECRET-outside-the-web-root";

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    dir_.Write("web/member/index.html", kMemberIndex);
    dir_.Write("web/member/assets/app-abc123.js", kAppJs);
    dir_.Write("web/member/favicon.ico", "ico");
    dir_.Write("web/admin/index.html", kAdminIndex);
    dir_.Write("web/admin/assets/admin-def456.css", kAdminCss);
    dir_.Write("web/secret.txt", kSecret);
    dir_.Write("secret.txt", kSecret);
  }

  StaticFiles Files(std::uintmax_t max_bytes = 64 << 20) const {
    return StaticFiles({{"/", dir_.path() / "web/member"}, {"/admin/", dir_.path() / "web/admin"}},
                       max_bytes);
  }

  Response Get(const std::string& path, std::string_view inm = "") const {
    return Files().Serve(path, inm, false);
  }

  TempDir dir_;
};

TEST_F(StaticFilesTest, RootServesTheMemberIndexRevalidated) {
  Response r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kMemberIndex);
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_FALSE(HeaderOf(r, "ETag").empty());
}

TEST_F(StaticFilesTest, ClientRoutesServeTheIndex) {
  for (const char* path : {"/some/route", "/chat/42", "/index.html"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kMemberIndex) << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableWithTheirContentType) {
  Response r = Get("/assets/app-abc123.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kAppJs);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/javascript; charset=utf-8");
  const std::string cache = HeaderOf(r, "Cache-Control");
  EXPECT_NE(cache.find("immutable"), std::string::npos) << cache;
  EXPECT_NE(cache.find("max-age=31536000"), std::string::npos) << cache;
}

TEST_F(StaticFilesTest, FilesOutsideAssetsAreRevalidated) {
  Response r = Get("/favicon.ico");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ico");
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "image/x-icon");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, MissingAssetsAre404NotTheIndex) {
  for (const char* path : {"/assets/x.js", "/assets/nothing", "/missing.png", "/admin/x.css"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("member app"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("admin console"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, AdminWithoutSlashRedirectsPermanently) {
  Response r = Get("/admin");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(HeaderOf(r, "Location"), "/admin/");
  EXPECT_TRUE(r.body.empty());
}

TEST_F(StaticFilesTest, AdminPathsServeTheAdminApp) {
  for (const char* path : {"/admin/", "/admin/deep/link", "/admin/users/7/edit"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kAdminIndex) << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
  }
  Response css = Get("/admin/assets/admin-def456.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, kAdminCss);
  EXPECT_EQ(HeaderOf(css, "Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(HeaderOf(css, "Cache-Control").find("immutable"), std::string::npos);
}

TEST_F(StaticFilesTest, APrefixOfAdminIsStillTheMemberApp) {
  Response r = Get("/administrator");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kMemberIndex);
}

TEST_F(StaticFilesTest, MountOrderDoesNotMatter) {
  StaticFiles files({{"/admin/", dir_.path() / "web/admin"}, {"/", dir_.path() / "web/member"}});
  EXPECT_EQ(files.Serve("/admin/x", "", false).body, kAdminIndex);
  EXPECT_EQ(files.Serve("/x", "", false).body, kMemberIndex);
}

TEST_F(StaticFilesTest, NeverServesOutsideTheRoot) {
  for (const char* path :
       {"/../secret.txt", "/../../secret.txt", "/assets/../../secret.txt", "/assets/../../../x",
        "/admin/../secret.txt", "/admin/../../secret.txt", "/..", "/admin/..", "/..\\secret.txt",
        "/assets/..\\..\\secret.txt", "/../etc/passwd"}) {
    Response r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find(kSecret), std::string::npos) << path;
    EXPECT_EQ(r.body.find("member app"), std::string::npos) << path;
  }
  Response nul = Get(std::string("/secret.txt\0.html", 17));
  EXPECT_EQ(nul.body.find(kSecret), std::string::npos);
}

TEST_F(StaticFilesTest, MatchingETagGives304WithoutBody) {
  for (const char* path : {"/", "/assets/app-abc123.js", "/admin/deep/link"}) {
    Response first = Get(path);
    ASSERT_EQ(first.status, 200) << path;
    const std::string etag = HeaderOf(first, "ETag");
    ASSERT_FALSE(etag.empty()) << path;
    Response again = Get(path, etag);
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty()) << path;
    EXPECT_EQ(HeaderOf(again, "ETag"), etag) << path;
    Response stale = Get(path, "\"not-it\"");
    EXPECT_EQ(stale.status, 200) << path;
    EXPECT_FALSE(stale.body.empty()) << path;
  }
}

TEST_F(StaticFilesTest, ETagChangesWhenTheFileDoes) {
  const std::string before = HeaderOf(Get("/"), "ETag");
  dir_.Write("web/member/index.html", kMemberIndex + "<p>new build</p>");
  Response after = Get("/", before);
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(HeaderOf(after, "ETag"), before);
  EXPECT_EQ(after.body, kMemberIndex + "<p>new build</p>");
}

TEST_F(StaticFilesTest, HeadHasHeadersAndLengthButNoBody) {
  for (const auto& [path, content] : {std::pair<std::string, std::string>{"/", kMemberIndex},
                                      {"/assets/app-abc123.js", kAppJs}}) {
    Response get = Get(path);
    Response head = Files().Serve(path, "", true);
    EXPECT_EQ(head.status, 200) << path;
    EXPECT_TRUE(head.body.empty()) << path;
    EXPECT_EQ(HeaderOf(head, "Content-Length"), std::to_string(content.size())) << path;
    EXPECT_EQ(HeaderOf(head, "Content-Type"), HeaderOf(get, "Content-Type")) << path;
    EXPECT_EQ(HeaderOf(head, "ETag"), HeaderOf(get, "ETag")) << path;
    EXPECT_EQ(HeaderOf(head, "Cache-Control"), HeaderOf(get, "Cache-Control")) << path;
  }
}

TEST_F(StaticFilesTest, FilesOverTheLimitAreNotServed) {
  StaticFiles small = Files(kAppJs.size() - 1);
  Response r = small.Serve("/assets/app-abc123.js", "", false);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find(kAppJs), std::string::npos);
}

TEST(StaticFilesUnbuiltTest, MissingIndexIs404ExplainingTheFix) {
  TempDir dir;
  StaticFiles files({{"/", dir.path() / "member"}});
  Response r = files.Serve("/", "", false);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("make web"), std::string::npos) << r.body;
}

TEST(StaticFilesContentTypeTest, KnowsCommonWebTypes) {
  EXPECT_EQ(StaticFiles::ContentType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentType("a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentType("a.wasm"), "application/wasm");
  EXPECT_EQ(StaticFiles::ContentType("a.xyz"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::ContentType("Makefile"), "application/octet-stream");
}

}  // namespace
}  // namespace corphub::net
