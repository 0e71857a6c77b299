#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_mode.h"
#include "auth/credentials.h"
#include "core/data_clock.h"
#include "core/result.h"

namespace datazone_mock {

inline constexpr int kDefaultPort = 8484;  // not 4566 (LocalStack) nor 5000 (moto)
extern const char kVersion[];              // project()'s VERSION in CMakeLists.txt

enum class LogFormat { kText, kJson };

// Everything the command line (or its environment variables) can set.
struct Options {
  std::string host = "127.0.0.1";
  int port = kDefaultPort;
  std::vector<std::string> fixtures;  // empty: the bundled demo fixtures
  std::optional<std::string> token_secret;
  LogFormat log_format = LogFormat::kText;
  std::vector<std::string> scenario_paths;  // added to the bundled scenarios
  std::vector<std::string> scenarios;       // active at start, in this order
  std::optional<std::uint64_t> seed;        // for probabilistic rules and delay ranges
  AuthMode auth = AuthMode::kOff;
  std::optional<std::string> credentials;  // YAML file, for --auth verify
  std::size_t journal_size = 10'000;       // requests kept by the journal
  bool admin = true;                       // serve /_mock/
  bool trace = true;                       // explanations in the journal (--trace)
  bool watch = false;                      // reload fixture and scenario files when they change
  // Required as `Authorization: Bearer <token>` on /_mock/ (but /_mock/health); none: open.
  std::optional<std::string> admin_token;
  std::vector<std::string> cors;        // origins answered with CORS headers; "*": any
  std::optional<std::string> tls_cert;  // PEM files: both given serve HTTPS
  std::optional<std::string> tls_key;
  std::size_t max_connections = 1024;             // further connections are answered 503 and closed
  std::chrono::seconds read_timeout{5};           // for a whole request, and for an idle connection
  std::optional<std::chrono::seconds> token_ttl;  // none: nextTokens never expire
  DataClock::Start clock;                         // the data clock: real time by default
  // Record mode (docs/decisions.md, "Record mode"): `datazone-mock record` forwards every call to
  // the upstream; --record-missing only those for domains and jobs the fixtures lack.
  bool record = false;
  bool record_missing = false;
  std::optional<std::string> upstream;  // http(s)://host[:port]
  std::optional<std::string> out;       // the fixture file written
  std::optional<std::string> region;    // signed for; none: from the upstream's host
  std::vector<std::string> redact;      // members written as placeholders
  // The upstream's credential from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
  // AWS_SESSION_TOKEN when --credentials does not give it. Never printed.
  std::optional<Credential> upstream_credential;
  bool print_config = false;
  bool list_scenarios = false;
  bool help = false;
  bool version = false;
  // `datazone-mock check PATH...`: validate these files instead of serving.
  std::optional<std::vector<std::string>> check_paths;
};

// Reads a variable of the environment; nullopt when unset. Injected so tests need no setenv.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Parses flags (`--name value` or `--name=value`), each also read from DATAZONE_MOCK_<NAME>
// (flags win; a repeatable flag's variable is a list: see OptionInfo::list_separator).
Result<Options, std::string> ParseOptions(const std::vector<std::string>& args,
                                          const EnvironmentLookup& environment);

// What --help and the documentation say of one option. Every option is declared once, in
// options.cc's table; parsing, --help, --print-config and the variable names all come from it.
struct OptionInfo {
  std::string flag;            // "--token-secret"
  std::string value_name;      // "SECRET"; empty for a switch or an action
  std::string environment;     // "DATAZONE_MOCK_TOKEN_SECRET"; empty for an action
  char list_separator = '\0';  // repeatable: how its variable separates values
};
std::vector<OptionInfo> AllOptions();

// The real environment.
std::optional<std::string> ProcessEnvironment(const std::string& name);

std::string HelpText();

// Why listening as configured may expose the mock beyond this machine, if it may: a host other
// than loopback with the admin API open and no --admin-token.
std::optional<std::string> ExposureWarning(const Options& options);

// The effective configuration as YAML (--print-config): every setting, defaults included, so a
// CI log shows what the mock really ran with. The token secret and admin token are masked.
std::string ConfigYaml(const Options& options);

}  // namespace datazone_mock
