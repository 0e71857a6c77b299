#pragma once

#include <yaml-cpp/mark.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace datazone_mock {

// A node of a YAML document, as the loaders read it: null, scalar, sequence or mapping, with
// where it was written. Built from yaml-cpp's event API rather than YAML::Load: a fraction of
// the memory and time, and aliases and nesting can be bounded while the document streams.
//
// Nodes are immutable once built and share their contents: copying one is cheap, and an alias
// is the very node it names, so an alias bomb costs no memory (its expanded size is still
// counted against kMaxYamlNodes).
class YamlNode {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };

  YamlNode() : data_(Empty()) {}

  bool IsDefined() const { return true; }
  bool IsNull() const { return data_->kind == Kind::kNull; }
  bool IsScalar() const { return data_->kind == Kind::kScalar; }
  bool IsSequence() const { return data_->kind == Kind::kSequence; }
  bool IsMap() const { return data_->kind == Kind::kMap; }

  const std::string& Scalar() const { return data_->scalar; }
  YAML::Mark Mark() const { return data_->mark; }

  // Sequence items, in order.
  const std::vector<YamlNode>& items() const { return data_->items; }
  // Mapping members (key, value), in order; repeated keys are kept for the reader to report.
  const std::vector<std::pair<YamlNode, YamlNode>>& members() const { return data_->members; }
  std::size_t size() const { return IsMap() ? data_->members.size() : data_->items.size(); }
  const YamlNode& operator[](std::size_t index) const { return data_->items[index]; }

 private:
  friend class YamlTreeBuilder;
  friend class JsonTreeBuilder;  // input/json_document.cc

  struct Data {
    Kind kind = Kind::kNull;
    YAML::Mark mark = YAML::Mark::null_mark();
    std::string scalar;
    std::vector<YamlNode> items;
    std::vector<std::pair<YamlNode, YamlNode>> members;
  };

  explicit YamlNode(std::shared_ptr<Data> data) : data_(std::move(data)) {}
  static std::shared_ptr<Data> Empty() {
    static const std::shared_ptr<Data> empty = std::make_shared<Data>();
    return empty;
  }

  std::shared_ptr<Data> data_;  // shared, and never changed after the builder is done with it
};

// Limits on a document, YAML or JSON (docs/decisions.md, "Input file limits").
inline constexpr std::size_t kMaxYamlDepth = 64;
inline constexpr std::size_t kMaxYamlNodes = 10'000'000;  // after alias expansion

// Parses the first document of `text`. On failure: the message and where (0-based mark).
struct YamlParseError {
  std::string message;
  YAML::Mark mark;
};
bool ParseYamlDocument(const std::string& text, YamlNode& root, YamlParseError& error);

}  // namespace datazone_mock
