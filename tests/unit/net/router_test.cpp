#include "net/router.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <set>
#include <string>

namespace corphub::net {
namespace {

Handler Answer(std::string text) {
  return
      [text](Request&) -> boost::asio::awaitable<Response> { co_return Response::Text(200, text); };
}

std::set<std::string> SplitAllow(const std::string& allow) {
  std::set<std::string> out;
  std::size_t i = 0;
  while (i <= allow.size()) {
    auto comma = allow.find(", ", i);
    if (comma == std::string::npos) comma = allow.size();
    out.insert(allow.substr(i, comma - i));
    i = comma + 2;
  }
  return out;
}

// The pattern of the route `method path` finds, or "" for none; params land in `req`.
std::string PatternOf(const Router& router, std::string_view method, std::string_view path,
                      Request& req) {
  Match m = router.Find(method, path, req);
  return m.route == nullptr ? "" : m.route->pattern;
}

std::string PatternOf(const Router& router, std::string_view method, std::string_view path) {
  Request req;
  return PatternOf(router, method, path, req);
}

TEST(RouterTest, MatchesLiteralPaths) {
  Router r;
  r.Add("GET", "/cgi-bin/user/get", Answer("get"));
  r.Add("GET", "/cgi-bin/user/list", Answer("list"));
  EXPECT_EQ(PatternOf(r, "GET", "/cgi-bin/user/get"), "/cgi-bin/user/get");
  EXPECT_EQ(PatternOf(r, "GET", "/cgi-bin/user/list"), "/cgi-bin/user/list");
  EXPECT_EQ(PatternOf(r, "GET", "/cgi-bin/user"), "");
  EXPECT_EQ(PatternOf(r, "GET", "/cgi-bin/user/get/more"), "");
}

TEST(RouterTest, LiteralBeatsParameterInEitherOrder) {
  for (bool literal_first : {true, false}) {
    Router r;
    if (literal_first) r.Add("GET", "/api/v1/items/new", Answer("new"));
    r.Add("GET", "/api/v1/items/{id}", Answer("item"));
    if (!literal_first) r.Add("GET", "/api/v1/items/new", Answer("new"));

    Request literal;
    EXPECT_EQ(PatternOf(r, "GET", "/api/v1/items/new", literal), "/api/v1/items/new");
    EXPECT_TRUE(literal.params.empty()) << "params of the losing route leaked";
    Request param;
    EXPECT_EQ(PatternOf(r, "GET", "/api/v1/items/42", param), "/api/v1/items/{id}");
    EXPECT_EQ(param.params["id"], "42");
  }
}

TEST(RouterTest, ParameterBeatsWildcardInEitherOrder) {
  for (bool wildcard_first : {true, false}) {
    Router r;
    if (wildcard_first) r.Add("GET", "/api/*", Answer("rest"));
    r.Add("GET", "/api/{name}", Answer("one"));
    if (!wildcard_first) r.Add("GET", "/api/*", Answer("rest"));
    Request one;
    EXPECT_EQ(PatternOf(r, "GET", "/api/status", one), "/api/{name}");
    EXPECT_EQ(one.params["name"], "status");
    EXPECT_EQ(one.params.count("*"), 0u);
    Request deeper;
    EXPECT_EQ(PatternOf(r, "GET", "/api/a/b", deeper), "/api/*");
    EXPECT_EQ(deeper.params["*"], "a/b");
  }
}

TEST(RouterTest, LiteralBeatsWildcard) {
  Router r;
  r.Add("*", "/cgi-bin/*", Answer("fallback"));
  r.Add("GET", "/cgi-bin/gettoken", Answer("token"));
  EXPECT_EQ(PatternOf(r, "GET", "/cgi-bin/gettoken"), "/cgi-bin/gettoken");
  EXPECT_EQ(PatternOf(r, "GET", "/cgi-bin/nosuch"), "/cgi-bin/*");
}

TEST(RouterTest, TheFirstDifferingSegmentDecides) {
  for (bool wildcard_first : {true, false}) {
    Router r;
    if (wildcard_first) r.Add("GET", "/a/b/*", Answer("wild"));
    r.Add("GET", "/a/{x}/c", Answer("param"));
    if (!wildcard_first) r.Add("GET", "/a/b/*", Answer("wild"));
    EXPECT_EQ(PatternOf(r, "GET", "/a/b/c"), "/a/b/*");
    EXPECT_EQ(PatternOf(r, "GET", "/a/z/c"), "/a/{x}/c");
  }
}

TEST(RouterTest, FillsEveryParameter) {
  Router r;
  r.Add("GET", "/orgs/{org}/users/{user}", Answer("u"));
  Request req;
  ASSERT_EQ(PatternOf(r, "GET", "/orgs/acme/users/zhangsan", req), "/orgs/{org}/users/{user}");
  EXPECT_EQ(req.params.size(), 2u);
  EXPECT_EQ(req.params["org"], "acme");
  EXPECT_EQ(req.params["user"], "zhangsan");
}

TEST(RouterTest, WildcardCapturesTheRestOfThePath) {
  Router r;
  r.Add("GET", "/files/{bucket}/*", Answer("f"));
  Request req;
  ASSERT_EQ(PatternOf(r, "GET", "/files/media/2024/05/photo.jpg", req), "/files/{bucket}/*");
  EXPECT_EQ(req.params["bucket"], "media");
  EXPECT_EQ(req.params["*"], "2024/05/photo.jpg");
}

TEST(RouterTest, WrongMethodGives405ListingTheAllowedMethods) {
  Router r;
  r.Add("GET", "/api/v1/items", Answer("list"));
  r.Add("POST", "/api/v1/items", Answer("create"));
  r.Add("DELETE", "/api/v1/items/{id}", Answer("delete"));
  Request req;
  Match m = r.Find("PUT", "/api/v1/items", req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.method_not_allowed);
  EXPECT_EQ(SplitAllow(m.allow), (std::set<std::string>{"GET", "POST"}));

  Match other = r.Find("GET", "/api/v1/items/9", req);
  EXPECT_TRUE(other.method_not_allowed);
  EXPECT_EQ(other.allow, "DELETE");
}

TEST(RouterTest, ListsEachAllowedMethodOnce) {
  Router r;
  r.Add("GET", "/x/{a}", Answer("1"));
  r.Add("GET", "/x/y", Answer("2"));
  Match m = [&] {
    Request req;
    return r.Find("POST", "/x/y", req);
  }();
  EXPECT_TRUE(m.method_not_allowed);
  EXPECT_EQ(m.allow, "GET");
}

TEST(RouterTest, HeadMatchesGet) {
  Router r;
  r.Add("GET", "/healthz", Answer("ok"));
  r.Add("POST", "/submit", Answer("s"));
  EXPECT_EQ(PatternOf(r, "HEAD", "/healthz"), "/healthz");
  Request req;
  Match m = r.Find("HEAD", "/submit", req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.method_not_allowed);
  EXPECT_EQ(m.allow, "POST");
  Match post = r.Find("POST", "/healthz", req);
  EXPECT_TRUE(post.method_not_allowed);
}

TEST(RouterTest, AnyMethodRoute) {
  Router r;
  r.Add("*", "/cgi-bin/*", Answer("any"));
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "HEAD"}) {
    EXPECT_EQ(PatternOf(r, method, "/cgi-bin/x"), "/cgi-bin/*") << method;
  }
}

