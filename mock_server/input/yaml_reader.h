#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "input/input_files.h"
#include "input/source_location.h"
#include "input/yaml_node.h"

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

  // Parses `text`, as JSON when it looks like JSON (LooksLikeJson), else as YAML (checking
  // size and UTF-8 first; nesting, node count after aliases and
  // scalar size while it streams). On failure, the problem is recorded and nullopt returned.
  std::optional<YamlNode> Load(std::string_view text);

  void Error(const YamlNode& at, std::string message);
  void Error(const SourceLocation& at, std::string message);
  // True once kMaxDiagnostics problems are known: callers stop walking then.
  bool Full() const { return diagnostics_.size() >= kMaxDiagnostics; }
  bool HasErrors() const { return !diagnostics_.empty(); }
  std::size_t ErrorCount() const { return diagnostics_.size(); }
  // The problems in file order (line, then column), each reported once: a walk reports them
  // in its own order, and a node reached again through an alias reports its anchor's place.
  Diagnostics TakeDiagnostics();

  SourceLocation Location(const YamlNode& node) const;
  const std::string& file() const { return file_; }

  // Visits the members of a mapping. Reports: `node` not a mapping ("<what> must be a
  // mapping"), keys outside `allowed` (unless `allowed` is empty: any key), repeated keys.
  // `visit` gets each accepted key once. Returns false when `node` is not a mapping.
  using MemberVisitor =
      std::function<void(const std::string& key, const YamlNode& key_node, const YamlNode& value)>;
  bool ForEachMember(const YamlNode& node, std::string_view what,
                     std::initializer_list<std::string_view> allowed, const MemberVisitor& visit);

  // Reports each name in `required` that `node` (a mapping) lacks, at the mapping's start.
  void RequireMembers(const YamlNode& node, std::string_view what,
                      std::initializer_list<std::string_view> required);

  // The text of a scalar; reports a non-scalar or an oversized one as "<what> must be ...".
  std::optional<std::string> Scalar(const YamlNode& node, std::string_view what);

 private:
  std::string file_;
  Diagnostics diagnostics_;
  // The last key visited: where a null value (which has no mark of its own) is reported.
  YAML::Mark last_key_mark_;
};

}  // namespace datazone_mock
