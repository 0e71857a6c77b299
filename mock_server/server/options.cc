#include "server/options.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "core/text.h"
#include "core/time_format.h"
#include "server/upstream.h"
#include "store/recording.h"

namespace datazone_mock {

const char kVersion[] = DATAZONE_MOCK_VERSION;

namespace {

// Each connection holds a worker thread; beyond this the process would run out of threads
// before it ran out of anything a test could want.
constexpr int kMaxConnectionsLimit = 4096;

// What a problem message says of a value: "--port: 'x'" or "DATAZONE_MOCK_PORT: 'x'".
std::string Bad(const std::string& from, const std::string& value, std::string_view what) {
  return from + ": '" + value + "' is not " + std::string(what);
}

std::optional<int> IntegerIn(const std::string& value, int min, int max) {
  const auto number = ParseNumber<int>(value);
  if (!number || *number < min || *number > max) return std::nullopt;
  return number;
}

// A switch's variable takes 1/true/yes/on or 0/false/no/off (or empty: off).
std::optional<bool> SwitchValue(const std::string& value) {
  for (const char* yes : {"1", "true", "yes", "on"}) {
    if (value == yes) return true;
  }
  for (const char* no : {"", "0", "false", "no", "off"}) {
    if (value == no) return false;
  }
  return std::nullopt;
}

// A YAML scalar that reads back as the same string whatever it holds.
std::string YamlString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\x";
      AppendHexByte(out, static_cast<unsigned char>(c));
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

std::string YamlOptional(const std::optional<std::string>& value) {
  return value ? YamlString(*value) : std::string("null");
}

// Secrets are never printed: a CI log is not a place for them.
std::string YamlMasked(const std::optional<std::string>& value) {
  return value ? std::string("\"(set)\"") : std::string("null");
}

// How an option takes its value.
enum class Arity {
  kValue,       // --name VALUE, once (a later one wins)
  kRepeatable,  // --name VALUE, any number of times; its variable is a list
  kSwitch,      // --name alone; its variable takes a switch value
  kAction,      // --name alone, and no variable: it ends the process (--help, --version, ...)
};

using ApplyFn = std::optional<std::string> (*)(Options& options, const std::string& value,
                                               const std::string& from);
using ShowFn = std::string (*)(const Options& options);

// One command-line option: the single place that says how it is written, documented, parsed
// and printed. The variable's name follows from the flag: DATAZONE_MOCK_ + NAME_IN_CAPITALS.
struct OptionSpec {
  std::string_view name;        // without the leading "--"
  std::string_view value_name;  // for --help; empty unless the option takes a value
  Arity arity;
  char list_separator;          // kRepeatable: how its variable separates values
  std::string_view group;       // --help heading
  std::string_view help;        // --help text, wrapped when printed
  std::string_view config_key;  // --print-config key; empty: not printed
  ApplyFn apply;                // takes one value (a switch gets "1"); returns a problem, if any
  ShowFn show;                  // the --print-config value (YAML)
};

// In --help and --print-config order.
constexpr OptionSpec kOptions[] = {
    {"host", "HOST", Arity::kValue, 0, "Serving",
     "address to listen on (default 127.0.0.1); another address prints a warning unless "
     "--admin-token is set",
     "host",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the host must not be empty";
       o.host = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlString(o.host); }},
    {"port", "PORT", Arity::kValue, 0, "Serving", "port; 0 picks a free one (default 8484)", "port",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto port = IntegerIn(v, 0, 65535);
       if (!port) return Bad(from, v, "a port number (0 to 65535)");
       o.port = *port;
       return std::nullopt;
     },
     [](const Options& o) { return std::to_string(o.port); }},
    {"cors", "ORIGIN", Arity::kRepeatable, ',', "Serving",
     "answer browsers from ORIGIN (e.g. http://localhost:3000, or '*' for any) with CORS "
     "headers; repeatable, or comma-separated (default: no CORS)",
     "cors",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       for (const std::string& origin : SplitNonEmpty(v, ',')) {
         if (origin != "*" && origin.find("://") == std::string::npos) {
           return Bad(from, origin, "an origin such as http://localhost:3000, or *");
         }
         o.cors.push_back(origin);
       }
       if (o.cors.empty()) return from + ": give an origin, or *";
       return std::nullopt;
     },
     [](const Options& o) { return YamlList(o.cors); }},
    {"tls-cert", "FILE", Arity::kValue, 0, "Serving", "PEM certificate (chain): serve HTTPS",
     "tlsCert",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the certificate file must not be empty";
       o.tls_cert = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlOptional(o.tls_cert); }},
    {"tls-key", "FILE", Arity::kValue, 0, "Serving", "PEM private key for --tls-cert", "tlsKey",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the key file must not be empty";
       o.tls_key = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlOptional(o.tls_key); }},
    {"max-connections", "N", Arity::kValue, 0, "Serving",
     "connections served at once; more are answered 503 and closed (default 1024)",
     "maxConnections",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto count = IntegerIn(v, 1, kMaxConnectionsLimit);
       if (!count) {
         return Bad(from, v,
                    "a connection count (1 to " + std::to_string(kMaxConnectionsLimit) + ")");
       }
       o.max_connections = static_cast<std::size_t>(*count);
       return std::nullopt;
     },
     [](const Options& o) { return std::to_string(o.max_connections); }},
    {"read-timeout", "SECONDS", Arity::kValue, 0, "Serving",
     "a request must arrive in full within it, and an idle keep-alive connection is closed "
     "after it (default 5)",
     "readTimeoutSeconds",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto seconds = IntegerIn(v, 1, std::numeric_limits<int>::max());
       if (!seconds) return Bad(from, v, "a number of seconds (1 or more)");
       o.read_timeout = std::chrono::seconds(*seconds);
       return std::nullopt;
     },
     [](const Options& o) { return std::to_string(o.read_timeout.count()); }},
    {"fixtures", "PATH", Arity::kRepeatable, ':', "Data",
     "fixture YAML file or directory; repeatable (default: the bundled demo fixtures)", "fixtures",
     [](Options& o, const std::string& v, const std::string&) -> std::optional<std::string> {
       o.fixtures.push_back(v);
       return std::nullopt;
     },
     [](const Options& o) {
       return o.fixtures.empty() ? std::string("bundled") : YamlList(o.fixtures);
     }},
    {"token-secret", "SECRET", Arity::kValue, 0, "Data",
     "key that protects nextTokens; a fixed one keeps tokens valid across restarts and "
     "replicas (default: random per start)",
     "tokenSecret",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the token secret must not be empty";
       o.token_secret = v;
       return std::nullopt;
     },
     [](const Options& o) {
       return o.token_secret ? std::string("\"(set)\"") : std::string("random");
     }},
    {"token-ttl", "SECONDS", Arity::kValue, 0, "Data",
     "nextTokens older than this are refused (default: never expire)", "tokenTtlSeconds",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto seconds = IntegerIn(v, 1, std::numeric_limits<int>::max());
       if (!seconds) return Bad(from, v, "a number of seconds (1 or more)");
       o.token_ttl = std::chrono::seconds(*seconds);
       return std::nullopt;
     },
     [](const Options& o) {
       return o.token_ttl ? std::to_string(o.token_ttl->count()) : std::string("null");
     }},
    {"clock", "real|frozen|TIME", Arity::kValue, 0, "Data",
     "the clock the data lives by (relative times, lifecycles, schedules): real time, frozen at "
     "the real time, or frozen at an RFC 3339 TIME; it moves when told (POST /_mock/clock) "
     "(default real)",
     "clock",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v == "real" || v == "frozen") {
         o.clock = DataClock::Start{v == "frozen", std::nullopt};
         return std::nullopt;
       }
       const auto at = ParseTimestamp(v);
       if (!at)
         return Bad(from, v, "a clock (real, frozen, or a time such as 2025-07-01T00:00:00Z)");
       o.clock = DataClock::Start{true, *at};
       return std::nullopt;
     },
     [](const Options& o) {
       if (!o.clock.frozen) return std::string("real");
       return o.clock.at ? YamlString(FormatRfc3339(*o.clock.at)) : std::string("frozen");
     }},
    {"scenarios", "PATH", Arity::kRepeatable, ':', "Faults",
     "scenario YAML file or directory, added to the bundled scenarios (a same-named one "
     "replaces it); repeatable",
     "scenarioPaths",
     [](Options& o, const std::string& v, const std::string&) -> std::optional<std::string> {
       o.scenario_paths.push_back(v);
       return std::nullopt;
     },
     [](const Options& o) { return YamlList(o.scenario_paths); }},
    {"scenario", "NAME", Arity::kRepeatable, ',', "Faults",
     "activate a scenario at start; repeatable, tried in the order given", "scenarios",
     [](Options& o, const std::string& v, const std::string&) -> std::optional<std::string> {
       o.scenarios.push_back(v);
       return std::nullopt;
     },
     [](const Options& o) { return YamlList(o.scenarios); }},
    {"seed", "N", Arity::kValue, 0, "Faults",
     "seed for probabilistic rules and delay ranges (default: random)", "seed",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto seed = ParseNumber<std::uint64_t>(v);
       if (!seed) return Bad(from, v, "a seed (a non-negative integer)");
       o.seed = *seed;
       return std::nullopt;
     },
     [](const Options& o) { return o.seed ? std::to_string(*o.seed) : std::string("random"); }},
    {"list-scenarios", "", Arity::kAction, 0, "Faults", "print the known scenarios and exit", "",
     [](Options& o, const std::string&, const std::string&) -> std::optional<std::string> {
       o.list_scenarios = true;
       return std::nullopt;
     },
     nullptr},
    {"auth", "MODE", Arity::kValue, 0, "Identity",
     "off: accept any caller (default); required: SigV4 Authorization header needed; verify: "
     "full SigV4 check",
     "auth",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto mode = ParseAuthMode(v);
       if (!mode) return Bad(from, v, "an auth mode (off, required or verify)");
       o.auth = *mode;
       return std::nullopt;
     },
     [](const Options& o) { return std::string(ToString(o.auth)); }},
    {"credentials", "FILE", Arity::kValue, 0, "Identity",
     "YAML credentials for --auth verify, and the upstream's when recording (exactly one)",
     "credentials",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the credentials file must not be empty";
       o.credentials = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlOptional(o.credentials); }},
    {"upstream", "URL", Arity::kValue, 0, "Recording",
     "where `record` and --record-missing fetch from: https://datazone.REGION.amazonaws.com, or "
     "http://HOST:PORT for a local upstream",
     "upstream",
     [](Options& o, const std::string& v, const std::string&) -> std::optional<std::string> {
       if (auto problem = UpstreamUrlProblem(v)) return problem;
       o.upstream = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlOptional(o.upstream); }},
    {"out", "FILE", Arity::kValue, 0, "Recording",
     "the fixture file recording writes (added to when it exists)", "out",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the output file must not be empty";
       o.out = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlOptional(o.out); }},
    {"region", "REGION", Arity::kValue, 0, "Recording",
     "the region requests to the upstream are signed for (default: from its host, else "
     "us-east-1)",
     "region",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty() ||
           v.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
         return Bad(from, v, "a region (like eu-west-1)");
       }
       o.region = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlOptional(o.region); }},
    {"redact", "MEMBER", Arity::kRepeatable, ',', "Recording",
     "write createdBy or error as stable placeholders (createdBy-1, ...); comma-separated or "
     "repeated",
     "redact",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       // --redact createdBy,error as well as --redact createdBy --redact error.
       for (const std::string& member : SplitNonEmpty(v, ',')) {
         if (std::find(std::begin(kRedactableMembers), std::end(kRedactableMembers), member) ==
             std::end(kRedactableMembers)) {
           return Bad(from, member, "a member that can be redacted (createdBy or error)");
         }
         if (std::find(o.redact.begin(), o.redact.end(), member) == o.redact.end()) {
           o.redact.push_back(member);
         }
       }
       if (v.empty()) return Bad(from, v, "a member that can be redacted (createdBy or error)");
       return std::nullopt;
     },
     [](const Options& o) { return YamlList(o.redact); }},
    {"record-missing", "", Arity::kSwitch, 0, "Recording",
     "serve the fixtures, and fetch (and record) domains and jobs they lack from --upstream",
     "recordMissing",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto on = SwitchValue(v);
       if (!on) return Bad(from, v, "a switch value (1, true, yes, on, 0, false, no, off)");
       o.record_missing = *on;
       return std::nullopt;
     },
     [](const Options& o) { return std::string(o.record_missing ? "true" : "false"); }},
    {"admin", "on|off", Arity::kValue, 0, "Test toolkit",
     "serve the admin API under /_mock/ (default on)", "admin",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v != "on" && v != "off") return Bad(from, v, "on or off");
       o.admin = v == "on";
       return std::nullopt;
     },
     [](const Options& o) { return std::string(o.admin ? "on" : "off"); }},
    {"admin-token", "TOKEN", Arity::kValue, 0, "Test toolkit",
     "require \"Authorization: Bearer TOKEN\" on /_mock/ except /_mock/health (default: none)",
     "adminToken",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v.empty()) return from + ": the admin token must not be empty";
       o.admin_token = v;
       return std::nullopt;
     },
     [](const Options& o) { return YamlMasked(o.admin_token); }},
    {"journal-size", "N", Arity::kValue, 0, "Test toolkit",
     "requests kept in the journal (default 10000)", "journalSize",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto size = IntegerIn(v, 0, std::numeric_limits<int>::max());
       if (!size) return Bad(from, v, "a journal size (0 or more)");
       o.journal_size = static_cast<std::size_t>(*size);
       return std::nullopt;
     },
     [](const Options& o) { return std::to_string(o.journal_size); }},
    {"trace", "on|off", Arity::kValue, 0, "Test toolkit",
     "keep each answer's explanation in the journal (default on)", "trace",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v != "on" && v != "off") return Bad(from, v, "on or off");
       o.trace = v == "on";
       return std::nullopt;
     },
     [](const Options& o) { return std::string(o.trace ? "on" : "off"); }},
    {"watch", "", Arity::kSwitch, 0, "Test toolkit",
     "reload fixture and scenario files when they change (SIGHUP always reloads)", "watch",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       const auto on = SwitchValue(v);
       if (!on) return Bad(from, v, "a switch value (1, true, yes, on, 0, false, no, off)");
       o.watch = *on;
       return std::nullopt;
     },
     [](const Options& o) { return std::string(o.watch ? "true" : "false"); }},
    {"log-format", "FORMAT", Arity::kValue, 0, "Logging",
     "text or json, one line per request on stderr (default text)", "logFormat",
     [](Options& o, const std::string& v, const std::string& from) -> std::optional<std::string> {
       if (v == "text") {
         o.log_format = LogFormat::kText;
       } else if (v == "json") {
         o.log_format = LogFormat::kJson;
       } else {
         return Bad(from, v, "a log format (text or json)");
       }
       return std::nullopt;
     },
     [](const Options& o) {
       return std::string(o.log_format == LogFormat::kJson ? "json" : "text");
     }},
    {"print-config", "", Arity::kAction, 0, "Other",
     "print the effective configuration as YAML and exit", "",
     [](Options& o, const std::string&, const std::string&) -> std::optional<std::string> {
       o.print_config = true;
       return std::nullopt;
     },
     nullptr},
    {"help", "", Arity::kAction, 0, "Other", "this text", "",
     [](Options& o, const std::string&, const std::string&) -> std::optional<std::string> {
       o.help = true;
       return std::nullopt;
     },
     nullptr},
    {"version", "", Arity::kAction, 0, "Other", "the version", "",
     [](Options& o, const std::string&, const std::string&) -> std::optional<std::string> {
       o.version = true;
       return std::nullopt;
     },
     nullptr},
};

