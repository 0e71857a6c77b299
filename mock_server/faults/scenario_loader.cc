#include "faults/scenario_loader.h"

#include <map>

#include "api/aws_errors.h"
#include "api/list_job_runs_request.h"
#include "core/text.h"
#include "input/yaml_reader.h"

namespace datazone_mock {
namespace {

// A page holds at most maxResults' maximum; a larger limit would change nothing.
constexpr auto kMaxPageLimit = static_cast<std::uint32_t>(kMaxMaxResults);

class ScenarioParser {
 public:
  explicit ScenarioParser(YamlReader& reader) : reader_(reader) {}

  Scenario Parse(const YamlNode& root, const std::string& default_name) {
    Scenario scenario;
    scenario.name = default_name;
    scenario.file = reader_.file();
    if (!root.IsDefined() || root.IsNull()) return scenario;
    reader_.ForEachMember(root, "the scenario file", {"name", "description", "rules", "rateLimit"},
                          [&](const std::string& key, const YamlNode&, const YamlNode& value) {
                            if (key == "name") {
                              if (auto name = reader_.Scalar(value, "name")) {
                                if (name->empty()) {
                                  reader_.Error(value, "name must not be empty");
                                } else {
                                  scenario.name = *name;
                                }
                              }
                            } else if (key == "description") {
                              scenario.description =
                                  reader_.Scalar(value, "description").value_or("");
                            } else if (key == "rules") {
                              ParseRules(value, scenario);
                            } else if (key == "rateLimit") {
                              scenario.rate_limit = ParseRateLimit(value);
                            }
                          });
    return scenario;
  }

 private:
  void ParseRules(const YamlNode& rules, Scenario& scenario) {
    if (rules.IsNull()) return;
    if (!rules.IsSequence()) {
      reader_.Error(rules, "rules must be a list");
      return;
    }
    for (std::size_t i = 0; i < rules.size() && !reader_.Full(); ++i) {
      Rule rule;
      rule.location = reader_.Location(rules[i]);
      bool has_respond = false;
      reader_.ForEachMember(rules[i], "rule", {"when", "respond"},
                            [&](const std::string& key, const YamlNode&, const YamlNode& value) {
                              if (key == "when") {
                                ParseWhen(value, rule.when);
                              } else {
                                has_respond = true;
                                ParseRespond(value, rule.respond);
                              }
                            });
      if (rules[i].IsMap() && !has_respond) {
        reader_.Error(rules[i], "rule is missing required key 'respond'");
      }
      scenario.rules.push_back(std::move(rule));
    }
  }

  void ParseWhen(const YamlNode& node, RuleCondition& when) {
    if (node.IsNull()) return;  // `when:` with nothing: matches every request
    reader_.ForEachMember(
        node, "when",
        {"domain", "job", "accessKeyId", "status", "page", "token", "calls", "probability"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          auto text = reader_.Scalar(value, key);
          if (!text) return;
          if (key == "domain") {
            when.domain = *text;
          } else if (key == "job") {
            when.job = *text;
          } else if (key == "accessKeyId") {
            when.access_key_id = *text;
          } else if (key == "status") {
            when.status = *text;
          } else if (key == "page") {
            when.page = ParseCallsCondition(*text);
            if (!when.page) {
              reader_.Error(value, "invalid page '" + *text +
                                       "': expected N, N-M, N- or \"every N\" (page 1 is the "
                                       "request without a nextToken)");
            }
          } else if (key == "token") {
            if (*text == "present") {
              when.token = TokenCondition::kPresent;
            } else if (*text == "absent") {
              when.token = TokenCondition::kAbsent;
            } else {
              reader_.Error(value, "invalid token '" + *text + "': expected present or absent");
            }
          } else if (key == "calls") {
            when.calls = ParseCallsCondition(*text);
            if (!when.calls) {
              reader_.Error(value, "invalid calls '" + *text +
                                       "': expected N, N-M, N- or \"every N\" (N from 1)");
            }
          } else if (key == "probability") {
            when.probability = ParseNumber<double>(*text);
            if (!when.probability || *when.probability < 0 || *when.probability > 1) {
              reader_.Error(value, "invalid probability '" + *text + "': expected 0 to 1");
            }
          }
        });
  }

