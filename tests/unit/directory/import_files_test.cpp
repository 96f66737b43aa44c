// The console's import/export files (directory/import_files.hpp).
#include "directory/import_files.hpp"

#include <gtest/gtest.h>

#include "office/xlsx.hpp"

namespace corphub::directory::import {
namespace {

using core::ErrorKind;

const std::string& CellOf(const ImportRow& row, Column c) {
  return row.cells[static_cast<std::size_t>(c)];
}

TEST(ImportFilesTest, ReadsChineseHeadersInAnyOrder) {
  auto file = ReadImportFile(
      "\xEF\xBB\xBF姓名,账号,手机,部门,职务,其他\r\n"
      "张三, zhangsan ,13800000001,研发部/后端组;市场部,工程师/组长,x\r\n"
      ",,,,,\r\n"
      "李四,lisi,,,,\r\n");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->format, FileFormat::kCsv);
  EXPECT_TRUE(file->present[static_cast<std::size_t>(Column::kMobile)]);
  EXPECT_FALSE(file->present[static_cast<std::size_t>(Column::kEmail)]);
  ASSERT_EQ(file->rows.size(), 2u);  // the blank row is skipped
  const ImportRow& r = file->rows[0];
  EXPECT_EQ(r.line, 2u);
  EXPECT_EQ(CellOf(r, Column::kAccount), "zhangsan");  // trimmed
  EXPECT_EQ(CellOf(r, Column::kName), "张三");
  EXPECT_EQ(CellOf(r, Column::kDepartments), "研发部/后端组;市场部");
  EXPECT_EQ(CellOf(r, Column::kEmail), "");
  EXPECT_EQ(file->rows[1].line, 4u);
}

TEST(ImportFilesTest, ReadsEnglishHeadersAndAliases) {
  auto file =
      ReadImportFile("Account*,NAME,IM ID,E-mail,Positions\nzs,Zhang San,im-1,zs@x.cn,PM\n");
  ASSERT_TRUE(file.ok()) << file.error().message;
  const ImportRow& r = file->rows.at(0);
  EXPECT_EQ(CellOf(r, Column::kAccount), "zs");
  EXPECT_EQ(CellOf(r, Column::kImId), "im-1");
  EXPECT_EQ(CellOf(r, Column::kEmail), "zs@x.cn");
  EXPECT_EQ(ColumnOf("帐号"), Column::kAccount);  // WeCom's template spelling
  EXPECT_EQ(ColumnOf(" 手机号码 "), Column::kMobile);
  EXPECT_EQ(ColumnOf("性别"), std::nullopt);
}

TEST(ImportFilesTest, RefusesFilesItCannotImport) {
  auto kind_and_message = [](std::string_view bytes) {
    auto f = ReadImportFile(bytes);
    EXPECT_FALSE(f.ok());
    if (f.ok()) return std::string();
    EXPECT_EQ(f.error().kind, ErrorKind::kImportFileInvalid);
    return f.error().message;
  };
  EXPECT_NE(kind_and_message("账号,手机\nzs,1\n").find("姓名"), std::string::npos);
  EXPECT_NE(kind_and_message("Name\nx\n").find("Account"), std::string::npos);
  EXPECT_NE(kind_and_message("").find("empty"), std::string::npos);
  EXPECT_NE(kind_and_message("账号,姓名\n").find("no members"), std::string::npos);
  EXPECT_NE(kind_and_message("账号,姓名,帐号\na,b,c\n").find("twice"), std::string::npos);
  EXPECT_FALSE(kind_and_message(std::string("PK\x03\x04garbage", 11)).empty());
  EXPECT_FALSE(kind_and_message(std::string("\x00\x01\x02binary", 9)).empty());
  EXPECT_NE(kind_and_message("账号,姓名\n\"a,b\n").find("line"), std::string::npos);
}

TEST(ImportFilesTest, BoundsTheRows) {
  std::string text = "账号,姓名\n";
  for (int i = 0; i < 11; ++i) text += "u" + std::to_string(i) + ",n\n";
  EXPECT_TRUE(ReadImportFile(text, 11).ok());
  auto over = ReadImportFile(text, 10);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kImportFileInvalid);
}

TEST(ImportFilesTest, ReadsXlsxWithRowNumbersAsLines) {
  auto bytes = office::WriteXlsx(
      {{"账号", "姓名", "手机"}, {"zs", "张三", "13800000001"}, {}, {"ls", "李四"}});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto file = ReadImportFile(*bytes);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->format, FileFormat::kXlsx);
  ASSERT_EQ(file->rows.size(), 2u);
  EXPECT_EQ(file->rows[0].line, 2u);
  EXPECT_EQ(CellOf(file->rows[0], Column::kMobile), "13800000001");
  EXPECT_EQ(file->rows[1].line, 4u);
  EXPECT_EQ(CellOf(file->rows[1], Column::kMobile), "");
}

TEST(ImportFilesTest, WrittenFilesReadBack) {
  std::array<std::string, kColumnCount> row = {
      "zs", "张三", "im-1", "+86 138", "a@b.cn", "研发部/后端组;市场部", "经理/主管"};
  for (FileFormat format : {FileFormat::kCsv, FileFormat::kXlsx}) {
    for (Language language : {Language::kZh, Language::kEn}) {
      auto bytes = WriteImportFile({row, row}, format, language);
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      if (format == FileFormat::kCsv) {
        EXPECT_TRUE(bytes->starts_with("\xEF\xBB\xBF"));
      }
      auto file = ReadImportFile(*bytes);
      ASSERT_TRUE(file.ok()) << file.error().message;
      EXPECT_EQ(file->format, format);
      ASSERT_EQ(file->rows.size(), 2u);
      EXPECT_EQ(file->rows[1].cells, row);
      for (bool p : file->present) EXPECT_TRUE(p);
    }
  }
  auto header_only = WriteImportFile({}, FileFormat::kCsv, Language::kEn);
  ASSERT_TRUE(header_only.ok());
  EXPECT_EQ(*header_only,
            "\xEF\xBB\xBF"
            "Account,Name,IM ID,Mobile,Email,Departments,Positions\r\n");
}

TEST(ImportFilesTest, SplitsDepartmentPaths) {
  using Paths = std::vector<std::vector<std::string>>;
  auto paths = SplitPaths(" 研发部 / 后端组 ;市场部；总部／行政;");
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  EXPECT_EQ(*paths, (Paths{{"研发部", "后端组"}, {"市场部"}, {"总部", "行政"}}));
  EXPECT_EQ(SplitPaths("").value(), Paths{});
  auto empty_segment = SplitPaths("研发部//后端组");
  ASSERT_FALSE(empty_segment.ok());
  EXPECT_EQ(empty_segment.error().kind, ErrorKind::kDepartmentNameLength);
}

TEST(ImportFilesTest, NormalisesPositions) {
  EXPECT_EQ(NormalisePositions(" 经理 / 主管 //"), "经理/主管");
  EXPECT_EQ(NormalisePositions("工程师／组长"), "工程师/组长");
  EXPECT_EQ(NormalisePositions(""), "");
}

}  // namespace
}  // namespace corphub::directory::import