TEST(RouterTest, NoMatchIsNeither404Nor405Flagged) {
  Router r;
  r.Add("GET", "/a", Answer("a"));
  Request req;
  Match m = r.Find("GET", "/nothing/here", req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.method_not_allowed);
  EXPECT_TRUE(m.allow.empty());
  EXPECT_TRUE(req.params.empty());
  EXPECT_EQ(Router{}.Find("GET", "/", req).route, nullptr);
}

TEST(RouterTest, RootRoute) {
  Router r;
  r.Add("GET", "/", Answer("root"));
  r.Add("GET", "/{page}", Answer("page"));
  EXPECT_EQ(PatternOf(r, "GET", "/"), "/");
  EXPECT_EQ(PatternOf(r, "GET", "/about"), "/{page}");
}

TEST(RouterTest, WebSocketRoutesAreGetRoutesWithAnUpgradeHandler) {
  Router r;
  r.AddWebSocket("/ws/{channel}",
                 [](Request&, WebSocket&) -> boost::asio::awaitable<void> { co_return; });
  Request req;
  Match m = r.Find("GET", "/ws/general", req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
  EXPECT_TRUE(static_cast<bool>(m.route->websocket));
  EXPECT_FALSE(static_cast<bool>(m.route->handler));
  EXPECT_EQ(req.params["channel"], "general");
}

TEST(RouterTest, TheMatchedRouteRunsItsOwnHandler) {
  Router r;
  r.Add("GET", "/a", Answer("from a"));
  r.Add("GET", "/b", Answer("from b"));
  Request req;
  Match m = r.Find("GET", "/b", req);
  ASSERT_NE(m.route, nullptr);
  boost::asio::io_context io;
  Response got;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { got = co_await m.route->handler(req); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  EXPECT_EQ(got.body, "from b");
}

TEST(RouterTest, FallbackIsKept) {
  Router r;
  EXPECT_FALSE(static_cast<bool>(r.Fallback()));
  r.SetFallback(Answer("static"));
  EXPECT_TRUE(static_cast<bool>(r.Fallback()));
}

}  // namespace
}  // namespace corphub::net
