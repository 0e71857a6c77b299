#include "server/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

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
  EXPECT_EQ(options.value().auth, AuthMode::kVerify);
  EXPECT_EQ(options.value().credentials, "creds.yaml");
  EXPECT_TRUE(options.value().list_scenarios);

  const auto from_env = ParseOptions({}, Env({{"DATAZONE_MOCK_SCENARIO", "a,b"},
                                              {"DATAZONE_MOCK_SCENARIOS", "x:y"},
                                              {"DATAZONE_MOCK_AUTH", "required"}}));
  ASSERT_TRUE(from_env.ok()) << from_env.error();
  EXPECT_EQ(from_env.value().scenarios, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(from_env.value().scenario_paths, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(from_env.value().auth, AuthMode::kRequired);

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

namespace datazone_mock {
namespace {

TEST(OptionsTest, HardeningFlagsAndTheirDefaults) {
  const auto defaults = ParseOptions({}, Env({}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.value().max_connections, 1024u);
  EXPECT_EQ(defaults.value().read_timeout, std::chrono::seconds(5));
  EXPECT_EQ(defaults.value().token_ttl, std::nullopt);
  EXPECT_EQ(defaults.value().admin_token, std::nullopt);

  const auto options =
      ParseOptions({"--max-connections", "64", "--read-timeout=2", "--token-ttl", "600",
                    "--admin-token", "t0k", "--tls-cert", "c.pem", "--tls-key", "k.pem"},
                   Env({}));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options.value().max_connections, 64u);
  EXPECT_EQ(options.value().read_timeout, std::chrono::seconds(2));
  EXPECT_EQ(options.value().token_ttl, std::chrono::seconds(600));
  EXPECT_EQ(options.value().admin_token, "t0k");
  EXPECT_EQ(options.value().tls_cert, "c.pem");
  EXPECT_EQ(options.value().tls_key, "k.pem");
}

TEST(OptionsTest, RefusesOutOfRangeLimits) {
  EXPECT_FALSE(ParseOptions({"--max-connections", "0"}, Env({})).ok());
  EXPECT_FALSE(ParseOptions({"--max-connections", "4097"}, Env({})).ok());
  EXPECT_FALSE(ParseOptions({"--read-timeout", "0"}, Env({})).ok());
  EXPECT_FALSE(ParseOptions({"--token-ttl", "-1"}, Env({})).ok());
  EXPECT_FALSE(ParseOptions({"--admin-token="}, Env({})).ok());
}

TEST(OptionsTest, TlsFilesGoTogether) {
  const auto cert_only = ParseOptions({"--tls-cert", "c.pem"}, Env({}));
  ASSERT_FALSE(cert_only.ok());
  EXPECT_NE(cert_only.error().find("--tls-key"), std::string::npos);
  EXPECT_FALSE(ParseOptions({}, Env({{"DATAZONE_MOCK_TLS_KEY", "k.pem"}})).ok());
}

TEST(OptionsTest, WatchReadsItsVariableAndTheFlagWins) {
  EXPECT_TRUE(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "1"}})).value().watch);
  EXPECT_TRUE(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "yes"}})).value().watch);
  EXPECT_FALSE(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "off"}})).value().watch);
  EXPECT_FALSE(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "maybe"}})).ok());
  EXPECT_TRUE(ParseOptions({"--watch"}, Env({{"DATAZONE_MOCK_WATCH", "0"}})).value().watch);
}

TEST(OptionsTest, NewSettingsReadTheirVariables) {
  const auto options = ParseOptions({}, Env({{"DATAZONE_MOCK_MAX_CONNECTIONS", "8"},
                                             {"DATAZONE_MOCK_READ_TIMEOUT", "3"},
                                             {"DATAZONE_MOCK_TOKEN_TTL", "60"},
                                             {"DATAZONE_MOCK_ADMIN_TOKEN", "env-token"}}));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options.value().max_connections, 8u);
  EXPECT_EQ(options.value().read_timeout, std::chrono::seconds(3));
  EXPECT_EQ(options.value().token_ttl, std::chrono::seconds(60));
  EXPECT_EQ(options.value().admin_token, "env-token");
}