bool TakesValue(const OptionSpec& spec) {
  return spec.arity == Arity::kValue || spec.arity == Arity::kRepeatable;
}

// DATAZONE_MOCK_TOKEN_SECRET for token-secret; none for an action, which ends the process: a
// forgotten variable must not stop a server.
std::string EnvironmentName(const OptionSpec& spec) {
  if (spec.arity == Arity::kAction) return {};
  std::string name = "DATAZONE_MOCK_";
  for (const char c : spec.name) {
    name += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return name;
}

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// Record mode's options hang together; the upstream's credential comes from the environment
// unless --credentials names it.
std::optional<std::string> CheckRecording(Options& options, const EnvironmentLookup& environment) {
  if (options.record) {
    if (!options.upstream || !options.out) return "record needs --upstream URL and --out FILE";
    if (!options.fixtures.empty()) {
      return "record answers from the upstream only; to serve --fixtures and record what they "
             "lack, use --record-missing";
    }
    if (options.record_missing) return "record forwards every call; --record-missing is not for it";
  } else if (options.record_missing) {
    if (!options.upstream || !options.out)
      return "--record-missing needs --upstream URL and --out FILE";
  } else if (options.upstream || options.out || options.region || !options.redact.empty()) {
    return "--upstream, --out, --region and --redact are for `datazone-mock record` and "
           "--record-missing";
  }
  if ((options.record || options.record_missing) && !options.credentials) {
    const auto key = environment("AWS_ACCESS_KEY_ID");
    const auto secret = environment("AWS_SECRET_ACCESS_KEY");
    if (!key || key->empty() || !secret || secret->empty()) {
      return "no credentials for the upstream: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
             "(and AWS_SESSION_TOKEN for temporary ones), or give --credentials FILE";
    }
    Credential credential{*key, *secret, environment("AWS_SESSION_TOKEN"), std::nullopt};
    if (credential.session_token && credential.session_token->empty()) {
      credential.session_token.reset();
    }
    options.upstream_credential = std::move(credential);
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
  std::size_t first = 0;
  if (!args.empty() && args.front() == "record") {
    options.record = true;
    first = 1;
  }
  std::vector<const OptionSpec*> given;
  for (std::size_t i = first; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) return "unexpected argument '" + arg + "' (see --help)";
    const std::size_t equals = arg.find('=');
    const std::string name =
        arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const OptionSpec* spec = FindOption(name);
    if (!spec) return "unknown flag '--" + name + "' (see --help)";
    std::string value = "1";
    if (!TakesValue(*spec)) {
      if (equals != std::string::npos) return "--" + name + " takes no value";
    } else if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "--" + name + " needs a value";
    }
    // A flag given on the command line replaces its environment variable entirely.
    if (std::find(given.begin(), given.end(), spec) == given.end()) given.push_back(spec);
    if (auto problem = spec->apply(options, value, "--" + name)) return *problem;
  }
  for (const OptionSpec& spec : kOptions) {
    const std::string variable = EnvironmentName(spec);
    if (variable.empty() || std::find(given.begin(), given.end(), &spec) != given.end()) continue;
    const auto value = environment(variable);
    if (!value) continue;
    if (spec.arity == Arity::kRepeatable) {
      for (const std::string& item : SplitNonEmpty(*value, spec.list_separator)) {
        if (auto problem = spec.apply(options, item, variable)) return *problem;
      }
    } else if (auto problem = spec.apply(options, *value, variable)) {
      return *problem;
    }
  }
  if (options.auth == AuthMode::kVerify && !options.credentials) {
    return std::string("--auth verify needs --credentials FILE");
  }
  if (options.tls_cert.has_value() != options.tls_key.has_value()) {
    return std::string("--tls-cert and --tls-key go together: give both or neither");
  }
  if (auto problem = CheckRecording(options, environment)) return *problem;
  return options;
}

