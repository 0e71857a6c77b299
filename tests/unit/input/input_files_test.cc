#include "input/input_files.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Relative(const std::vector<fs::path>& files, const TempDir& dir) {
  std::vector<std::string> names;
  for (const fs::path& file : files) names.push_back(file.lexically_relative(dir.path()).string());
  return names;
}

TEST(ExpandYamlPathsTest, WalksDirectoriesInNameOrderForYamlFilesOnly) {
  const TempDir dir;
  dir.Write("b.yaml", "");
  dir.Write("a/z.yml", "");
  dir.Write("a/notes.txt", "");
  dir.Write("c.json", "");
  const auto files = ExpandYamlPaths({dir.path()});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(Relative(files.value(), dir), (std::vector<std::string>{"a/z.yml", "b.yaml"}));
}

TEST(ExpandYamlPathsTest, LeavesOutHiddenFilesAndFolders) {
  // The layout of a Kubernetes ConfigMap mount: each file is a link into `..data`, which links
  // to a `..<timestamp>` folder holding the real copy. Read both, every job would be defined
  // twice.
  const TempDir dir;
  dir.Write("..2026_12_04_05_00_00.123/demo.yaml", "domains: {}\n");
  fs::create_directory_symlink("..2026_12_04_05_00_00.123", dir / "..data");
  fs::create_symlink("..data/demo.yaml", dir / "demo.yaml");
  dir.Write(".hidden.yaml", "");
  dir.Write(".git/config.yaml", "");
  const auto files = ExpandYamlPaths({dir.path()});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(Relative(files.value(), dir), (std::vector<std::string>{"demo.yaml"}));
}

TEST(ExpandYamlPathsTest, AFileNamedOutrightIsTakenEvenIfHidden) {
  const TempDir dir;
  const fs::path file = dir.Write(".only.yaml", "");
  const auto files = ExpandYamlPaths({file});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files.value(), (std::vector<fs::path>{file}));
}

TEST(ExpandYamlPathsTest, AMissingPathIsReportedByName) {
  const auto files = ExpandYamlPaths({"/nonexistent/datazone-mock"});
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error()[0].ToString(),
            "/nonexistent/datazone-mock:1:1: no such file or directory");
}

TEST(FindInvalidUtf8Test, LocatesTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("ok \xC3\xA9\n", "f"), std::nullopt);
  const auto bad = FindInvalidUtf8("ab\ncd\xFF", "f");
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->ToString(), "f:2:3: invalid UTF-8 byte sequence");
  EXPECT_TRUE(FindInvalidUtf8("\xED\xA0\x80", "f").has_value());  // a surrogate, encoded
}

TEST(FindControlCharacterTest, RefusesRawControlsButTabsAndLineEnds) {
  EXPECT_EQ(FindControlCharacter("a:\tb\r\nc: \"\\x00\"\n", "f"), std::nullopt);
  const auto nul = FindControlCharacter(std::string_view("message: x\n  y\0N", 16), "f");
  ASSERT_TRUE(nul.has_value());
  EXPECT_EQ(nul->ToString(),
            "f:2:4: control character U+0000 is not allowed (write it as an escape in a "
            "double-quoted string)");
  EXPECT_TRUE(FindControlCharacter("a\x08", "f").has_value());
  EXPECT_TRUE(FindControlCharacter("a\x7F", "f").has_value());
}

}  // namespace
}  // namespace datazone_mock
