#include "input/json_document.h"

#include <gtest/gtest.h>

#include <string>

#include "input/yaml_reader.h"

namespace datazone_mock {
namespace {

YamlNode ParseOk(const std::string& text) {
  YamlNode root;
  YamlParseError error;
  EXPECT_TRUE(ParseJsonDocument(text, root, error)) << error.message;
  return root;
}

YamlParseError ParseFails(const std::string& text) {
  YamlNode root;
  YamlParseError error;
  EXPECT_FALSE(ParseJsonDocument(text, root, error)) << text;
  return error;
}

TEST(JsonDocumentTest, RecognisesJsonByItsFirstByte) {
  EXPECT_TRUE(LooksLikeJson("{}"));
  EXPECT_TRUE(LooksLikeJson(" \n\t[1]"));
  EXPECT_FALSE(LooksLikeJson("domains: []"));
  EXPECT_FALSE(LooksLikeJson(""));
  EXPECT_FALSE(LooksLikeJson("  "));
}

TEST(JsonDocumentTest, BuildsTheSameTreeAYamlDocumentWould) {
  const YamlNode root = ParseOk(R"({"a": [1, "two", true, null, 2.50], "b": {"c": "d"}})");
  ASSERT_TRUE(root.IsMap());
  ASSERT_EQ(root.members().size(), 2u);
  EXPECT_EQ(root.members()[0].first.Scalar(), "a");
  const YamlNode& list = root.members()[0].second;
  ASSERT_TRUE(list.IsSequence());
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0].Scalar(), "1");
  EXPECT_EQ(list[1].Scalar(), "two");
  EXPECT_EQ(list[2].Scalar(), "true");
  EXPECT_TRUE(list[3].IsNull());
  EXPECT_EQ(list[4].Scalar(), "2.50");  // numbers keep the text they were written as
  EXPECT_EQ(root.members()[1].second.members()[0].second.Scalar(), "d");
}

TEST(JsonDocumentTest, DecodesEscapesAsJsonDefinesThem) {
  // A surrogate pair is one code point (U+1F600); a YAML parser refuses the pair.
  const YamlNode root = ParseOk(R"({"s": "\ud83d\ude00 \u00e9\n\"\\\/"})");
  EXPECT_EQ(root.members()[0].second.Scalar(), "\xF0\x9F\x98\x80 \xC3\xA9\n\"\\/");
}

TEST(JsonDocumentTest, MarksEachNodeWhereItsTokenStarts) {
  const YamlNode root = ParseOk("{\n  \"runs\": [\n    {\"id\": \"r\\\"1\", \"n\": 12}\n  ]\n}");
  EXPECT_EQ(root.Mark().line, 0);
  EXPECT_EQ(root.Mark().column, 0);
  const auto& [key, runs] = root.members()[0];
  EXPECT_EQ(key.Mark().line, 1);
  EXPECT_EQ(key.Mark().column, 2);
  EXPECT_EQ(runs.Mark().column, 10);
  const YamlNode& run = runs[0];
  EXPECT_EQ(run.Mark().line, 2);
  EXPECT_EQ(run.Mark().column, 4);
  // The escaped quote inside "r\"1" does not end its token early.
  EXPECT_EQ(run.members()[1].first.Mark().column, 19);
  EXPECT_EQ(run.members()[1].second.Mark().column, 24);
  EXPECT_EQ(run.members()[1].second.Scalar(), "12");
}

TEST(JsonDocumentTest, KeepsRepeatedKeysForTheReaderToReport) {
  const YamlNode root = ParseOk(R"({"a": 1, "a": 2})");
  ASSERT_EQ(root.members().size(), 2u);
  EXPECT_EQ(root.members()[1].second.Scalar(), "2");
}

TEST(JsonDocumentTest, ReportsSyntaxErrorsWhereTheyAre) {
  const YamlParseError error = ParseFails("{\n  \"a\": 1,\n  }");
  EXPECT_NE(error.message.find("JSON syntax error"), std::string::npos) << error.message;
  EXPECT_EQ(error.mark.line, 2);
  EXPECT_EQ(error.mark.column, 2);
  ParseFails("");
  ParseFails("{\"a\": 1} trailing");
  ParseFails("{\"lone\": \"\\ud83d\"}");  // half a surrogate pair is not a character
}

TEST(JsonDocumentTest, RefusesNestingPastTheLimit) {
  const std::string deep =
      std::string(kMaxYamlDepth + 1, '[') + std::string(kMaxYamlDepth + 1, ']');
  const YamlParseError error = ParseFails(deep);
  EXPECT_NE(error.message.find("nesting"), std::string::npos) << error.message;
  const std::string fits = std::string(kMaxYamlDepth, '[') + std::string(kMaxYamlDepth, ']');
  ParseOk(fits);
}

TEST(YamlReaderJsonTest, ReadsJsonAsJsonAndFlowYamlAsYaml) {
  YamlReader json_reader("request");
  const auto json = json_reader.Load(R"({"name": "\ud83d\ude00"})");
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(json->members()[0].second.Scalar(), "\xF0\x9F\x98\x80");

  YamlReader yaml_reader("request");
  const auto flow = yaml_reader.Load("{name: plain, list: [a, b]}");  // YAML, not JSON
  ASSERT_TRUE(flow.has_value());
  EXPECT_EQ(flow->members()[0].second.Scalar(), "plain");

  // Not JSON but still YAML (a trailing comma): read as YAML, so the schema checks what it holds.
  YamlReader lenient_reader("request");
  EXPECT_TRUE(lenient_reader.Load("{\"a\": 1,}").has_value());

  // Neither: the JSON error is the one reported.
  YamlReader broken_reader("request");
  EXPECT_FALSE(broken_reader.Load("{\"a\": [1}").has_value());
  const Diagnostics problems = broken_reader.TakeDiagnostics();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 1);
  EXPECT_NE(problems[0].message.find("JSON syntax error"), std::string::npos)
      << problems[0].message;
}

}  // namespace
}  // namespace datazone_mock
