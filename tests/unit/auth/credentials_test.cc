#include "auth/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

namespace fs = std::filesystem;
using testing::ElementsAre;
using testing::IsEmpty;

constexpr const char* kFile = "creds.yaml";
constexpr const char* kEntryKeys =
    "(expected one of: accessKeyId, secretAccessKey, sessionToken, expiresAt)";

// Each diagnostic as "file:line:col: message", so that a test states all four exactly.
std::vector<std::string> Problems(std::string_view yaml) {
  auto result = ParseCredentials(yaml, kFile);
  if (result.ok()) return {"<parsed without problems>"};
  std::vector<std::string> out;
  for (const Diagnostic& d : result.error()) out.push_back(d.ToString());
  return out;
}

// date -u -d 2026-12-01T00:00:00Z +%s -> 1796083200.
TEST(ParseCredentialsTest, ValidDocumentParsesToExactValues) {
  auto result = ParseCredentials(R"(# Who may call with --auth verify.
credentials:
  - accessKeyId: AKIDEXAMPLE
    secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  - accessKeyId: ASIAEXAMPLE
    secretAccessKey: "sessionsecret"
    sessionToken: FQoGZXIvYXdzE//tok+en/with=slash
    expiresAt: 2026-12-01T00:00:00Z
  - {accessKeyId: x, secretAccessKey: y, expiresAt: "2026-12-01T01:00:00.250+01:00"}
)",
                                 kFile);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const CredentialSet& set = result.value();
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set.at("AKIDEXAMPLE"),
            (Credential{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", std::nullopt,
                        std::nullopt}));
  EXPECT_EQ(set.at("ASIAEXAMPLE"),
            (Credential{"ASIAEXAMPLE", "sessionsecret", "FQoGZXIvYXdzE//tok+en/with=slash",
                        TimestampMs{1796083200000}}));
  EXPECT_EQ(set.at("x"), (Credential{"x", "y", std::nullopt, TimestampMs{1796083200250}}));
  // Heterogeneous lookup: a key read from a header is found without a copy.
  EXPECT_NE(set.find(std::string_view("x")), set.end());
}

TEST(ParseCredentialsTest, EmptyDocumentsAcceptNoOne) {
  for (std::string_view text : {"", "# nobody yet\n", "credentials:\n", "credentials: []\n"}) {
    auto result = ParseCredentials(text, kFile);
    ASSERT_TRUE(result.ok()) << text << FormatDiagnostics(result.error());
    EXPECT_THAT(result.value(), IsEmpty()) << text;
  }
}

TEST(ParseCredentialsTest, UnknownTopLevelKey) {
  EXPECT_THAT(Problems("credential:\n  - accessKeyId: a\n"),
              ElementsAre("creds.yaml:1:1: unknown key 'credential' in the credentials file "
                          "(expected one of: credentials)"));
}

TEST(ParseCredentialsTest, RootAndListMustHaveTheirShapes) {
  EXPECT_THAT(Problems("- a\n"),
              ElementsAre("creds.yaml:1:1: the credentials file must be a mapping"));
  EXPECT_THAT(Problems("credentials:\n  accessKeyId: a\n"),
              ElementsAre("creds.yaml:2:3: credentials must be a list"));
  EXPECT_THAT(Problems("credentials:\n  - AKIDEXAMPLE\n"),
              ElementsAre("creds.yaml:2:5: credential must be a mapping"));
}

TEST(ParseCredentialsTest, UnknownKeyInAnEntry) {
  EXPECT_THAT(
      Problems("credentials:\n"
               "  - accessKeyId: a\n"
               "    secretAccessKey: b\n"
               "    region: us-east-1\n"),
      ElementsAre(std::string("creds.yaml:4:5: unknown key 'region' in credential ") + kEntryKeys));
}

TEST(ParseCredentialsTest, MissingRequiredKeysAreReportedAtTheEntryStart) {
  EXPECT_THAT(Problems("credentials:\n"
                       "  - sessionToken: t\n"),
              ElementsAre("creds.yaml:2:5: credential is missing required key 'accessKeyId'",
                          "creds.yaml:2:5: credential is missing required key 'secretAccessKey'"));
  EXPECT_THAT(Problems("credentials:\n"
                       "  - accessKeyId: a\n"
                       "  - secretAccessKey: b\n"),
              ElementsAre("creds.yaml:2:5: credential is missing required key 'secretAccessKey'",
                          "creds.yaml:3:5: credential is missing required key 'accessKeyId'"));
}

