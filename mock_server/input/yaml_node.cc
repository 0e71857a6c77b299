#include "input/yaml_node.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>

namespace datazone_mock {

// Thrown from the event handler to stop the parser at a limit; caught in ParseYamlDocument.
struct YamlLimitExceeded {
  std::string message;
  YAML::Mark mark;
};

// Builds YamlNodes from parser events. Containers under construction sit on a stack; a
// finished node is attached to its parent (as an item, or as a mapping's key or value).
class YamlTreeBuilder final : public YAML::EventHandler {
 public:
  explicit YamlTreeBuilder(YamlNode& root) : root_(root) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Count(1, mark);
    Finish(Make(YamlNode::Kind::kNull, mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) throw YamlLimitExceeded{"unknown alias", mark};
    // An alias is a copy of its anchor: count every node it brings, so that an alias bomb
    // stops at the limit instead of exhausting memory.
    Count(found->second.second, mark);
    Finish(found->second.first, YAML::NullAnchor);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    Count(1, mark);
    YamlNode node = Make(YamlNode::Kind::kScalar, mark);
    node.data_->scalar = value;
    Finish(std::move(node), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(Make(YamlNode::Kind::kSequence, mark), anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(Make(YamlNode::Kind::kMap, mark), anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Open_ {
    YamlNode node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t first_node = 0;  // nodes_ when it opened: its size when it closes
    bool have_key = false;       // a mapping holding a key that waits for its value
    YamlNode key;
  };

  static YamlNode Make(YamlNode::Kind kind, const YAML::Mark& mark) {
    auto data = std::make_shared<YamlNode::Data>();
    data->kind = kind;
    data->mark = mark;
    return YamlNode(std::move(data));
  }

  void Count(std::size_t nodes, const YAML::Mark& mark) {
    nodes_ += nodes;
    if (nodes_ > kMaxYamlNodes) {
      throw YamlLimitExceeded{"more than 10,000,000 nodes (after expanding aliases)", mark};
    }
  }

  void Open(YamlNode node, YAML::anchor_t anchor) {
    if (stack_.size() >= kMaxYamlDepth) {
      throw YamlLimitExceeded{"nesting deeper than 64 levels", node.Mark()};
    }
    Count(1, node.Mark());
    Open_ open;
    open.node = std::move(node);
    open.anchor = anchor;
    open.first_node = nodes_ - 1;
    stack_.push_back(std::move(open));
  }

  void Close() {
    Open_ done = std::move(stack_.back());
    stack_.pop_back();
    if (done.anchor != YAML::NullAnchor) {
      anchors_[done.anchor] = {done.node, nodes_ - done.first_node};
    }
    Attach(std::move(done.node));
  }

  // A complete leaf (or an alias's copy): remember it under its anchor, attach it.
  void Finish(YamlNode node, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {node, 1};
    Attach(std::move(node));
  }

  void Attach(YamlNode node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Open_& parent = stack_.back();
    if (parent.node.IsSequence()) {
      parent.node.data_->items.push_back(std::move(node));
    } else if (!parent.have_key) {
      parent.key = std::move(node);
      parent.have_key = true;
    } else {
      parent.node.data_->members.emplace_back(std::move(parent.key), std::move(node));
      parent.have_key = false;
    }
  }

  YamlNode& root_;
  std::vector<Open_> stack_;
  std::map<YAML::anchor_t, std::pair<YamlNode, std::size_t>> anchors_;  // node, its node count
  std::size_t nodes_ = 0;
};

bool ParseYamlDocument(const std::string& text, YamlNode& root, YamlParseError& error) {
  root = YamlNode();
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    YamlTreeBuilder builder(root);
    parser.HandleNextDocument(builder);
    return true;
  } catch (const YamlLimitExceeded& limit) {
    error = YamlParseError{limit.message, limit.mark};
  } catch (const YAML::Exception& e) {
    error = YamlParseError{"YAML syntax error: " + e.msg, e.mark};
  }
  return false;
}

}  // namespace datazone_mock
