// CORPHUB_<SECTION>_<KEY> environment variables.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "config/config.hpp"
#include "support/temp_dir.hpp"

namespace corphub::config {
namespace {

using test_support::TempDir;

core::Result<Config> LoadEnv(std::map<std::string, std::string> env) {
  LoadOptions options;
  options.env = std::move(env);
  return Load(options);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(ConfigEnvTest, ServerListenOverridesTheFile) {
  TempDir dir;
  LoadOptions options;
  options.file = dir.Write("c.toml", "[server]\nlisten = \"127.0.0.1:1111\"\nio_threads = 2\n");
  options.env = {{"CORPHUB_SERVER_LISTEN", "127.0.0.1:2222"}};
  auto c = Load(options);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen, "127.0.0.1:2222");
  EXPECT_EQ(c->server.io_threads, 2);  // the file's other keys still apply
}

TEST(ConfigEnvTest, SetsKeysOfEveryType) {
  auto c = LoadEnv({{"CORPHUB_HTTP_MAX_BODY_BYTES", "2048"},
                    {"CORPHUB_HTTP_MAX_INFLIGHT_BODY_BYTES", "4096"},
                    {"CORPHUB_STORAGE_URL", "sqlite:/tmp/x.db"},
                    {"CORPHUB_LOG_ACCESS_LOG", "false"},
                    {"CORPHUB_TESTING_ENABLED", "1"},
                    {"CORPHUB_LOG_LEVEL", "warn"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->http.max_body_bytes, 2048);
  EXPECT_EQ(c->http.max_inflight_body_bytes, 4096);
  EXPECT_EQ(c->storage.url, "sqlite:/tmp/x.db");
  EXPECT_FALSE(c->log.access_log);
  EXPECT_TRUE(c->testing.enabled);
  EXPECT_EQ(c->log.level, "warn");
}

TEST(ConfigEnvTest, RefusesAnUnknownKeyInAKnownSection) {
  auto c = LoadEnv({{"CORPHUB_SERVER_LISTN", "0.0.0.0:1"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, core::ErrorKind::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "CORPHUB_SERVER_LISTN")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "listen")) << c.error().message;
}

TEST(ConfigEnvTest, IgnoresOtherToolsVariables) {
  auto c = LoadEnv({{"CORPHUB_BIN", "/usr/bin/corphub"},
                    {"CORPHUB_TEST_POSTGRES_URL", "postgresql://localhost/test"},
                    {"HOME", "/root"},
                    {"CORPHUB", "x"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->storage.url, "");
  EXPECT_EQ(c->server.listen, "0.0.0.0:8080");
}

TEST(ConfigEnvTest, RefusesMalformedValuesNamingTheVariable) {
  struct Case {
    const char* name;
    const char* value;
  };
  for (const Case& k :
       {Case{"CORPHUB_SERVER_IO_THREADS", "four"}, Case{"CORPHUB_SERVER_IO_THREADS", "4x"},
        Case{"CORPHUB_SERVER_IO_THREADS", ""}, Case{"CORPHUB_SERVER_IO_THREADS", "65"},
        Case{"CORPHUB_LOG_ACCESS_LOG", "yes"}, Case{"CORPHUB_LOG_LEVEL", "loud"},
        Case{"CORPHUB_SERVER_LISTEN", "nowhere"}}) {
    auto c = LoadEnv({{k.name, k.value}});
    ASSERT_FALSE(c.ok()) << k.name << "=" << k.value << " accepted";
    EXPECT_EQ(c.error().kind, core::ErrorKind::kInvalidArgument);
    const std::string want =
        std::string(k.name) == "CORPHUB_SERVER_LISTEN" ? "server.listen" : k.name;
    EXPECT_TRUE(Contains(c.error().message, want)) << c.error().message;
  }
}

TEST(ConfigEnvTest, ProcessEnvironmentReturnsOnlyCorphubVariables) {
  const std::string name = "CORPHUB_UNITTEST_PROBE_" + std::to_string(getpid());
  const std::string other = "NOT_CORPHUB_UNITTEST_PROBE_" + std::to_string(getpid());
  ASSERT_EQ(setenv(name.c_str(), "a=b", 1), 0);
  ASSERT_EQ(setenv(other.c_str(), "zzz", 1), 0);
  auto env = ProcessEnvironment();
  unsetenv(name.c_str());
  unsetenv(other.c_str());
  ASSERT_EQ(env.count(name), 1u);
  EXPECT_EQ(env[name], "a=b");  // split at the first '='
  EXPECT_EQ(env.count(other), 0u);
  for (const auto& [k, v] : env) EXPECT_TRUE(k.starts_with("CORPHUB_")) << k;
}

}  // namespace
}  // namespace corphub::config