TEST(ParseCredentialsTest, DuplicateAccessKeyIdNamesTheFirstPlace) {
  EXPECT_THAT(Problems("credentials:\n"
                       "  - accessKeyId: AKIDEXAMPLE\n"
                       "    secretAccessKey: one\n"
                       "  - accessKeyId: other\n"
                       "    secretAccessKey: two\n"
                       "  - secretAccessKey: three\n"
                       "    accessKeyId: AKIDEXAMPLE\n"),
              ElementsAre("creds.yaml:7:18: duplicate accessKeyId 'AKIDEXAMPLE' (first defined "
                          "at creds.yaml:2:18)"));
}

TEST(ParseCredentialsTest, DuplicateKeyInsideAnEntry) {
  EXPECT_THAT(Problems("credentials:\n"
                       "  - accessKeyId: a\n"
                       "    secretAccessKey: b\n"
                       "    secretAccessKey: c\n"),
              ElementsAre("creds.yaml:4:5: duplicate key 'secretAccessKey' in credential"));
}

TEST(ParseCredentialsTest, BadExpiresAt) {
  EXPECT_THAT(Problems("credentials:\n"
                       "  - accessKeyId: a\n"
                       "    secretAccessKey: b\n"
                       "    expiresAt: tomorrow\n"
                       "  - accessKeyId: c\n"
                       "    secretAccessKey: d\n"
                       "    expiresAt: 2026-02-30T00:00:00Z\n"),
              ElementsAre("creds.yaml:4:16: invalid expiresAt 'tomorrow': expected an RFC 3339 "
                          "timestamp such as 2025-06-01T02:00:00Z or epoch seconds",
                          "creds.yaml:7:16: invalid expiresAt '2026-02-30T00:00:00Z': expected "
                          "an RFC 3339 timestamp such as 2025-06-01T02:00:00Z or epoch seconds"));
}

TEST(ParseCredentialsTest, ValuesMustBeUsable) {
  EXPECT_THAT(
      Problems("credentials:\n"
               "  - accessKeyId: \"AKID/EXAMPLE\"\n"
               "    secretAccessKey: \"\"\n"
               "  - accessKeyId: \"a b\"\n"
               "    secretAccessKey: [b]\n"
               "    sessionToken: ''\n"
               "  - accessKeyId:\n"
               "    secretAccessKey: s\n"),
      ElementsAre("creds.yaml:2:18: invalid accessKeyId 'AKID/EXAMPLE': must be non-empty, "
                  "without '/', ',', spaces or control characters",
                  "creds.yaml:3:22: secretAccessKey must not be empty",
                  "creds.yaml:4:18: invalid accessKeyId 'a b': must be non-empty, without '/', "
                  "',', spaces or control characters",
                  "creds.yaml:5:22: secretAccessKey must be a single value, not a list",
                  "creds.yaml:6:19: sessionToken must not be empty",
                  "creds.yaml:7:5: accessKeyId must be a single value, not empty"));
}

TEST(ParseCredentialsTest, SyntaxErrorIsLocated) {
  EXPECT_THAT(Problems("credentials:\n  - accessKeyId: [a\n"),
              ElementsAre("creds.yaml:3:1: YAML syntax error: end of sequence flow not found"));
}

TEST(ParseCredentialsTest, InvalidUtf8IsLocated) {
  EXPECT_THAT(Problems("credentials:\n  - accessKeyId: a\xff\n"),
              ElementsAre("creds.yaml:2:19: invalid UTF-8 byte sequence"));
}

// --- LoadCredentialsFile ------------------------------------------------------------------------

class CredentialsFileTest : public testing::Test {
 protected:
  TempDir dir_{"datazone-mock-credentials-test-"};
};

TEST_F(CredentialsFileTest, LoadsAFile) {
  const fs::path path =
      dir_.Write("c.yaml", "credentials:\n  - {accessKeyId: x, secretAccessKey: y}\n");
  auto result = LoadCredentialsFile(path);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_THAT(result.value(), ElementsAre(std::pair<const std::string, Credential>(
                                  "x", Credential{"x", "y", std::nullopt, std::nullopt})));
}

TEST_F(CredentialsFileTest, DiagnosticsNameThePath) {
  const fs::path path = dir_.Write("c.yaml", "credentials:\n  - {accessKeyId: x}\n");
  auto result = LoadCredentialsFile(path);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error(), ElementsAre(Diagnostic{path.string(), 2, 5,
                                                     "credential is missing required key "
                                                     "'secretAccessKey'"}));
}

TEST_F(CredentialsFileTest, MissingFileIsReported) {
  const fs::path missing = dir_ / "none.yaml";
  auto result = LoadCredentialsFile(missing);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error(), ElementsAre(Diagnostic{missing.string(), 1, 1,
                                                     "cannot read file: No such file or "
                                                     "directory"}));
}

}  // namespace
}  // namespace datazone_mock
