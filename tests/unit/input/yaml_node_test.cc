#include "input/yaml_node.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "store/fixture.h"

namespace datazone_mock {
namespace {

TEST(YamlNodeTest, BuildsTheTreeWithMarks) {
  YamlNode root;
  YamlParseError error;
  ASSERT_TRUE(ParseYamlDocument("a: [1, {b: ~}]\nc: text\n", root, error)) << error.message;
  ASSERT_TRUE(root.IsMap());
  ASSERT_EQ(root.members().size(), 2u);
  const auto& [a_key, a_value] = root.members()[0];
  EXPECT_EQ(a_key.Scalar(), "a");
  ASSERT_TRUE(a_value.IsSequence());
  EXPECT_EQ(a_value[0].Scalar(), "1");
  EXPECT_TRUE(a_value[1].members()[0].second.IsNull());
  EXPECT_EQ(root.members()[1].second.Mark().line, 1);
  EXPECT_EQ(root.members()[1].second.Mark().column, 3);
}

TEST(YamlNodeTest, AliasesCopyTheirAnchor) {
  YamlNode root;
  YamlParseError error;
  ASSERT_TRUE(ParseYamlDocument("base: &b {x: 1}\ncopy: *b\n", root, error)) << error.message;
  EXPECT_EQ(root.members()[1].second.members()[0].second.Scalar(), "1");
}

TEST(YamlNodeTest, RefusesDeepNesting) {
  std::string deep;
  for (int i = 0; i < 65; ++i) deep += "[";
  for (int i = 0; i < 65; ++i) deep += "]";
  YamlNode root;
  YamlParseError error;
  EXPECT_FALSE(ParseYamlDocument(deep, root, error));
  EXPECT_EQ(error.message, "nesting deeper than 64 levels");
  EXPECT_EQ(error.mark.column, 64);

  std::string ok;
  for (int i = 0; i < 64; ++i) ok += "[";
  for (int i = 0; i < 64; ++i) ok += "]";
  EXPECT_TRUE(ParseYamlDocument(ok, root, error)) << error.message;
}

TEST(YamlNodeTest, RefusesAnAliasBomb) {
  // Each level doubles the one before: 2^30 nodes once expanded.
  // Streamed, not `"l" + std::to_string(i) + ...`: at -O3 GCC 12 reports a false -Wrestrict
  // (memcpy "may overlap") inside the inlined operator+(const char*, std::string&&).
  std::ostringstream bomb;
  bomb << "l0: &l0 [x, x]\n";
  for (int i = 1; i <= 30; ++i) {
    bomb << 'l' << i << ": &l" << i << " [*l" << i - 1 << ", *l" << i - 1 << "]\n";
  }
  YamlNode root;
  YamlParseError error;
  EXPECT_FALSE(ParseYamlDocument(bomb.str(), root, error));
  EXPECT_EQ(error.message, "more than 10,000,000 nodes (after expanding aliases)");
}

TEST(YamlNodeTest, LimitsBecomeFixtureDiagnostics) {
  const auto result =
      ParseFixture("domains: " + std::string(70, '[') + std::string(70, ']'), "d.yaml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error()[0].ToString(), "d.yaml:1:73: nesting deeper than 64 levels");
}

}  // namespace
}  // namespace datazone_mock
