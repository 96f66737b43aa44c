// The Sql surface itself: values round-trip, `?` inside literals, rows affected, misuse.
#include <gtest/gtest.h>

#include <limits>

#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

constexpr std::string_view kTable =
    "CREATE TABLE t_values (id INTEGER PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT)";

TEST_P(StoreTest, ValuesRoundTrip) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  const std::string text = "企业微信 it's \"quoted\" ? and $1 and \\ backslash";
  auto written = store->WriteSql([&](Sql& sql) -> core::Status {
    CORPHUB_TRY(sql.ExecScript(std::string(kTable) + ";"));
    const std::string insert = "INSERT INTO t_values (id, i, d, s) VALUES (?, ?, ?, ?)";
    CORPHUB_TRY(sql.Exec(insert, {std::int64_t{1}, big, 0.1, text}));
    CORPHUB_TRY(sql.Exec(insert, {std::int64_t{2}, small, -2.5e300, std::string()}));
    CORPHUB_TRY(sql.Exec(insert, {std::int64_t{3}, nullptr, nullptr, nullptr}));
    return core::Ok();
  });
  ASSERT_TRUE(written.ok()) << written.error().message;

  std::vector<Row> rows;
  auto read = store->ReadSql([&](Sql& sql) -> core::Status {
    auto r = sql.Query("SELECT id, i, d, s FROM t_values ORDER BY id");
    if (!r.ok()) return std::move(r).error();
    rows = *r;
    return core::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].GetInt64(1), big);
  EXPECT_EQ(rows[0].GetDouble(2), 0.1);
  EXPECT_EQ(rows[0].GetString(3), text);
  EXPECT_EQ(rows[1].GetInt64(1), small);
  EXPECT_EQ(rows[1].GetDouble(2), -2.5e300);
  EXPECT_EQ(rows[1].GetString(3), "");
  EXPECT_FALSE(rows[1].IsNull(3)) << "empty text is not NULL";
  for (std::size_t c = 1; c < 4; ++c) EXPECT_TRUE(rows[2].IsNull(c));
  EXPECT_EQ(rows[2].GetOptionalInt64(1), std::nullopt);
  EXPECT_EQ(rows[2].GetOptionalString(3), std::nullopt);
  EXPECT_THROW((void)rows[2].GetString(3), std::logic_error);
  EXPECT_THROW((void)rows[0].GetInt64(3), std::logic_error);
  EXPECT_THROW((void)rows[0].At(4), std::logic_error);
}

TEST_P(StoreTest, PlaceholdersInsideLiteralsAreText) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  std::int64_t changed = -1;
  std::vector<Row> rows;
  auto status = store->WriteSql([&](Sql& sql) -> core::Status {
    CORPHUB_TRY(sql.Exec(kTable));
    CORPHUB_TRY(sql.Exec("INSERT INTO t_values (id, s) VALUES (1, '?'), (2, 'a?b'), (3, ?)",
                         {std::string("x")}));
    // One real placeholder among quoted ones and a comment with a '?'.
    auto n = sql.Exec("UPDATE t_values SET i = ? -- why?\n WHERE s = '?' OR s = 'a?b'",
                      {std::int64_t{7}});
    if (!n.ok()) return std::move(n).error();
    changed = *n;
    auto r = sql.Query("SELECT id, i, s, '\"?\"' FROM t_values WHERE i = ? ORDER BY id",
                       {std::int64_t{7}});
    if (!r.ok()) return std::move(r).error();
    rows = *r;
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(changed, 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].GetString(2), "?");
  EXPECT_EQ(rows[1].GetString(2), "a?b");
  EXPECT_EQ(rows[0].GetString(3), "\"?\"");
}

TEST_P(StoreTest, ExecReturnsRowsAffectedAndRejectsWrongParameterCounts) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  std::int64_t inserted = -1;
  std::int64_t deleted = -1;
  auto status = store->WriteSql([&](Sql& sql) -> core::Status {
    auto n = sql.Exec("INSERT INTO probe_rows (key, value) VALUES ('a', '1'), ('b', '2')");
    if (!n.ok()) return std::move(n).error();
    inserted = *n;
    auto d = sql.Exec("DELETE FROM probe_rows WHERE key = ?", {std::string("a")});
    if (!d.ok()) return std::move(d).error();
    deleted = *d;
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(inserted, 2);
  EXPECT_EQ(deleted, 1);

  auto wrong = store->WriteSql([](Sql& sql) -> core::Status {
    CORPHUB_TRY(sql.Exec("DELETE FROM probe_rows WHERE key = ?"));
    return core::Ok();
  });
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, core::ErrorKind::kInternal);
  EXPECT_NE(wrong.error().message.find("DELETE FROM probe_rows"), std::string::npos)
      << "the message names the statement: " << wrong.error().message;
}

}  // namespace
}  // namespace corphub::storage::testing