std::vector<OptionInfo> AllOptions() {
  std::vector<OptionInfo> all;
  for (const OptionSpec& spec : kOptions) {
    all.push_back(OptionInfo{"--" + std::string(spec.name), std::string(spec.value_name),
                             EnvironmentName(spec), spec.list_separator});
  }
  return all;
}

std::optional<std::string> ProcessEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

namespace {

constexpr std::size_t kHelpWidth = 99;
constexpr std::size_t kHelpIndent = 25;

// "  --port PORT            port; 0 picks ... [DATAZONE_MOCK_PORT]", wrapped at kHelpWidth.
void AppendHelpEntry(std::string& out, const OptionSpec& spec) {
  std::string head = "  --" + std::string(spec.name);
  if (!spec.value_name.empty()) head += " " + std::string(spec.value_name);
  std::string text(spec.help);
  const std::string variable = EnvironmentName(spec);
  if (spec.arity == Arity::kRepeatable) {
    text += std::string(" (the variable is '") + spec.list_separator + "'-separated)";
  }
  if (spec.arity == Arity::kSwitch) {
    text += " [" + variable + "=1|true|yes|on]";
  } else if (!variable.empty()) {
    text += " [" + variable + "]";
  }
  std::string line = head;
  if (line.size() + 1 >= kHelpIndent) {
    out += line + "\n";
    line.clear();
  }
  line.resize(kHelpIndent, ' ');
  std::size_t at = 0;
  bool line_has_words = false;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string_view word(text.data() + at, end - at);
    if (line_has_words && line.size() + 1 + word.size() > kHelpWidth) {
      out += line + "\n";
      line.assign(kHelpIndent, ' ');
      line_has_words = false;
    }
    if (line_has_words) line += ' ';
    line += word;
    line_has_words = true;
    at = end + 1;
  }
  out += line + "\n";
}

}  // namespace

