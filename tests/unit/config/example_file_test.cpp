// The shipped config/corphub.example.toml must list exactly the keys of config::Keys(), each
// with its default, so the documentation cannot drift from the code.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "config/config.hpp"

namespace corphub::config {
namespace {

const std::string kExample = std::string(CORPHUB_SOURCE_DIR) + "/config/corphub.example.toml";

std::string TypeOf(const toml::node& node) {
  if (node.is_string()) return "string";
  if (node.is_integer()) return "integer";
  if (node.is_boolean()) return "boolean";
  return "other";
}

// How a value reads in a failure message.
std::string Describe(const toml::node& node) {
  if (node.is_string()) return "\"" + *node.value<std::string>() + "\"";
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  std::ostringstream out;
  out << "(a " << node.type() << ")";
  return out.str();
}

// Same typed value: TOML text is compared by what it means, not by how it is spelled.
bool SameValue(const toml::node& a, const toml::node& b) {
  if (TypeOf(a) != TypeOf(b)) return false;
  if (a.is_string()) return *a.value<std::string>() == *b.value<std::string>();
  if (a.is_integer()) return *a.value<std::int64_t>() == *b.value<std::int64_t>();
  if (a.is_boolean()) return *a.value<bool>() == *b.value<bool>();
  return false;
}

TEST(ExampleConfigTest, LoadsCleanly) {
  LoadOptions options;
  options.file = kExample;
  auto c = Load(options);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen, Config{}.server.listen);
}

TEST(ExampleConfigTest, ListsExactlyTheKeysWithTheirDefaults) {
  toml::table root;
  try {
    root = toml::parse_file(kExample);
  } catch (const toml::parse_error& e) {
    FAIL() << kExample << ": " << e.description();
  }

  std::map<std::string, const toml::node*> in_file;
  for (const auto& [section, node] : root) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      in_file.emplace(std::string(section.str()), &node);  // a top-level key: never expected
      continue;
    }
    for (const auto& [key, value] : *table) {
      in_file.emplace(std::string(section.str()) + "." + std::string(key.str()), &value);
    }
  }

  std::set<std::string> in_code;
  for (const KeyInfo& k : Keys()) {
    const std::string name = k.section + "." + k.key;
    in_code.insert(name);
    auto it = in_file.find(name);
    if (it == in_file.end()) {
      ADD_FAILURE() << name << " is missing from " << kExample;
      continue;
    }
    const toml::node& documented = *it->second;
    EXPECT_EQ(TypeOf(documented), k.type) << name;
    const toml::table expected = toml::parse("v = " + k.default_value);
    ASSERT_NE(expected.get("v"), nullptr) << name << ": bad default " << k.default_value;
    EXPECT_TRUE(SameValue(documented, *expected.get("v")))
        << name << " is documented as " << Describe(documented) << " but defaults to "
        << k.default_value;
  }
  for (const auto& [name, node] : in_file) {
    EXPECT_TRUE(in_code.count(name) == 1) << kExample << " documents unknown key " << name;
  }
  EXPECT_EQ(in_file.size(), in_code.size());
}

}  // namespace
}  // namespace corphub::config