  void ParseRespond(const YamlNode& node, RuleResponse& respond) {
    std::optional<std::string> message;
    std::optional<int> status;
    reader_.ForEachMember(
        node, "respond", {"error", "message", "status", "delay", "fault", "page"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          if (key == "page") {
            respond.page = ParsePageShape(value);
            return;
          }
          auto text = reader_.Scalar(value, key);
          if (!text) return;
          if (key == "error") {
            respond.error = ErrorByType(*text);
            if (!respond.error) {
              reader_.Error(value,
                            "unknown error '" + *text + "': expected one of " + KnownErrorTypes());
            }
          } else if (key == "message") {
            message = *text;
          } else if (key == "status") {
            const auto number = ParseNumber<double>(*text);
            if (!number || *number < 100 || *number > 599 ||
                *number != static_cast<double>(static_cast<int>(*number))) {
              reader_.Error(value, "invalid status '" + *text + "': expected an HTTP status code");
            } else {
              status = static_cast<int>(*number);
            }
          } else if (key == "delay") {
            respond.delay = ParseDelay(*text);
            if (!respond.delay) {
              reader_.Error(value, "invalid delay '" + *text +
                                       "': expected a duration such as 250ms or 2s, or a range "
                                       "such as 100ms-900ms");
            }
          } else if (key == "fault") {
            respond.fault = ParseTransportFault(*text);
            if (!respond.fault) {
              reader_.Error(value, "invalid fault '" + *text +
                                       "': expected one of reset, close, empty, malformed-json, "
                                       "truncate");
            }
          }
        });
    if (!node.IsMap()) return;
    if (respond.error && respond.fault) {
      reader_.Error(node, "respond gives both an error and a fault; a rule answers with one");
    }
    if ((message || status) && !respond.error) {
      reader_.Error(node, "respond gives a message or status without an error");
    }
    if (respond.page && (respond.error || respond.fault)) {
      reader_.Error(node,
                    "respond gives a page shape with an error or a fault; a page shape shapes a "
                    "successful answer (it may come with a delay)");
    }
    if (!respond.error && !respond.fault && !respond.delay && !respond.page &&
        !reader_.HasErrors()) {
      reader_.Error(node, "respond needs at least one of error, delay, fault, page");
    }
    if (respond.error) {
      if (message) respond.error->message = *message;
      if (status) respond.error->http_status = *status;
      respond.error->reason = "injected";
    }
  }

  // `page: {limit: N, trailingEmpty: true, repeatToken: true}`, at least one member.
  std::optional<PageShape> ParsePageShape(const YamlNode& node) {
    PageShape shape;
    bool valid = true;
    const std::size_t errors_before = reader_.ErrorCount();
    reader_.ForEachMember(
        node, "page", {"limit", "trailingEmpty", "repeatToken"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          auto text = reader_.Scalar(value, key);
          if (!text) {
            valid = false;
            return;
          }
          if (key == "limit") {
            const auto number = ParseNumber<std::uint32_t>(*text);
            if (!number || *number > kMaxPageLimit) {
              reader_.Error(value, "invalid limit '" + *text +
                                       "': expected a whole number from 0 to " +
                                       std::to_string(kMaxPageLimit));
              valid = false;
            } else {
              shape.limit = *number;
            }
            return;
          }
          bool& flag = key == "trailingEmpty" ? shape.trailing_empty : shape.repeat_token;
          if (*text == "true") {
            flag = true;
          } else if (*text == "false") {
            flag = false;
          } else {
            reader_.Error(value, "invalid " + key + " '" + *text + "': expected true or false");
            valid = false;
          }
        });
    if (!node.IsMap() || !valid || reader_.ErrorCount() != errors_before) return std::nullopt;
    if (node.size() == 0) {
      reader_.Error(node, "page needs at least one of limit, trailingEmpty, repeatToken");
      return std::nullopt;
    }
    return shape;
  }