std::string HelpText() {
  std::string out = R"(Usage: datazone-mock [FLAGS]

An in-memory mock of the Amazon DataZone ListJobRuns API:
  GET /v2/domains/{domainIdentifier}/jobs/{jobIdentifier}/runs

Usage: datazone-mock check PATH...
  Validates fixture and scenario files (or directories of them) without serving; exit 0 when
  all are valid, 2 otherwise, with file:line:col diagnostics.

Usage: datazone-mock record --upstream URL --out FILE [FLAGS]
  A proxy: each valid ListJobRuns call is re-signed (SigV4, the upstream's credential) and
  forwarded to URL, its answer passed back unchanged, and every run it holds written to FILE.
)";
  std::string_view group;
  for (const OptionSpec& spec : kOptions) {
    if (spec.group != group) {
      group = spec.group;
      out += "\n" + std::string(group) + ":\n";
    }
    AppendHelpEntry(out, spec);
  }
  out += R"(
The first line on stdout is "datazone-mock listening on http://HOST:PORT" (https:// with TLS).
Flags win over environment variables. SIGTERM/SIGINT stop accepting, let requests in flight
finish (at most 5 s) and exit 0; SIGHUP reloads the files. Exit codes: 0 stopped by a signal,
2 bad flags, bad files or a port in use.
)";
  return out;
}

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
  std::string out;
  for (const OptionSpec& spec : kOptions) {
    if (spec.config_key.empty()) continue;
    out += std::string(spec.config_key) + ": " + spec.show(options) + "\n";
  }
  return out;
}

}  // namespace datazone_mock