TEST(OptionsTest, CheckTakesPathsOnly) {
  const auto check = ParseOptions({"check", "fixtures", "a.yaml"}, Env({}));
  ASSERT_TRUE(check.ok()) << check.error();
  EXPECT_EQ(check.value().check_paths, (std::vector<std::string>{"fixtures", "a.yaml"}));
  EXPECT_FALSE(ParseOptions({"check"}, Env({})).ok());
  EXPECT_FALSE(ParseOptions({"check", "--port", "1"}, Env({})).ok());
  EXPECT_FALSE(ParseOptions({"fixtures"}, Env({})).ok());  // only `check` is a command
}

TEST(OptionsTest, RecordTakesTheUpstreamAnOutputAndCredentialsFromTheEnvironment) {
  const auto aws = Env({{"AWS_ACCESS_KEY_ID", "AKIDREC"},
                        {"AWS_SECRET_ACCESS_KEY", "recsecret"},
                        {"AWS_SESSION_TOKEN", "sess"}});
  const auto record = ParseOptions({"record", "--upstream", "http://127.0.0.1:9000", "--out",
                                    "r.yaml", "--redact", "createdBy", "--port", "0"},
                                   aws);
  ASSERT_TRUE(record.ok()) << record.error();
  EXPECT_TRUE(record.value().record);
  EXPECT_EQ(record.value().upstream, "http://127.0.0.1:9000");
  EXPECT_EQ(record.value().out, "r.yaml");
  EXPECT_EQ(record.value().redact, std::vector<std::string>{"createdBy"});
  const auto both = ParseOptions({"record", "--upstream", "http://u:1", "--out", "r.yaml",
                                  "--redact", "error,createdBy", "--redact", "error"},
                                 aws);
  ASSERT_TRUE(both.ok()) << both.error();
  EXPECT_EQ(both.value().redact, (std::vector<std::string>{"error", "createdBy"}));
  EXPECT_EQ(record.value().upstream_credential,
            (Credential{"AKIDREC", "recsecret", "sess", std::nullopt}));
  const std::string yaml = ConfigYaml(record.value());
  EXPECT_EQ(yaml.find("recsecret"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("sess\""), std::string::npos) << yaml;

  // --credentials names the upstream's credential instead; the environment is not needed.
  const auto from_file =
      ParseOptions({"record", "--upstream", "https://datazone.eu-west-1.amazonaws.com", "--out",
                    "r.yaml", "--credentials", "c.yaml"},
                   Env({}));
  ASSERT_TRUE(from_file.ok()) << from_file.error();
  EXPECT_FALSE(from_file.value().upstream_credential);

  const auto missing = ParseOptions(
      {"--upstream", "http://u:1", "--record-missing", "--out", "m.yaml", "--fixtures", "f.yaml"},
      aws);
  ASSERT_TRUE(missing.ok()) << missing.error();
  EXPECT_TRUE(missing.value().record_missing);
  EXPECT_FALSE(missing.value().record);
}

TEST(OptionsTest, RecordMistakesAreOneLine) {
  const auto aws = Env({{"AWS_ACCESS_KEY_ID", "AKIDREC"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  EXPECT_EQ(ParseOptions({"record", "--out", "r.yaml"}, aws).error(),
            "record needs --upstream URL and --out FILE");
  EXPECT_EQ(ParseOptions({"record", "--upstream", "http://u:1"}, aws).error(),
            "record needs --upstream URL and --out FILE");
  EXPECT_EQ(ParseOptions({"record", "--upstream", "http://u:1/v2", "--out", "r.yaml"}, aws).error(),
            "--upstream 'http://u:1/v2': must be https://host[:port] (or http:// for a local "
            "upstream), without a path or user information");
  EXPECT_EQ(
      ParseOptions({"record", "--upstream", "http://u:1", "--out", "r.yaml"}, Env({})).error(),
      "no credentials for the upstream: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
      "AWS_SESSION_TOKEN for temporary ones), or give --credentials FILE");
  EXPECT_THAT(
      ParseOptions(
          {"record", "--upstream", "http://u:1", "--out", "r.yaml", "--fixtures", "f.yaml"}, aws)
          .error(),
      testing::StartsWith("record answers from the upstream only"));
  EXPECT_EQ(ParseOptions({"--record-missing", "--upstream", "http://u:1"}, aws).error(),
            "--record-missing needs --upstream URL and --out FILE");
  EXPECT_EQ(ParseOptions({"--upstream", "http://u:1"}, aws).error(),
            "--upstream, --out, --region and --redact are for `datazone-mock record` and "
            "--record-missing");
  EXPECT_EQ(
      ParseOptions({"record", "--upstream", "http://u:1", "--out", "r", "--redact", "runId"}, aws)
          .error(),
      "--redact: 'runId' is not a member that can be redacted (createdBy or error)");
  EXPECT_EQ(
      ParseOptions({"record", "--upstream", "http://u:1", "--out", "r", "--region", "EU"}, aws)
          .error(),
      "--region: 'EU' is not a region (like eu-west-1)");
}

TEST(OptionsTest, PrintConfigShowsEffectiveValuesAndMasksSecrets) {
  const auto options =
      ParseOptions({"--port", "9001", "--token-secret", "hush", "--admin-token", "shh"},
                   Env({{"DATAZONE_MOCK_JOURNAL_SIZE", "7"}, {"DATAZONE_MOCK_PORT", "1"}}));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_TRUE(ParseOptions({"--print-config"}, Env({})).value().print_config);
  const std::string yaml = ConfigYaml(options.value());
  EXPECT_NE(yaml.find("port: 9001\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("journalSize: 7\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("maxConnections: 1024\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("fixtures: bundled\n"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("hush"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("shh"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("adminToken: \"(set)\"\n"), std::string::npos) << yaml;
}

TEST(OptionsTest, PrintConfigQuotesPathsSoTheyReadBack) {
  Options options;
  options.fixtures = {"dir with \"quotes\"\\and\tcontrol.yaml"};
  const std::string yaml = ConfigYaml(options);
  EXPECT_NE(yaml.find(R"(fixtures: ["dir with \"quotes\"\\and\x09control.yaml"])"),
            std::string::npos)
      << yaml;
}

TEST(OptionsTest, WarnsWhenTheAdminApiIsExposed) {
  Options options;
  EXPECT_EQ(ExposureWarning(options), std::nullopt);  // 127.0.0.1
  options.host = "0.0.0.0";
  ASSERT_TRUE(ExposureWarning(options).has_value());
  EXPECT_NE(ExposureWarning(options)->find("--admin-token"), std::string::npos);
  options.admin_token = "t";
  EXPECT_EQ(ExposureWarning(options), std::nullopt);
  options.admin_token.reset();
  options.admin = false;
  EXPECT_EQ(ExposureWarning(options), std::nullopt);
  options.admin = true;
  options.host = "::1";
  EXPECT_EQ(ExposureWarning(options), std::nullopt);
}

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(DATAZONE_MOCK_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The man page writes "--token-secret" as "\-\-token\-secret".
std::string ManPageSpelling(const std::string& flag) {
  std::string out;
  for (const char c : flag) {
    if (c == '-') out += '\\';
    out += c;
  }
  return out;
}

TEST(OptionsTest, EveryOptionIsInHelpManPageAndReadme) {
  const std::string help = HelpText();
  const std::string man = ReadSourceFile("docs/datazone-mock.1");
  const std::string readme = ReadSourceFile("README.md");
  ASSERT_FALSE(man.empty());
  ASSERT_FALSE(readme.empty());
  const auto options = AllOptions();
  ASSERT_GE(options.size(), 20u);
  for (const OptionInfo& option : options) {
    EXPECT_NE(help.find("  " + option.flag), std::string::npos) << option.flag;
    EXPECT_NE(man.find(ManPageSpelling(option.flag)), std::string::npos)
        << option.flag << " is missing from docs/datazone-mock.1";
    EXPECT_NE(readme.find("`" + option.flag), std::string::npos)
        << option.flag << " is missing from README.md's option table";
    if (option.environment.empty()) continue;
    EXPECT_NE(help.find(option.environment), std::string::npos) << option.environment;
    EXPECT_NE(man.find(option.environment), std::string::npos)
        << option.environment << " is missing from docs/datazone-mock.1";
    EXPECT_NE(readme.find("`" + option.environment), std::string::npos)
        << option.environment << " is missing from README.md's option table";
  }
}

TEST(OptionsTest, EveryVariableIsRead) {
  // Each variable the table names must change what ParseOptions returns: a value that is
  // refused proves the option reads it, whatever the option is.
  for (const OptionInfo& option : AllOptions()) {
    if (option.environment.empty()) continue;
    const auto parsed = ParseOptions({}, Env({{option.environment, "\x01not-valid"}}));
    const auto plain = ParseOptions({}, Env({}));
    ASSERT_TRUE(plain.ok());
    const bool changed = !parsed.ok() || ConfigYaml(parsed.value()) != ConfigYaml(plain.value());
    EXPECT_TRUE(changed) << option.environment << " is not read";
  }
}

TEST(OptionsTest, HelpLinesStayWithinOneHundredColumns) {
  std::istringstream help(HelpText());
  std::string line;
  while (std::getline(help, line)) EXPECT_LE(line.size(), 100u) << line;
}

TEST(OptionsTest, PrintConfigHasOneLinePerSetting) {
  const std::string yaml = ConfigYaml(Options{});
  std::set<std::string> keys;
  std::istringstream lines(yaml);
  std::string line;
  while (std::getline(lines, line)) {
    const auto colon = line.find(": ");
    ASSERT_NE(colon, std::string::npos) << line;
    EXPECT_TRUE(keys.insert(line.substr(0, colon)).second) << "repeated " << line;
  }
  EXPECT_EQ(keys.size(), 27u) << yaml;
}

TEST(OptionsTest, SwitchVariableTakesOnlySwitchWords) {
  EXPECT_TRUE(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "yes"}})).value().watch);
  EXPECT_FALSE(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "off"}})).value().watch);
  EXPECT_EQ(ParseOptions({}, Env({{"DATAZONE_MOCK_WATCH", "maybe"}})).error(),
            "DATAZONE_MOCK_WATCH: 'maybe' is not a switch value (1, true, yes, on, 0, false, no, "
            "off)");
  EXPECT_TRUE(ParseOptions({"--watch"}, Env({{"DATAZONE_MOCK_WATCH", "0"}})).value().watch);
}

TEST(OptionsTest, ActionsHaveNoVariable) {
  const auto options = ParseOptions({}, Env({{"DATAZONE_MOCK_HELP", "1"},
                                             {"DATAZONE_MOCK_VERSION", "1"},
                                             {"DATAZONE_MOCK_PRINT_CONFIG", "1"},
                                             {"DATAZONE_MOCK_LIST_SCENARIOS", "1"}}));
  ASSERT_TRUE(options.ok());
  EXPECT_FALSE(options.value().help);
  EXPECT_FALSE(options.value().version);
  EXPECT_FALSE(options.value().print_config);
  EXPECT_FALSE(options.value().list_scenarios);
}

}  // namespace
}  // namespace datazone_mock