  std::optional<RateLimit> ParseRateLimit(const YamlNode& node) {
    RateLimit limit;
    bool valid = true;
    reader_.ForEachMember(
        node, "rateLimit", {"perSecond", "burst", "scope"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          auto text = reader_.Scalar(value, key);
          if (!text) {
            valid = false;
            return;
          }
          if (key == "scope") {
            if (*text == "global") {
              limit.scope = RateLimitScope::kGlobal;
            } else if (*text == "accessKeyId") {
              limit.scope = RateLimitScope::kAccessKeyId;
            } else if (*text == "domain") {
              limit.scope = RateLimitScope::kDomain;
            } else {
              reader_.Error(value, "invalid scope '" + *text +
                                       "': expected one of global, accessKeyId, domain");
              valid = false;
            }
            return;
          }
          const auto number = ParseNumber<double>(*text);
          const double minimum = key == "burst" ? 1 : 0;
          if (!number || *number <= 0 || *number < minimum || *number > 1e9) {
            reader_.Error(value, "invalid " + key + " '" + *text + "': expected a number " +
                                     (key == "burst" ? "of at least 1" : "above 0"));
            valid = false;
          } else if (key == "perSecond") {
            limit.per_second = *number;
          } else {
            limit.burst = *number;
          }
        });
    reader_.RequireMembers(node, "rateLimit", {"perSecond"});
    if (!node.IsMap() || !valid) return std::nullopt;
    bool has_burst = false;
    for (const auto& [key, value] : node.members())
      has_burst = has_burst || key.Scalar() == "burst";
    // Without a burst, one second's worth of requests may come at once.
    if (!has_burst) limit.burst = std::max(1.0, limit.per_second);
    return limit;
  }

  static std::string KnownErrorTypes() {
    std::string out;
    for (std::string_view type : KnownInjectableErrors()) {
      if (!out.empty()) out += ", ";
      out += type;
    }
    return out;
  }

  YamlReader& reader_;
};

}  // namespace

std::string ScenarioNameOf(std::string_view file) {
  return std::filesystem::path(std::string(file)).stem().string();
}

Result<Scenario, Diagnostics> ParseScenario(std::string_view text, const std::string& file,
                                            const std::string& default_name) {
  YamlReader reader(file);
  const auto root = reader.Load(text);
  if (!root) return reader.TakeDiagnostics();
  Scenario scenario = ScenarioParser(reader).Parse(*root, default_name);
  if (reader.HasErrors()) return reader.TakeDiagnostics();
  return scenario;
}

Result<std::vector<Scenario>, Diagnostics> LoadScenarioPaths(
    const std::vector<std::filesystem::path>& paths) {
  auto files = ExpandYamlPaths(paths);
  if (!files.ok()) return std::move(files).error();
  std::vector<Scenario> scenarios;
  std::map<std::string, std::string> seen;  // name -> file
  Diagnostics problems;
  for (const auto& path : files.value()) {
    auto text = ReadInputFile(path);
    if (!text.ok()) {
      for (auto& d : std::move(text).error()) problems.push_back(std::move(d));
      continue;
    }
    auto scenario = ParseScenario(text.value(), path.string(), ScenarioNameOf(path.string()));
    if (!scenario.ok()) {
      for (auto& d : std::move(scenario).error()) problems.push_back(std::move(d));
      continue;
    }
    auto [it, fresh] = seen.emplace(scenario.value().name, path.string());
    if (!fresh) {
      problems.push_back(Diagnostic{
          path.string(), 1, 1,
          "scenario '" + scenario.value().name + "' is already defined in " + it->second});
      continue;
    }
    scenarios.push_back(std::move(scenario).value());
  }
  if (!problems.empty()) return problems;
  return scenarios;
}

}  // namespace datazone_mock
