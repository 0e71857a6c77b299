#include "store/yaml_reader.h"

#include <set>

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

std::optional<YAML::Node> YamlReader::Load(std::string_view text) {
  if (text.size() > kMaxInputFileBytes) {
    Error(SourceLocation{file_, 1, 1}, "file is larger than the 64 MiB limit");
    return std::nullopt;
  }
  if (auto bad = FindInvalidUtf8(text, file_)) {
    diagnostics_.push_back(std::move(*bad));
    return std::nullopt;
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp marks are 0-based.
    Error(SourceLocation{file_, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

void YamlReader::Error(const YAML::Node& at, std::string message) {
  Error(Location(at), std::move(message));
}

void YamlReader::Error(const SourceLocation& at, std::string message) {
  if (Full()) return;
  diagnostics_.push_back(Diagnostic{at.file, at.line, at.column, std::move(message)});
}

SourceLocation YamlReader::Location(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  // yaml-cpp places an empty value at the next token; its key is where a person looks.
  if (mark.is_null() || mark.line < 0 || node.IsNull()) return last_key_;
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

bool YamlReader::ForEachMember(const YAML::Node& node, std::string_view what,
                               std::initializer_list<std::string_view> allowed,
                               const MemberVisitor& visit) {
  if (!node.IsMap()) {
    Error(node, std::string(what) + " must be a mapping");
    return false;
  }
  std::set<std::string, std::less<>> seen;
  // Each member is a value (yaml-cpp's iterators hand out temporaries): copy, don't refer.
  for (const auto& member : node) {
    if (Full()) break;
    const YAML::Node key_node = member.first;
    const YAML::Node value = member.second;
    if (!key_node.IsScalar()) {
      Error(key_node, "keys of " + std::string(what) + " must be strings");
      continue;
    }
    const std::string key = key_node.Scalar();
    last_key_ = Location(key_node);
    if (allowed.size() > 0) {
      bool known = false;
      for (std::string_view name : allowed) known = known || name == key;
      if (!known) {
        Error(key_node, "unknown key " + Quoted(key) + " in " + std::string(what) +
                            " (expected one of: " + JoinNames(allowed) + ")");
        continue;
      }
    }
    if (!seen.insert(key).second) {
      Error(key_node, "duplicate key " + Quoted(key) + " in " + std::string(what));
      continue;
    }
    visit(key, key_node, value);
  }
  return true;
}

void YamlReader::RequireMembers(const YAML::Node& node, std::string_view what,
                                std::initializer_list<std::string_view> required) {
  if (!node.IsMap()) return;
  for (std::string_view name : required) {
    bool found = false;
    for (const auto& member : node) {
      found = found || (member.first.IsScalar() && member.first.Scalar() == name);
    }
    if (!found) {
      Error(node, std::string(what) + " is missing required key '" + std::string(name) + "'");
    }
  }
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what) {
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
