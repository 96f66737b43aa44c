// Config loading from a TOML file, and the checks made on the result.
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.hpp"

namespace corphub::config {
namespace {

using test_support::TempDir;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ConfigFileTest : public ::testing::Test {
 protected:
  // Loads `toml` from a file; the path is in file_.
  core::Result<Config> LoadToml(std::string_view toml) {
    file_ = dir_.Write("corphub.toml", toml);
    LoadOptions options;
    options.file = file_;
    return Load(options);
  }

  // Expects loading `toml` to fail with a message holding every one of `needles` and the path.
  void ExpectRefused(std::string_view toml, std::initializer_list<std::string> needles) {
    auto c = LoadToml(toml);
    ASSERT_FALSE(c.ok()) << "accepted:\n" << toml;
    EXPECT_EQ(c.error().kind, core::ErrorKind::kInvalidArgument);
    const std::string& m = c.error().message;
    EXPECT_TRUE(m.starts_with("config: ")) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << "not one line: " << m;
    EXPECT_TRUE(Contains(m, file_)) << m;
    for (const auto& n : needles) EXPECT_TRUE(Contains(m, n)) << "no \"" << n << "\" in: " << m;
  }

  TempDir dir_;
  std::string file_;
};

TEST(ConfigDefaultsTest, LoadWithNothingGivesTheDefaults) {
  auto c = Load(LoadOptions{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen, "0.0.0.0:8080");
  EXPECT_EQ(c->server.io_threads, 0);
  EXPECT_EQ(c->server.worker_threads, 0);
  EXPECT_EQ(c->server.data_dir, "./data");
  EXPECT_EQ(c->server.public_url, "");
  EXPECT_EQ(c->http.max_body_bytes, 24 * 1024 * 1024);
  EXPECT_EQ(c->http.max_inflight_body_bytes, 256 * 1024 * 1024);
  EXPECT_EQ(c->http.max_header_bytes, 16 * 1024);
  EXPECT_EQ(c->http.read_timeout_s, 30);
  EXPECT_EQ(c->http.idle_timeout_s, 75);
  EXPECT_EQ(c->http.shutdown_grace_s, 15);
  EXPECT_EQ(c->http.max_connections, 10000);
  EXPECT_FALSE(c->tls.Enabled());
  EXPECT_EQ(c->storage.url, "");
  EXPECT_EQ(c->storage.sqlite_readers, 4);
  EXPECT_EQ(c->storage.pool_size, 8);
  EXPECT_EQ(c->storage.busy_timeout_ms, 5000);
  EXPECT_EQ(c->storage.connect_timeout_s, 5);
  EXPECT_EQ(c->log.level, "info");
  EXPECT_EQ(c->log.format, "text");
  EXPECT_TRUE(c->log.access_log);
  EXPECT_EQ(c->web.dir, "");
  EXPECT_EQ(c->directory.max_members, 0);
  EXPECT_EQ(c->stream.heartbeat_s, 25);
  EXPECT_EQ(c->stream.max_queue, 1024);
  EXPECT_EQ(c->callback.timeout_ms, 5000);
  EXPECT_EQ(c->callback.retry_base_ms, 1000);
  EXPECT_EQ(c->callback.retry_max_ms, 600000);
  EXPECT_EQ(c->callback.max_attempts, 15);
  EXPECT_EQ(c->callback.batch, 256);
  EXPECT_FALSE(c->testing.enabled);
}

TEST(ConfigDefaultsTest, KeysListsEveryKeyWithTypeAndTomlDefault) {
  const auto keys = Keys();
  EXPECT_EQ(keys.size(), 61u);
  auto find = [&](const std::string& section, const std::string& key) -> const KeyInfo* {
    for (const auto& k : keys) {
      if (k.section == section && k.key == key) return &k;
    }
    return nullptr;
  };
  const KeyInfo* listen = find("server", "listen");
  ASSERT_NE(listen, nullptr);
  EXPECT_EQ(listen->type, "string");
  EXPECT_EQ(listen->default_value, "\"0.0.0.0:8080\"");
  const KeyInfo* body = find("http", "max_body_bytes");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->type, "integer");
  EXPECT_EQ(body->default_value, "25165824");
  const KeyInfo* access = find("log", "access_log");
  ASSERT_NE(access, nullptr);
  EXPECT_EQ(access->type, "boolean");
  EXPECT_EQ(access->default_value, "true");
  const KeyInfo* url = find("storage", "url");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->default_value, "\"\"");
  const KeyInfo* max_members = find("directory", "max_members");
  ASSERT_NE(max_members, nullptr);
  EXPECT_EQ(max_members->type, "integer");
  EXPECT_EQ(max_members->default_value, "0");
  const KeyInfo* heartbeat = find("stream", "heartbeat_s");
  ASSERT_NE(heartbeat, nullptr);
  EXPECT_EQ(heartbeat->default_value, "25");
  EXPECT_EQ(find("server", "nope"), nullptr);
}

TEST_F(ConfigFileTest, AppliesFileValues) {
  auto c = LoadToml(R"(
[server]
listen = "127.0.0.1:9000"
io_threads = 3
data_dir = "/var/lib/corphub"
public_url = "https://im.example.edu.cn"

[http]
max_body_bytes = 2048
max_inflight_body_bytes = 4096

[storage]
url = "postgresql://u@db/corphub"
pool_size = 20

[log]
level = "debug"
format = "json"
access_log = false

[web]
dir = "/srv/web"

[testing]
enabled = true
)");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen, "127.0.0.1:9000");
  EXPECT_EQ(c->server.io_threads, 3);
  EXPECT_EQ(c->server.worker_threads, 0);  // untouched keys keep their defaults
  EXPECT_EQ(c->server.data_dir, "/var/lib/corphub");
  EXPECT_EQ(c->server.public_url, "https://im.example.edu.cn");
  EXPECT_EQ(c->http.max_body_bytes, 2048);
  EXPECT_EQ(c->http.max_inflight_body_bytes, 4096);
  EXPECT_EQ(c->http.read_timeout_s, 30);
  EXPECT_EQ(c->storage.url, "postgresql://u@db/corphub");
  EXPECT_EQ(c->storage.pool_size, 20);
  EXPECT_EQ(c->log.level, "debug");
  EXPECT_EQ(c->log.format, "json");
  EXPECT_FALSE(c->log.access_log);
  EXPECT_EQ(c->web.dir, "/srv/web");
  EXPECT_TRUE(c->testing.enabled);
}

TEST_F(ConfigFileTest, AnEmptyFileGivesTheDefaults) {
  auto c = LoadToml("# nothing here\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen, "0.0.0.0:8080");
}

TEST_F(ConfigFileTest, RefusesAnUnknownSection) {
  ExpectRefused("[nosuch]\nx = 1\n", {"[nosuch]", "server"});
}

TEST_F(ConfigFileTest, RefusesATopLevelKey) {
  ExpectRefused("listen = \"0.0.0.0:1\"\n", {"listen"});
}

TEST_F(ConfigFileTest, RefusesAnUnknownKeyNamingItAndTheKnownOnes) {
  ExpectRefused("[server]\nlistn = \"0.0.0.0:1\"\n", {"server.listn", "listen", "data_dir"});
}

TEST_F(ConfigFileTest, RefusesASubTable) {
  ExpectRefused("[server.extra]\nx = 1\n", {"server.extra"});
}

TEST_F(ConfigFileTest, RefusesWrongTypes) {
  ExpectRefused("[server]\nio_threads = \"4\"\n", {"server.io_threads", "integer"});
  ExpectRefused("[server]\nlisten = 8080\n", {"server.listen", "string"});
  ExpectRefused("[log]\naccess_log = \"yes\"\n", {"log.access_log", "boolean"});
  ExpectRefused("[http]\nread_timeout_s = 1.5\n", {"http.read_timeout_s", "integer"});
  ExpectRefused("[testing]\nenabled = 1\n", {"testing.enabled", "boolean"});
}

TEST_F(ConfigFileTest, RefusesOutOfRangeIntegersNamingTheBounds) {
  ExpectRefused("[server]\nio_threads = 65\n", {"server.io_threads", "65", "0", "64"});
  ExpectRefused("[server]\nio_threads = -1\n", {"server.io_threads", "-1"});
  ExpectRefused("[http]\nmax_body_bytes = 1023\n", {"http.max_body_bytes", "1023", "1024"});
  ExpectRefused("[http]\nread_timeout_s = 0\n", {"http.read_timeout_s"});
  ExpectRefused("[storage]\npool_size = 1001\n", {"storage.pool_size", "1000"});
}

TEST_F(ConfigFileTest, AcceptsIntegersAtTheirBounds) {
  auto c = LoadToml("[server]\nio_threads = 64\nworker_threads = 256\n[storage]\npool_size = 1\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.io_threads, 64);
  EXPECT_EQ(c->server.worker_threads, 256);
  EXPECT_EQ(c->storage.pool_size, 1);
}

TEST_F(ConfigFileTest, EnforcesLogLevelChoices) {
  ExpectRefused("[log]\nlevel = \"verbose\"\n", {"log.level", "verbose", "debug", "off"});
  ExpectRefused("[log]\nlevel = \"INFO\"\n", {"log.level"});
  ExpectRefused("[log]\nformat = \"xml\"\n", {"log.format", "json"});
  for (const char* level : {"trace", "debug", "info", "warn", "error", "off"}) {
    auto c = LoadToml(std::string("[log]\nlevel = \"") + level + "\"\n");
    ASSERT_TRUE(c.ok()) << level << ": " << c.error().message;
    EXPECT_EQ(c->log.level, level);
  }
}

TEST_F(ConfigFileTest, RefusesASyntaxErrorNamingTheLine) {
  ExpectRefused("[server]\nlisten = \"0.0.0.0:1\"\nio_threads = = 3\n", {":3:"});
}

TEST(ConfigLoadTest, RefusesAMissingFile) {
  TempDir dir;
  const std::string missing = (dir.path() / "absent.toml").string();
  LoadOptions options;
  options.file = missing;
  auto c = Load(options);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, core::ErrorKind::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, missing)) << c.error().message;
}

// Checks across keys run after every source is applied, so they name the key, not the file.
TEST_F(ConfigFileTest, ValidatesTheListenAddress) {
  auto c = LoadToml("[server]\nlisten = \"8080\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, core::ErrorKind::kInvalidArgument);
  EXPECT_TRUE(Contains(c.error().message, "server.listen")) << c.error().message;
  EXPECT_TRUE(Contains(c.error().message, "\"8080\"")) << c.error().message;
}

TEST_F(ConfigFileTest, RefusesAnEmptyDataDir) {
  auto c = LoadToml("[server]\ndata_dir = \"\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message, "server.data_dir")) << c.error().message;
}

TEST_F(ConfigFileTest, RefusesATlsCertificateWithoutKeyAndViceVersa) {
  auto cert_only = LoadToml("[tls]\ncert_file = \"/etc/corphub/cert.pem\"\n");
  ASSERT_FALSE(cert_only.ok());
  EXPECT_TRUE(Contains(cert_only.error().message, "tls.key_file")) << cert_only.error().message;

  auto key_only = LoadToml("[tls]\nkey_file = \"/etc/corphub/key.pem\"\n");
  ASSERT_FALSE(key_only.ok());
  EXPECT_TRUE(Contains(key_only.error().message, "tls.cert_file")) << key_only.error().message;

  auto both = LoadToml("[tls]\ncert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n");
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_TRUE(both->tls.Enabled());
  EXPECT_EQ(both->tls.cert_file, "/c.pem");
  EXPECT_EQ(both->tls.key_file, "/k.pem");
}

TEST_F(ConfigFileTest, RefusesAnInflightLimitBelowTheBodyLimit) {
  auto c = LoadToml("[http]\nmax_body_bytes = 4096\nmax_inflight_body_bytes = 2048\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message, "max_inflight_body_bytes")) << c.error().message;
}

TEST_F(ConfigFileTest, CommandLineOverridesWinOverTheFileAndEnvironment) {
  const std::string file = dir_.Write(
      "corphub.toml", "[server]\nlisten = \"127.0.0.1:1111\"\ndata_dir = \"/from/file\"\n");
  LoadOptions options;
  options.file = file;
  options.env = {{"CORPHUB_SERVER_LISTEN", "127.0.0.1:2222"},
                 {"CORPHUB_SERVER_DATA_DIR", "/from/env"}};
  options.listen_override = "[::1]:0";
  options.data_override = "/from/flag";
  auto c = Load(options);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen, "[::1]:0");
  EXPECT_EQ(c->server.data_dir, "/from/flag");
}

TEST(ConfigLoadTest, OverridesAreValidatedToo) {
  LoadOptions bad_listen;
  bad_listen.listen_override = "nonsense";
  auto c = Load(bad_listen);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(Contains(c.error().message, "server.listen")) << c.error().message;

  LoadOptions empty_data;
  empty_data.data_override = "";
  auto d = Load(empty_data);
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(Contains(d.error().message, "data_dir")) << d.error().message;
}

}  // namespace
}  // namespace corphub::config
