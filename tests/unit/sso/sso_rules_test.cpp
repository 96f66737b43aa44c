#include <gtest/gtest.h>

#include "sso/sso_service.hpp"

namespace corphub::sso {
namespace {

TEST(SsoRulesTest, TheRedirectsAuthorityIsItsHostAndPortInLowercase) {
  EXPECT_EQ(UrlAuthority("https://OA.Example.com/sso?x=1"), "oa.example.com");
  EXPECT_EQ(UrlAuthority("http://oa.example.com:8080"), "oa.example.com:8080");
  EXPECT_EQ(UrlAuthority("https://oa.example.com#frag"), "oa.example.com");
  EXPECT_EQ(UrlAuthority("http://[::1]:9000/x"), "[::1]:9000");
}

TEST(SsoRulesTest, ARedirectThatIsNotAPlainHttpUrlHasNoAuthority) {
  for (const char* bad : {"/relative", "javascript:alert(1)", "ftp://oa.example.com/",
                          "https://user@oa.example.com/", "https://evil.example\\@oa.example.com",
                          "https:///path", "https://oa.example.com/a b", ""}) {
    EXPECT_EQ(UrlAuthority(bad), std::nullopt) << bad;
  }
}

TEST(SsoRulesTest, ATrustedDomainCoversItsHostOnAnyPortUnlessItNamesOne) {
  EXPECT_TRUE(Trusted("oa.example.com", "oa.example.com"));
  EXPECT_TRUE(Trusted("OA.example.com", "oa.example.com:8443"));
  EXPECT_TRUE(Trusted("oa.example.com:8443", "oa.example.com:8443"));
  EXPECT_FALSE(Trusted("oa.example.com:8443", "oa.example.com"));
  EXPECT_FALSE(Trusted("oa.example.com:8443", "oa.example.com:9443"));
  // Neither a subdomain, nor a longer name ending the same, nor a parent.
  EXPECT_FALSE(Trusted("example.com", "oa.example.com"));
  EXPECT_FALSE(Trusted("oa.example.com", "evil-oa.example.com"));
  EXPECT_FALSE(Trusted("oa.example.com", "oa.example.com.evil.net"));
  EXPECT_FALSE(Trusted("", "oa.example.com"));
}

TEST(SsoRulesTest, TheCodeAndStateJoinTheRedirectsQueryBeforeItsFragment) {
  EXPECT_EQ(WithCode("https://oa.example.com/back", "C1", "S"),
            "https://oa.example.com/back?code=C1&state=S");
  EXPECT_EQ(WithCode("https://oa.example.com/back?x=1", "C1", "a b&c"),
            "https://oa.example.com/back?x=1&code=C1&state=a%20b%26c");
  EXPECT_EQ(WithCode("https://oa.example.com/back?#/home", "C1", ""),
            "https://oa.example.com/back?code=C1&state=#/home");
}

// The official example of the JS-SDK signature.
TEST(SsoRulesTest, TheJsapiSignatureMatchesWecomsExample) {
  EXPECT_EQ(
      JsapiSignature("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-"
                     "HhTdfl2fzFy1AOcHKP7qg",
                     "Wm3WZYTPz0wzccnW", "1414587457", "http://mp.weixin.qq.com?params=value"),
      "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
  // The fragment is not part of the page's URL.
  EXPECT_EQ(JsapiSignature("t", "n", "1", "https://oa.example.com/p?a=1#x"),
            JsapiSignature("t", "n", "1", "https://oa.example.com/p?a=1"));
}

}  // namespace
}  // namespace corphub::sso
