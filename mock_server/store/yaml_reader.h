#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "store/fixture.h"

namespace datazone_mock {

// `text` in single quotes for a diagnostic, shortened past 80 characters.
std::string Quoted(std::string_view text);

// Walks a YAML document written by a person and collects what is wrong with it, each problem
// located by file, line and column. Shared by the fixture and scenario loaders so that both
// report problems the same way. yaml-cpp exceptions never leave this class.
// Not thread-safe: one reader per document.
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // Parses `text` (checking size and UTF-8 first). On failure, the problem is recorded and
  // nullopt returned.
  std::optional<YAML::Node> Load(std::string_view text);

  void Error(const YAML::Node& at, std::string message);
  void Error(const SourceLocation& at, std::string message);
  // True once kMaxDiagnostics problems are known: callers stop walking then.
  bool Full() const { return diagnostics_.size() >= kMaxDiagnostics; }
  bool HasErrors() const { return !diagnostics_.empty(); }
  std::size_t ErrorCount() const { return diagnostics_.size(); }
  Diagnostics TakeDiagnostics() { return std::move(diagnostics_); }

  SourceLocation Location(const YAML::Node& node) const;
  const std::string& file() const { return file_; }

  // Visits the members of a mapping. Reports: `node` not a mapping ("<what> must be a
  // mapping"), keys outside `allowed` (unless `allowed` is empty: any key), repeated keys.
  // `visit` gets each accepted key once. Returns false when `node` is not a mapping.
  using MemberVisitor = std::function<void(const std::string& key, const YAML::Node& key_node,
                                           const YAML::Node& value)>;
  bool ForEachMember(const YAML::Node& node, std::string_view what,
                     std::initializer_list<std::string_view> allowed, const MemberVisitor& visit);

  // Reports each name in `required` that `node` (a mapping) lacks, at the mapping's start.
  void RequireMembers(const YAML::Node& node, std::string_view what,
                      std::initializer_list<std::string_view> required);

  // The text of a scalar; reports a non-scalar or an oversized one as "<what> must be ...".
  std::optional<std::string> Scalar(const YAML::Node& node, std::string_view what);

 private:
  std::string file_;
  Diagnostics diagnostics_;
  SourceLocation last_key_;  // where a null node (which has no mark of its own) is reported
};

}  // namespace datazone_mock
