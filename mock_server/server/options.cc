#include "server/options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

#include "api/list_job_runs_request.h"

namespace datazone_mock {
namespace {

struct FlagSpec {
  std::string_view name;  // without the leading "--"
  bool takes_value;
  std::string_view env;  // environment variable, empty for none
};

constexpr FlagSpec kFlags[] = {
    {"host", true, "DATAZONE_MOCK_HOST"},
    {"port", true, "DATAZONE_MOCK_PORT"},
    {"fixtures", true, "DATAZONE_MOCK_FIXTURES"},
    {"token-secret", true, "DATAZONE_MOCK_TOKEN_SECRET"},
    {"log-format", true, "DATAZONE_MOCK_LOG_FORMAT"},
    {"scenarios", true, "DATAZONE_MOCK_SCENARIOS"},
    {"scenario", true, "DATAZONE_MOCK_SCENARIO"},
    {"seed", true, "DATAZONE_MOCK_SEED"},
    {"auth", true, "DATAZONE_MOCK_AUTH"},
    {"credentials", true, "DATAZONE_MOCK_CREDENTIALS"},
    {"journal-size", true, "DATAZONE_MOCK_JOURNAL_SIZE"},
    {"admin", true, "DATAZONE_MOCK_ADMIN"},
    {"watch", false, ""},
    {"list-scenarios", false, ""},
    {"help", false, ""},
    {"version", false, ""},
};

std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find(separator, start);
    std::string part =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!part.empty()) parts.push_back(std::move(part));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

// Applies one value; `from` names its source in error messages.
std::optional<std::string> Apply(Options& options, std::string_view name, const std::string& value,
                                 const std::string& from, bool from_environment) {
  if (name == "host") {
    if (value.empty()) return from + ": the host must not be empty";
    options.host = value;
  } else if (name == "port") {
    const auto port = ParseInt32(value);
    if (!port || *port < 0 || *port > 65535) {
      return from + ": '" + value + "' is not a port number (0 to 65535)";
    }
    options.port = *port;
  } else if (name == "fixtures") {
    if (from_environment) {
      for (auto& path : SplitList(value, ':')) options.fixtures.push_back(std::move(path));
    } else {
      options.fixtures.push_back(value);
    }
  } else if (name == "token-secret") {
    if (value.empty()) return from + ": the token secret must not be empty";
    options.token_secret = value;
  } else if (name == "scenarios") {
    if (from_environment) {
      for (auto& path : SplitList(value, ':')) options.scenario_paths.push_back(std::move(path));
    } else {
      options.scenario_paths.push_back(value);
    }
  } else if (name == "scenario") {
    if (from_environment) {
      for (auto& scenario : SplitList(value, ',')) options.scenarios.push_back(std::move(scenario));
    } else {
      options.scenarios.push_back(value);
    }
  } else if (name == "seed") {
    std::uint64_t seed = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seed);
    if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
      return from + ": '" + value + "' is not a seed (a non-negative integer)";
    }
    options.seed = seed;
  } else if (name == "auth") {
    if (value == "off") {
      options.auth = AuthSetting::kOff;
    } else if (value == "required") {
      options.auth = AuthSetting::kRequired;
    } else if (value == "verify") {
      options.auth = AuthSetting::kVerify;
    } else {
      return from + ": '" + value + "' is not an auth mode (off, required or verify)";
    }
  } else if (name == "credentials") {
    if (value.empty()) return from + ": the credentials file must not be empty";
    options.credentials = value;
  } else if (name == "journal-size") {
    const auto size = ParseInt32(value);
    if (!size || *size < 0) return from + ": '" + value + "' is not a journal size (0 or more)";
    options.journal_size = static_cast<std::size_t>(*size);
  } else if (name == "admin") {
    if (value != "on" && value != "off") return from + ": '" + value + "' is not on or off";
    options.admin = value == "on";
  } else if (name == "log-format") {
    if (value == "text") {
      options.log_format = LogFormat::kText;
    } else if (value == "json") {
      options.log_format = LogFormat::kJson;
    } else {
      return from + ": '" + value + "' is not a log format (text or json)";
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Options, std::string> ParseOptions(const std::vector<std::string>& args,
                                          const EnvironmentLookup& environment) {
  Options options;
  std::vector<std::string_view> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) return "unexpected argument '" + arg + "' (see --help)";
    const std::size_t equals = arg.find('=');
    const std::string name =
        arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& flag : kFlags) {
      if (flag.name == name) spec = &flag;
    }
    if (!spec) return "unknown flag '--" + name + "' (see --help)";
    if (!spec->takes_value) {
      if (equals != std::string::npos) return "--" + name + " takes no value";
      if (name == "help") options.help = true;
      if (name == "list-scenarios") options.list_scenarios = true;
      if (name == "watch") options.watch = true;
      if (name == "version") options.version = true;
      continue;
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "--" + name + " needs a value";
    }
    // A flag given on the command line replaces its environment variable entirely.
    if (std::find(given.begin(), given.end(), spec->name) == given.end())
      given.push_back(spec->name);
    if (auto problem = Apply(options, spec->name, value, "--" + name, false)) return *problem;
  }
  for (const FlagSpec& flag : kFlags) {
    if (flag.env.empty() || std::find(given.begin(), given.end(), flag.name) != given.end()) {
      continue;
    }
    const std::string variable(flag.env);
    if (auto value = environment(variable)) {
      if (auto problem = Apply(options, flag.name, *value, variable, true)) return *problem;
    }
  }
  if (options.auth == AuthSetting::kVerify && !options.credentials) {
    return std::string("--auth verify needs --credentials FILE");
  }
  return options;
}

