#include "server/options.h"

#include <gtest/gtest.h>

#include <map>

namespace datazone_mock {
namespace {

EnvironmentLookup Env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(OptionsTest, Defaults) {
  const auto options = ParseOptions({}, Env({}));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options.value().host, "127.0.0.1");
  EXPECT_EQ(options.value().port, 8484);
  EXPECT_TRUE(options.value().fixtures.empty());
  EXPECT_EQ(options.value().token_secret, std::nullopt);
  EXPECT_EQ(options.value().log_format, LogFormat::kText);
}

TEST(OptionsTest, ReadsBothFlagForms) {
  const auto options =
      ParseOptions({"--host", "0.0.0.0", "--port=0", "--fixtures", "a.yaml", "--fixtures=dir",
                    "--token-secret", "s3cret", "--log-format=json"},
                   Env({}));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options.value().host, "0.0.0.0");
  EXPECT_EQ(options.value().port, 0);
  EXPECT_EQ(options.value().fixtures, (std::vector<std::string>{"a.yaml", "dir"}));
  EXPECT_EQ(options.value().token_secret, "s3cret");
  EXPECT_EQ(options.value().log_format, LogFormat::kJson);
}

TEST(OptionsTest, EnvironmentFillsWhatFlagsDoNotSet) {
  const auto options =
      ParseOptions({"--port", "9000"}, Env({{"DATAZONE_MOCK_PORT", "7000"},
                                            {"DATAZONE_MOCK_FIXTURES", "a.yaml:b:"},
                                            {"DATAZONE_MOCK_TOKEN_SECRET", "from-env"},
                                            {"DATAZONE_MOCK_LOG_FORMAT", "json"}}));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options.value().port, 9000);
  EXPECT_EQ(options.value().fixtures, (std::vector<std::string>{"a.yaml", "b"}));
  EXPECT_EQ(options.value().token_secret, "from-env");
  EXPECT_EQ(options.value().log_format, LogFormat::kJson);
}

TEST(OptionsTest, AFlagReplacesItsEnvironmentList) {
  const auto options =
      ParseOptions({"--fixtures", "x.yaml"}, Env({{"DATAZONE_MOCK_FIXTURES", "a.yaml:b"}}));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options.value().fixtures, (std::vector<std::string>{"x.yaml"}));
}

TEST(OptionsTest, ReportsMistakes) {
  EXPECT_EQ(ParseOptions({"--prot", "1"}, Env({})).error(), "unknown flag '--prot' (see --help)");
  EXPECT_EQ(ParseOptions({"--port"}, Env({})).error(), "--port needs a value");
  EXPECT_EQ(ParseOptions({"--port", "70000"}, Env({})).error(),
            "--port: '70000' is not a port number (0 to 65535)");
  EXPECT_EQ(ParseOptions({"--log-format", "xml"}, Env({})).error(),
            "--log-format: 'xml' is not a log format (text or json)");
  EXPECT_EQ(ParseOptions({"serve"}, Env({})).error(), "unexpected argument 'serve' (see --help)");
  EXPECT_EQ(ParseOptions({"--help=1"}, Env({})).error(), "--help takes no value");
  EXPECT_EQ(ParseOptions({}, Env({{"DATAZONE_MOCK_PORT", "x"}})).error(),
            "DATAZONE_MOCK_PORT: 'x' is not a port number (0 to 65535)");
}

TEST(OptionsTest, FaultAndIdentityFlags) {
  const auto options =
      ParseOptions({"--scenarios", "dir", "--scenario", "slow", "--scenario=flaky-5xx", "--seed",
                    "42", "--auth", "verify", "--credentials", "creds.yaml", "--list-scenarios"},
                   Env({}));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options.value().scenario_paths, (std::vector<std::string>{"dir"}));
  EXPECT_EQ(options.value().scenarios, (std::vector<std::string>{"slow", "flaky-5xx"}));
  EXPECT_EQ(options.value().seed, 42u);
  EXPECT_EQ(options.value().auth, AuthSetting::kVerify);
  EXPECT_EQ(options.value().credentials, "creds.yaml");
  EXPECT_TRUE(options.value().list_scenarios);

  const auto from_env = ParseOptions({}, Env({{"DATAZONE_MOCK_SCENARIO", "a,b"},
                                              {"DATAZONE_MOCK_SCENARIOS", "x:y"},
                                              {"DATAZONE_MOCK_AUTH", "required"}}));
  ASSERT_TRUE(from_env.ok()) << from_env.error();
  EXPECT_EQ(from_env.value().scenarios, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(from_env.value().scenario_paths, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(from_env.value().auth, AuthSetting::kRequired);

  EXPECT_EQ(ParseOptions({"--auth", "verify"}, Env({})).error(),
            "--auth verify needs --credentials FILE");
  EXPECT_EQ(ParseOptions({"--auth", "maybe"}, Env({})).error(),
            "--auth: 'maybe' is not an auth mode (off, required or verify)");
  EXPECT_EQ(ParseOptions({"--seed", "-1"}, Env({})).error(),
            "--seed: '-1' is not a seed (a non-negative integer)");
}

TEST(OptionsTest, HelpAndVersion) {
  EXPECT_TRUE(ParseOptions({"--help"}, Env({})).value().help);
  EXPECT_TRUE(ParseOptions({"--version"}, Env({})).value().version);
  EXPECT_NE(HelpText().find("--token-secret"), std::string::npos);
}

}  // namespace
}  // namespace datazone_mock
