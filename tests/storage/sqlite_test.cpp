// SQLite-only settings: durability and integrity pragmas, read-only readers, url forms.
#include <gtest/gtest.h>

#include <filesystem>

#include "printers.hpp"
#include "scratch_database.hpp"
#include "storage/store.hpp"

namespace corphub::storage::testing {
namespace {

core::Result<std::string> Pragma(Store& store, bool writer, const std::string& name) {
  std::string value;
  auto fn = [&](Sql& sql) -> core::Status {
    auto rows = sql.Query("PRAGMA " + name);
    if (!rows.ok()) return std::move(rows).error();
    const Value& v = rows->at(0).At(0);
    value = std::holds_alternative<std::string>(v) ? std::get<std::string>(v)
                                                   : std::to_string(std::get<std::int64_t>(v));
    return core::Ok();
  };
  auto status = writer ? store.WriteSql(fn) : store.ReadSql(fn);
  if (!status.ok()) return std::move(status).error();
  return value;
}

TEST(Sqlite, WriterIsDurableAndReadersAreReadOnly) {
  ScratchDatabases scratch(TestBackend::kSqlite);
  auto store = Store::Open(scratch.Create());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Store& s = **store;
  EXPECT_EQ(*Pragma(s, true, "journal_mode"), "wal");
  EXPECT_EQ(*Pragma(s, true, "synchronous"), "2") << "FULL: a commit waits for its fsync";
  EXPECT_EQ(*Pragma(s, true, "foreign_keys"), "1");
  EXPECT_EQ(*Pragma(s, true, "query_only"), "0");
  EXPECT_EQ(*Pragma(s, false, "query_only"), "1");
  EXPECT_EQ(*Pragma(s, false, "foreign_keys"), "1");
  EXPECT_EQ(*Pragma(s, true, "busy_timeout"), "5000");
}

TEST(Sqlite, UrlFormsNameTheFileAndItsDirectoryIsCreated) {
  ScratchDatabases scratch(TestBackend::kSqlite);
  const auto dir = std::filesystem::path(scratch.Create().data_dir);
  for (std::string prefix : {"sqlite:", "sqlite://"}) {
    const auto file = dir / (prefix.size() == 7 ? "a" : "b") / "nested" / "x.db";
    StorageOptions options;
    options.url = prefix + file.string();
    options.busy_timeout_ms = 1234;
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ((*store)->Describe(), "sqlite " + file.string());
    EXPECT_TRUE((*store)->Migrate().ok());
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(*Pragma(**store, true, "busy_timeout"), "1234");
  }
}

TEST(Sqlite, UnopenablePathIsUnavailable) {
  ScratchDatabases scratch(TestBackend::kSqlite);
  const auto dir = std::filesystem::path(scratch.Create().data_dir);
  std::filesystem::create_directories(dir / "taken");
  StorageOptions options;
  options.url = "sqlite:" + (dir / "taken").string();  // a directory, not a file
  auto store = Store::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, core::ErrorKind::kUnavailable) << store.error().message;
  EXPECT_NE(store.error().message.find("taken"), std::string::npos) << store.error().message;
}

}  // namespace
}  // namespace corphub::storage::testing