std::optional<std::string> ProcessEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

std::string HelpText() {
  return R"(Usage: datazone-mock [FLAGS]

An in-memory mock of the Amazon DataZone ListJobRuns API:
  GET /v2/domains/{domainIdentifier}/jobs/{jobIdentifier}/runs

Serving:
  --host HOST            address to listen on (default 127.0.0.1)    [DATAZONE_MOCK_HOST]
  --port PORT            port; 0 picks a free one (default 8484)     [DATAZONE_MOCK_PORT]

Data:
  --fixtures PATH        fixture YAML file or directory; repeatable  [DATAZONE_MOCK_FIXTURES]
                         (default: the bundled demo fixtures; the variable is ':'-separated)
  --token-secret SECRET  key that signs nextTokens; a fixed one keeps tokens valid across
                         restarts and replicas (default: random per start)
                                                                     [DATAZONE_MOCK_TOKEN_SECRET]

Faults:
  --scenarios PATH       scenario YAML file or directory, added to the bundled scenarios
                         (a same-named one replaces it); repeatable  [DATAZONE_MOCK_SCENARIOS]
  --scenario NAME        activate a scenario at start; repeatable, tried in the order given
                         (the variable is ','-separated)             [DATAZONE_MOCK_SCENARIO]
  --seed N               seed for probabilistic rules and delay ranges (default: random)
                                                                     [DATAZONE_MOCK_SEED]
  --list-scenarios       print the known scenarios and exit

Identity:
  --auth MODE            off: accept any caller (default); required: SigV4 Authorization
                         header needed; verify: full SigV4 check     [DATAZONE_MOCK_AUTH]
  --credentials FILE     YAML credentials for --auth verify          [DATAZONE_MOCK_CREDENTIALS]

Test toolkit:
  --admin on|off         serve the admin API under /_mock/ (default on) [DATAZONE_MOCK_ADMIN]
  --journal-size N       requests kept in the journal (default 10000)
                                                                     [DATAZONE_MOCK_JOURNAL_SIZE]
  --watch                reload fixture and scenario files when they change (SIGHUP always
                         reloads)

Logging:
  --log-format FORMAT    text or json, one line per request on stderr (default text)
                                                                     [DATAZONE_MOCK_LOG_FORMAT]

Other:
  --help                 this text
  --version              the version

The first line on stdout is "datazone-mock listening on http://HOST:PORT".
Flags win over environment variables. Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad flags,
bad fixture files or a port in use.
)";
}

}  // namespace datazone_mock
