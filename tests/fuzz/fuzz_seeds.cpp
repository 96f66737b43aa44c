// Writes the seeds that the project's own code makes (XLSX workbooks, sealed callback
// envelopes), so that they follow that code and never come from elsewhere.
// `fuzz_seeds TARGET DIR` adds the seeds of that fuzz target to DIR (nothing for the others).
#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "callback_seal.hpp"
#include "directory/import_files.hpp"
#include "office/xlsx.hpp"

namespace {

namespace office = corphub::office;
namespace import = corphub::directory::import;

bool Write(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::vector<std::array<std::string, import::kColumnCount>> Members() {
  return {
      {"zhangsan", "张三", "", "13800000000", "zhangsan@example.com", "研发部/后端组", "工程师"},
      {"lisi", "李四", "lisi_im", "+86 139 0000 0000", "", "Sales;研发部", "经理/主管"},
      {"wangwu", " 王五 ", "", "", "wangwu@example.com", "", ""},
  };
}

bool XlsxSeeds(const std::string& dir) {
  const std::vector<office::Row> sheet = {
      {"账号", "姓名", "手机"},
      {"zhangsan", "张三", "13800000000"},
      {"", "skipped cell", "", "x"},
      {},
      {"_x000D_ literal", "a & b < c", " spaced "},
  };
  auto book = office::WriteXlsx(sheet, "Members");
  return book.ok() && Write(dir, "members.xlsx", *book);
}

bool ImportSeeds(const std::string& dir) {
  for (auto [format, language, name] :
       {std::tuple{import::FileFormat::kXlsx, import::Language::kZh, "members-zh.xlsx"},
        std::tuple{import::FileFormat::kXlsx, import::Language::kEn, "members-en.xlsx"},
        std::tuple{import::FileFormat::kCsv, import::Language::kZh, "members-zh.csv"}}) {
    auto bytes = import::WriteImportFile(Members(), format, language);
    if (!bytes.ok() || !Write(dir, name, *bytes)) return false;
  }
  return true;
}

// Callback envelopes whose <Encrypt> opens with the fuzz target's key.
bool CallbackSeeds(const std::string& dir) {
  const std::string_view messages[] = {
      "<xml><ToUserName><![CDATA[wwfuzzcorp0000001]]></ToUserName><FromUserName><![CDATA["
      "zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]>"
      "</MsgType><Content><![CDATA[你好 &amp; hi]]></Content><MsgId>1234567890123456</MsgId>"
      "<AgentID>1000002</AgentID></xml>",
      "<xml><ToUserName><![CDATA[wwfuzzcorp0000001]]></ToUserName><FromUserName><![CDATA[sys]]>"
      "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
      "<Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[update_user]]></ChangeType>"
      "<UserID><![CDATA[zhangsan]]></UserID><Department><![CDATA[1,2]]></Department></xml>",
      "",
  };
  int n = 0;
  for (std::string_view message : messages) {
    auto encrypt = corphub::fuzz::Seal(message, "0123456789abcdef");
    if (!encrypt) return false;
    if (!Write(dir, "envelope" + std::to_string(++n) + ".xml", corphub::fuzz::Envelope(*encrypt))) {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_seeds TARGET DIR\n");
    return 2;
  }
  const std::string_view target = argv[1];
  const std::string dir = argv[2];
  bool ok = true;
  if (target == "callback") ok = CallbackSeeds(dir);
  if (target == "xlsx") ok = XlsxSeeds(dir);
  if (target == "import") ok = ImportSeeds(dir);
  if (!ok) std::fprintf(stderr, "fuzz_seeds: could not write the %s seeds\n", argv[1]);
  return ok ? 0 : 1;
}
