// Choosing the backend from the url, and what a bad PostgreSQL target says (no server needed).
#include "storage/target.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "printers.hpp"
#include "storage/postgres/placeholders.hpp"
#include "storage/store.hpp"

namespace corphub::storage {
namespace {

// A port nothing listens on: the OS hands out a free one, which is closed again at once.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

ResolvedTarget Resolve(const std::string& url, const std::string& data_dir = "") {
  StorageOptions options;
  options.url = url;
  options.data_dir = data_dir;
  auto r = ResolveTarget(options);
  EXPECT_TRUE(r.ok()) << url << ": " << r.error().message;
  return r.ok() ? *r : ResolvedTarget{};
}

TEST(ResolveTarget, PicksTheBackendFromTheUrl) {
  EXPECT_EQ(Resolve("", "/srv/corphub").location, "/srv/corphub/corphub.db");
  EXPECT_EQ(Resolve("", "/srv/corphub").kind, BackendKind::kSqlite);
  EXPECT_EQ(Resolve("sqlite:data/x.db").location, "data/x.db");
  EXPECT_EQ(Resolve("sqlite:///var/lib/corphub.db").location, "/var/lib/corphub.db");
  EXPECT_EQ(Resolve("sqlite://rel/x.db").location, "rel/x.db");
  EXPECT_EQ(Resolve("sqlite:/abs/x.db").location, "/abs/x.db");
  for (const char* url : {"postgres://u@h/db", "postgresql://u:p@h:5433/db?sslmode=require",
                          "host=db1 dbname=corphub user=corphub"}) {
    auto t = Resolve(url);
    EXPECT_EQ(t.kind, BackendKind::kPostgres) << url;
    EXPECT_EQ(t.location, url);
  }
}

TEST(ResolveTarget, RejectsWhatItCannotUseWithoutEchoingTheUrl) {
  for (const char* url :
       {"mysql://root:hunter2@h/db", "sqlite:", "sqlite://", "sqlite::memory:", "hunter2"}) {
    StorageOptions options;
    options.url = url;
    auto r = ResolveTarget(options);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().kind, core::ErrorKind::kInvalidArgument);
    EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(ResolveTarget(StorageOptions{}).ok()) << "no url and no data_dir";
}

TEST(PostgresTarget, UnreachableServerIsUnavailableAndNeverShowsThePassword) {
  const int port = ClosedPort();
  const std::string password = "Sekr3t-pw";
  for (const std::string& url :
       {"postgresql://corphub:" + password + "@127.0.0.1:" + std::to_string(port) + "/corphub",
        "host=127.0.0.1 port=" + std::to_string(port) + " user=corphub password=" + password +
            " dbname=corphub"}) {
    StorageOptions options;
    options.url = url;
    options.connect_timeout_s = 2;
    auto store = Store::Open(options);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.error().kind, core::ErrorKind::kUnavailable);
    const std::string& message = store.error().message;
    EXPECT_TRUE(message.starts_with("cannot connect to PostgreSQL at 127.0.0.1:" +
                                    std::to_string(port) + "/corphub as corphub: "))
        << message;
    EXPECT_NE(message.find("refused"), std::string::npos) << "the reason is given: " << message;
    EXPECT_EQ(message.find(password), std::string::npos) << message;
  }
}

TEST(PostgresTarget, MalformedUrlIsRejectedWithoutQuotingIt) {
  StorageOptions options;
  options.url = "postgresql://corphub:pw%zzSecret@127.0.0.1/corphub";
  auto store = Store::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(store.error().message.find("Secret"), std::string::npos) << store.error().message;
}

TEST(StoreOptions, NonsenseSizesAreInvalid) {
  StorageOptions options;
  options.data_dir = "/nonexistent-but-unused";
  options.sqlite_readers = 0;
  auto store = Store::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, core::ErrorKind::kInvalidArgument);
}

TEST(Placeholders, NumberedInOrderOutsideQuotesAndComments) {
  using postgres::RewritePlaceholders;
  auto r = RewritePlaceholders(
      "SELECT ?, '?', \"a?\", E'\\'?', $$?$$, $tag$ ? $tag$, ? -- ?\n"
      "/* ? */ FROM t WHERE x = ? AND y = 'it''s ?'");
  EXPECT_EQ(r.sql,
            "SELECT $1, '?', \"a?\", E'\\'?', $$?$$, $tag$ ? $tag$, $2 -- ?\n"
            "/* ? */ FROM t WHERE x = $3 AND y = 'it''s ?'");
  EXPECT_EQ(r.placeholders, 3u);
  EXPECT_EQ(RewritePlaceholders("SELECT 1").placeholders, 0u);
  EXPECT_EQ(RewritePlaceholders("? ?").sql, "$1 $2");
  EXPECT_EQ(RewritePlaceholders("SELECT 'unterminated ?").placeholders, 0u);
}

}  // namespace
}  // namespace corphub::storage
