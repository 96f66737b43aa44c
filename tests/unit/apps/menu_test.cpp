#include "apps/menu.hpp"

#include <gtest/gtest.h>

namespace corphub::apps {
namespace {

MenuButton Leaf(std::string type, std::string name, std::string key = "k") {
  MenuButton b;
  b.type = std::move(type);
  b.name = std::move(name);
  if (b.type == "view") {
    b.url = key == "k" ? "https://oa.example.com/a" : key;
  } else if (b.type == "view_miniprogram") {
    b.appid = "wx1";
    b.pagepath = "pages/index";
  } else {
    b.key = std::move(key);
  }
  return b;
}

MenuButton Submenu(std::string name, std::vector<MenuButton> leaves) {
  MenuButton b;
  b.name = std::move(name);
  b.has_sub_button = true;
  b.sub_button = std::move(leaves);
  return b;
}

int Code(const std::vector<MenuButton>& buttons) {
  auto s = ValidateMenu(buttons);
  return s.ok() ? 0 : s.error().WecomCode();
}

TEST(MenuTest, EveryTypeIsAcceptedWithTheFieldItUses) {
  std::vector<MenuButton> sub;
  for (const char* t :
       {"scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin"}) {
    sub.push_back(Leaf(t, t));
  }
  std::vector<MenuButton> menu = {
      Leaf("click", "今日"), Submenu("工具", sub),
      Submenu("更多", {Leaf("location_select", "位置"), Leaf("view", "主页"),
                       Leaf("view_miniprogram", "小程序")})};
  EXPECT_EQ(Code(menu), 0);
  EXPECT_TRUE(IsMenuButtonType("view_miniprogram"));
  EXPECT_FALSE(IsMenuButtonType("media_id"));
}

TEST(MenuTest, CountsFollowWecom) {
  EXPECT_EQ(Code({}), 40016);
  EXPECT_EQ(Code({Leaf("click", "a"), Leaf("click", "b"), Leaf("click", "c")}), 0);
  EXPECT_EQ(Code({Leaf("click", "a"), Leaf("click", "b"), Leaf("click", "c"), Leaf("click", "d")}),
            40016);
  EXPECT_EQ(Code({Submenu("s", {})}), 40017);
  std::vector<MenuButton> five(5, Leaf("click", "x"));
  EXPECT_EQ(Code({Submenu("s", five)}), 0);
  five.push_back(Leaf("click", "y"));
  EXPECT_EQ(Code({Submenu("s", five)}), 40017);
}

TEST(MenuTest, TwoLevelsOnly) {
  EXPECT_EQ(Code({Submenu("s", {Submenu("inner", {Leaf("click", "x")})})}), 40022);
}

TEST(MenuTest, NamesAreCountedInBytes) {
  // 16 bytes at the top: five Chinese characters (15 bytes) fit, six (18) do not.
  EXPECT_EQ(Code({Leaf("click", "五个汉字呀")}), 0);
  EXPECT_EQ(Code({Leaf("click", "六个汉字呀呀")}), 40018);
  EXPECT_EQ(Code({Leaf("click", std::string(16, 'a'))}), 0);
  EXPECT_EQ(Code({Leaf("click", "")}), 40018);
  EXPECT_EQ(Code({Submenu(std::string(17, 'a'), {Leaf("click", "x")})}), 40018);
  // 40 bytes in a submenu.
  EXPECT_EQ(Code({Submenu("s", {Leaf("click", std::string(40, 'a'))})}), 0);
  EXPECT_EQ(Code({Submenu("s", {Leaf("click", std::string(41, 'a'))})}), 40018);
}

TEST(MenuTest, TypesKeysAndUrls) {
  EXPECT_EQ(Code({Leaf("tap", "a")}), 40015);
  EXPECT_EQ(Code({Leaf("", "a")}), 40015);
  EXPECT_EQ(Code({Leaf("click", "a", "")}), 40019);
  EXPECT_EQ(Code({Leaf("click", "a", std::string(128, 'k'))}), 0);
  EXPECT_EQ(Code({Leaf("click", "a", std::string(129, 'k'))}), 40019);
  EXPECT_EQ(Code({Leaf("scancode_push", "a", "")}), 40019);
  EXPECT_EQ(Code({Leaf("view", "a", "ftp://oa.example.com/")}), 40054);
  EXPECT_EQ(Code({Leaf("view", "a", "https://")}), 40054);
  EXPECT_EQ(Code({Leaf("view", "a", "https://oa.example.com/a b")}), 40054);
  EXPECT_EQ(Code({Leaf("view", "a", "http://oa/" + std::string(1014, 'p'))}), 0);
  EXPECT_EQ(Code({Leaf("view", "a", "http://oa/" + std::string(1015, 'p'))}), 40054);
  MenuButton mini = Leaf("view_miniprogram", "a");
  mini.pagepath.clear();
  EXPECT_EQ(Code({mini}), 40015);
}

TEST(MenuTest, TheErrorNamesTheButton) {
  auto s = ValidateMenu({Leaf("click", "a"), Submenu("s", {Leaf("click", "x"), Leaf("tap", "y")})});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("button 2.2"), std::string::npos) << s.error().message;
}

TEST(MenuTest, TheStoredFormKeepsOnlyEachTypesFields) {
  MenuButton click = Leaf("click", "今日");
  click.url = "https://ignored.example.com/";
  std::vector<MenuButton> menu = {click, Submenu("更多", {Leaf("view", "主页")})};
  EXPECT_EQ(MenuJson(menu), R"({"button":[{"type":"click","name":"今日","key":"k"},)"
                            R"({"name":"更多","sub_button":[{"type":"view","name":"主页",)"
                            R"("url":"https://oa.example.com/a"}]}]})");
}

}  // namespace
}  // namespace corphub::apps
