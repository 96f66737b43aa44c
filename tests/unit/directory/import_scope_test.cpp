#include "directory/import_scope.hpp"

#include <gtest/gtest.h>

namespace corphub::directory {
namespace {

TEST(ImportScopeTest, AJobsScopeReadsBackAsItWasKept) {
  for (const ImportScope& scope :
       {ImportScope{{5, 7}, {3}}, ImportScope{{}, {3, 4}}, ImportScope{{12}, {}}, ImportScope{}}) {
    const auto text = EncodeImportScope(scope);
    EXPECT_EQ(DecodeImportScope(text), scope) << text;
  }
  EXPECT_EQ(EncodeImportScope(ImportScope{{5, 7}, {3}}), "d:5,7;t:3");
}

TEST(ImportScopeTest, ATextThatIsNoScopeIsRefused) {
  for (std::string_view bad : {"", "5,7", "d:5", "d:5,x;t:", "d:;t:3,", "d:1;t:2;t:3"}) {
    EXPECT_FALSE(DecodeImportScope(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace corphub::directory
