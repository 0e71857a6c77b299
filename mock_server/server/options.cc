#include "server/options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

#include "api/list_job_runs_request.h"

namespace datazone_mock {

const char kVersion[] = DATAZONE_MOCK_VERSION;

namespace {

// Each connection holds a worker thread; beyond this the process would run out of threads
// before it ran out of anything a test could want.
constexpr int kMaxConnectionsLimit = 4096;

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
    {"admin-token", true, "DATAZONE_MOCK_ADMIN_TOKEN"},
    {"tls-cert", true, "DATAZONE_MOCK_TLS_CERT"},
    {"tls-key", true, "DATAZONE_MOCK_TLS_KEY"},
    {"max-connections", true, "DATAZONE_MOCK_MAX_CONNECTIONS"},
    {"read-timeout", true, "DATAZONE_MOCK_READ_TIMEOUT"},
    {"token-ttl", true, "DATAZONE_MOCK_TOKEN_TTL"},
    // A switch's variable takes 1/true/yes/on or 0/false/no/off. Actions that end the process
    // (--help, --print-config, ...) have none: a forgotten variable must not stop a server.
    {"watch", false, "DATAZONE_MOCK_WATCH"},
    {"print-config", false, ""},
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
  } else if (name == "admin-token") {
    if (value.empty()) return from + ": the admin token must not be empty";
    options.admin_token = value;
  } else if (name == "tls-cert") {
    if (value.empty()) return from + ": the certificate file must not be empty";
    options.tls_cert = value;
  } else if (name == "tls-key") {
    if (value.empty()) return from + ": the key file must not be empty";
    options.tls_key = value;
  } else if (name == "max-connections") {
    const auto count = ParseInt32(value);
    if (!count || *count < 1 || *count > kMaxConnectionsLimit) {
      return from + ": '" + value + "' is not a connection count (1 to " +
             std::to_string(kMaxConnectionsLimit) + ")";
    }
    options.max_connections = static_cast<std::size_t>(*count);
  } else if (name == "read-timeout" || name == "token-ttl") {
    const auto seconds = ParseInt32(value);
    if (!seconds || *seconds < 1)
      return from + ": '" + value + "' is not a number of seconds (1 or more)";
    if (name == "read-timeout") {
      options.read_timeout = std::chrono::seconds(*seconds);
    } else {
      options.token_ttl = std::chrono::seconds(*seconds);
    }
  } else if (name == "watch") {
    if (value == "1" || value == "true" || value == "yes" || value == "on") {
      options.watch = true;
    } else if (value == "0" || value == "false" || value == "no" || value == "off" ||
               value.empty()) {
      options.watch = false;
    } else {
      return from + ": '" + value + "' is not a switch value (1, true, yes, on, 0, false, no, off)";
    }
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
  if (!args.empty() && args.front() == "check") {
    // `check PATH...` takes paths only: it serves nothing, so no flag would mean anything.
    std::vector<std::string> paths(args.begin() + 1, args.end());
    if (paths.empty()) return std::string("check needs at least one PATH (file or directory)");
    for (const std::string& path : paths) {
      if (path.rfind("--", 0) == 0) return "check takes paths only, not '" + path + "'";
    }
    options.check_paths = std::move(paths);
    return options;
  }
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
      if (std::find(given.begin(), given.end(), spec->name) == given.end())
        given.push_back(spec->name);
      if (name == "help") options.help = true;
      if (name == "list-scenarios") options.list_scenarios = true;
      if (name == "watch") options.watch = true;
      if (name == "print-config") options.print_config = true;
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
  if (options.tls_cert.has_value() != options.tls_key.has_value()) {
    return std::string("--tls-cert and --tls-key go together: give both or neither");
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

Usage: datazone-mock check PATH...
  Validates fixture and scenario files (or directories of them) without serving; exit 0 when
  all are valid, 2 otherwise, with file:line:col diagnostics.

Serving:
  --host HOST            address to listen on (default 127.0.0.1); another address prints a
                         warning unless --admin-token is set         [DATAZONE_MOCK_HOST]
  --port PORT            port; 0 picks a free one (default 8484)     [DATAZONE_MOCK_PORT]
  --tls-cert FILE        PEM certificate (chain): serve HTTPS        [DATAZONE_MOCK_TLS_CERT]
  --tls-key FILE         PEM private key for --tls-cert              [DATAZONE_MOCK_TLS_KEY]
  --max-connections N    connections served at once; more are answered 503 and closed
                         (default 1024)                        [DATAZONE_MOCK_MAX_CONNECTIONS]
  --read-timeout SECONDS a request must arrive in full within it, and an idle keep-alive
                         connection is closed after it (default 5)
                                                                [DATAZONE_MOCK_READ_TIMEOUT]

Data:
  --fixtures PATH        fixture YAML file or directory; repeatable  [DATAZONE_MOCK_FIXTURES]
                         (default: the bundled demo fixtures; the variable is ':'-separated)
  --token-secret SECRET  key that signs nextTokens; a fixed one keeps tokens valid across
                         restarts and replicas (default: random per start)
                                                                     [DATAZONE_MOCK_TOKEN_SECRET]
  --token-ttl SECONDS    nextTokens older than this are refused (default: never expire)
                                                                     [DATAZONE_MOCK_TOKEN_TTL]

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
  --admin-token TOKEN    require "Authorization: Bearer TOKEN" on /_mock/ except
                         /_mock/health (default: none)          [DATAZONE_MOCK_ADMIN_TOKEN]
  --journal-size N       requests kept in the journal (default 10000)
                                                                     [DATAZONE_MOCK_JOURNAL_SIZE]
  --watch                reload fixture and scenario files when they change (SIGHUP always
                         reloads)                     [DATAZONE_MOCK_WATCH=1|true|yes|on]

Logging:
  --log-format FORMAT    text or json, one line per request on stderr (default text)
                                                                     [DATAZONE_MOCK_LOG_FORMAT]

Other:
  --print-config         print the effective configuration as YAML and exit
  --help                 this text
  --version              the version

The first line on stdout is "datazone-mock listening on http://HOST:PORT" (https:// with TLS).
Flags win over environment variables. SIGTERM/SIGINT stop accepting, let requests in flight
finish (at most 5 s) and exit 0; SIGHUP reloads the files. Exit codes: 0 stopped by a signal,
2 bad flags, bad files or a port in use.
)";
}

namespace {

// A YAML scalar that reads back as the same string whatever it holds.
std::string YamlString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string YamlList(const std::vector<std::string>& items) {
  if (items.empty()) return "[]";
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += YamlString(items[i]);
  }
  out += ']';
  return out;
}

const char* AuthName(AuthSetting auth) {
  switch (auth) {
    case AuthSetting::kOff:
      return "off";
    case AuthSetting::kRequired:
      return "required";
    case AuthSetting::kVerify:
      return "verify";
  }
  return "off";
}

}  // namespace

std::optional<std::string> ExposureWarning(const Options& options) {
  const std::string& host = options.host;
  const bool loopback =
      host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
  if (loopback || !options.admin || options.admin_token) return std::nullopt;
  return "listening on " + host +
         ": anyone who can reach this port can use the admin API under /_mock/ (replace "
         "data, inject faults, read the journal); set --admin-token, or --admin off";
}

std::string ConfigYaml(const Options& options) {
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? YamlString(*value) : std::string("null");
  };
  // Secrets are never printed: a CI log is not a place for them.
  const auto masked = [](const std::optional<std::string>& value) {
    return value ? std::string("\"(set)\"") : std::string("null");
  };
  std::string out;
  out += "host: " + YamlString(options.host) + "\n";
  out += "port: " + std::to_string(options.port) + "\n";
  out += "tlsCert: " + optional(options.tls_cert) + "\n";
  out += "tlsKey: " + optional(options.tls_key) + "\n";
  out += "maxConnections: " + std::to_string(options.max_connections) + "\n";
  out += "readTimeoutSeconds: " + std::to_string(options.read_timeout.count()) + "\n";
  out += "fixtures: " +
         (options.fixtures.empty() ? std::string("bundled") : YamlList(options.fixtures)) + "\n";
  out +=
      "tokenSecret: " + (options.token_secret ? std::string("\"(set)\"") : std::string("random")) +
      "\n";
  out += "tokenTtlSeconds: " +
         (options.token_ttl ? std::to_string(options.token_ttl->count()) : std::string("null")) +
         "\n";
  out += "scenarioPaths: " + YamlList(options.scenario_paths) + "\n";
  out += "scenarios: " + YamlList(options.scenarios) + "\n";
  out += "seed: " + (options.seed ? std::to_string(*options.seed) : std::string("random")) + "\n";
  out += "auth: " + std::string(AuthName(options.auth)) + "\n";
  out += "credentials: " + optional(options.credentials) + "\n";
  out += std::string("admin: ") + (options.admin ? "on" : "off") + "\n";
  out += "adminToken: " + masked(options.admin_token) + "\n";
  out += "journalSize: " + std::to_string(options.journal_size) + "\n";
  out += std::string("watch: ") + (options.watch ? "true" : "false") + "\n";
  out += std::string("logFormat: ") + (options.log_format == LogFormat::kJson ? "json" : "text") +
         "\n";
  return out;
}

}  // namespace datazone_mock
