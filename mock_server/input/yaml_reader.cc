#include "input/yaml_reader.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "input/json_document.h"

namespace datazone_mock {
namespace {

std::string JoinNames(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::string Quoted(std::string_view text) {
  // Appended piecewise: GCC 12 at -O3 reports a false -Wrestrict on "'" + std::string(...).
  const bool shorten = text.size() > 80;
  std::string out;
  out.reserve(std::min<std::size_t>(text.size(), 80) + 2);
  out += '\'';
  out.append(shorten ? text.substr(0, 77) : text);
  if (shorten) out += "...";
  out += '\'';
  return out;
}

std::optional<YamlNode> YamlReader::Load(std::string_view text) {
  if (text.size() > kMaxInputFileBytes) {
    Error(SourceLocation{file_, 1, 1}, "file is larger than the 64 MiB limit");
    return std::nullopt;
  }
  if (auto bad = FindInvalidUtf8(text, file_)) {
    diagnostics_.push_back(std::move(*bad));
    return std::nullopt;
  }
  if (auto bad = FindControlCharacter(text, file_)) {
    diagnostics_.push_back(std::move(*bad));
    return std::nullopt;
  }
  YamlNode root;
  YamlParseError error;
  if (LooksLikeJson(text)) {
    // JSON as JSON; a text that is not valid JSON may still be YAML's flow style. When it is
    // neither, the JSON error is the one that speaks to what the author meant.
    if (ParseJsonDocument(text, root, error)) return root;
    YamlParseError yaml_error;
    if (ParseYamlDocument(std::string(text), root, yaml_error)) return root;
    Error(SourceLocation{file_, error.mark.line + 1, error.mark.column + 1}, error.message);
    return std::nullopt;
  }
  if (!ParseYamlDocument(std::string(text), root, error)) {
    // yaml-cpp marks are 0-based.
    Error(SourceLocation{file_, error.mark.line + 1, error.mark.column + 1}, error.message);
    return std::nullopt;
  }
  return root;
}

Diagnostics YamlReader::TakeDiagnostics() {
  const auto place = [](const Diagnostic& d) { return std::pair(d.line, d.column); };
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return place(a) < place(b); });
  diagnostics_.erase(std::unique(diagnostics_.begin(), diagnostics_.end()), diagnostics_.end());
  return std::move(diagnostics_);
}

void YamlReader::Error(const YamlNode& at, std::string message) {
  Error(Location(at), std::move(message));
}

void YamlReader::Error(const SourceLocation& at, std::string message) {
  if (Full()) return;
  diagnostics_.push_back(Diagnostic{at.file, at.line, at.column, std::move(message)});
}

SourceLocation YamlReader::Location(const YamlNode& node) const {
  const YAML::Mark mark = node.Mark();
  // yaml-cpp places an empty value at the next token; its key is where a person looks.
  if (mark.is_null() || mark.line < 0 || node.IsNull()) {
    return SourceLocation{file_, last_key_mark_.line + 1, last_key_mark_.column + 1};
  }
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

bool YamlReader::ForEachMember(const YamlNode& node, std::string_view what,
                               std::initializer_list<std::string_view> allowed,
                               const MemberVisitor& visit) {
  if (!node.IsMap()) {
    Error(node, std::string(what) + " must be a mapping");
    return false;
  }
  // Mappings here have a handful of keys: a linear search beats a set (this runs per run).
  std::vector<std::string> seen;
  for (const auto& [key_node, value] : node.members()) {
    if (Full()) break;
    if (!key_node.IsScalar()) {
      // Unlike an empty value, an empty key has a mark of its own (its ':'): report it there,
      // not at whatever key was visited before it.
      const YAML::Mark mark = key_node.Mark();
      const std::string message = "keys of " + std::string(what) + " must be strings";
      if (key_node.IsNull() && !mark.is_null() && mark.line >= 0) {
        Error(SourceLocation{file_, mark.line + 1, mark.column + 1}, message);
      } else {
        Error(key_node, message);
      }
      continue;
    }
    const std::string& key = key_node.Scalar();
    last_key_mark_ = key_node.Mark();
    if (allowed.size() > 0) {
      bool known = false;
      for (std::string_view name : allowed) known = known || name == key;
      if (!known) {
        Error(key_node, "unknown key " + Quoted(key) + " in " + std::string(what) +
                            " (expected one of: " + JoinNames(allowed) + ")");
        continue;
      }
    }
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      Error(key_node, "duplicate key " + Quoted(key) + " in " + std::string(what));
      continue;
    }
    seen.push_back(key);
    visit(key, key_node, value);
  }
  return true;
}

void YamlReader::RequireMembers(const YamlNode& node, std::string_view what,
                                std::initializer_list<std::string_view> required) {
  if (!node.IsMap()) return;
  // One pass over the members for all the names.
  std::uint32_t found = 0;
  for (const auto& [key, value] : node.members()) {
    if (!key.IsScalar()) continue;
    std::uint32_t bit = 1;
    for (std::string_view name : required) {
      if (key.Scalar() == name) found |= bit;
      bit <<= 1;
    }
  }
  std::uint32_t bit = 1;
  for (std::string_view name : required) {
    if ((found & bit) == 0) {
      Error(node, std::string(what) + " is missing required key '" + std::string(name) + "'");
    }
    bit <<= 1;
  }
}

std::optional<std::string> YamlReader::Scalar(const YamlNode& node, std::string_view what) {
  if (!node.IsScalar()) {
    Error(node, std::string(what) + " must be a single value, not " +
                    (node.IsMap()        ? "a mapping"
                     : node.IsSequence() ? "a list"
                                         : "empty"));
    return std::nullopt;
  }
  if (node.Scalar().size() > kMaxScalarBytes) {
    Error(node, std::string(what) + " is longer than the 1 MiB limit");
    return std::nullopt;
  }
  return node.Scalar();
}

}  // namespace datazone_mock
