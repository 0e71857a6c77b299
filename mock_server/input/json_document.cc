#include "input/json_document.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace datazone_mock {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool EndsToken(char c) {
  return IsJsonSpace(c) || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']';
}

// Where each token that opens a value or names a key starts, and where it ends, in document
// order. nlohmann's SAX events carry no position, but a valid document raises exactly one such
// event per such token, in the same order, so the n-th event stands at the n-th token.
struct Tokens {
  std::vector<std::size_t> starts;
  std::vector<std::size_t> ends;  // one past the token
};

Tokens ScanTokens(std::string_view text) {
  Tokens tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const std::size_t start = i;
    if (IsJsonSpace(c) || c == ',' || c == ':' || c == '}' || c == ']') {
      ++i;
      continue;
    }
    if (c == '{' || c == '[') {
      ++i;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;  // the escaped byte cannot close the string
      }
      i = std::min(i + 1, text.size());
    } else {
      while (i < text.size() && !EndsToken(text[i])) ++i;
    }
    tokens.starts.push_back(start);
    tokens.ends.push_back(i);
  }
  return tokens;
}

// Byte offsets as 0-based lines and columns, counted as yaml-cpp counts its marks (columns in
// bytes), so that a diagnostic reads the same whichever syntax a file uses.
class LineTable {
 public:
  explicit LineTable(std::string_view text) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  YAML::Mark MarkAt(std::size_t offset) const {
    const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::size_t>(after - line_starts_.begin()) - 1;
    YAML::Mark mark;
    mark.pos = static_cast<int>(offset);
    mark.line = static_cast<int>(line);
    mark.column = static_cast<int>(offset - line_starts_[line]);
    return mark;
  }

 private:
  std::vector<std::size_t> line_starts_;
};

}  // namespace

// Builds YamlNodes from nlohmann's SAX events, as YamlTreeBuilder does from yaml-cpp's.
class JsonTreeBuilder {
 public:
  using json = nlohmann::json;

  JsonTreeBuilder(std::string_view text, YamlNode& root)
      : text_(text), tokens_(ScanTokens(text)), lines_(text), root_(root) {}

  const YamlParseError& error() const { return error_; }

  // The SAX interface (nlohmann::json_sax<json>); returning false stops the parse.
  bool null() { return Leaf(YamlNode::Kind::kNull, {}); }
  bool boolean(bool value) { return Leaf(YamlNode::Kind::kScalar, value ? "true" : "false"); }
  bool number_integer(json::number_integer_t) { return Number(); }
  bool number_unsigned(json::number_unsigned_t) { return Number(); }
  bool number_float(json::number_float_t, const json::string_t&) { return Number(); }
  bool string(json::string_t& value) { return Leaf(YamlNode::Kind::kScalar, std::move(value)); }
  bool binary(json::binary_t&) { return Fail("binary values are not JSON", next_token_); }
  bool key(json::string_t& value) { return Leaf(YamlNode::Kind::kScalar, std::move(value)); }
  bool start_object(std::size_t) { return Open(YamlNode::Kind::kMap); }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(YamlNode::Kind::kSequence); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error while
    // parsing object - unexpected '}'; expected string literal": keep what follows the place,
    // which our own mark gives.
    std::string message = e.what();
    if (const auto at = message.find(": "); at != std::string::npos) message.erase(0, at + 2);
    const std::size_t offset = std::min(position > 0 ? position - 1 : 0, text_.size());
    return Fail("JSON syntax error: " + message, offset);
  }

 private:
  struct Open_ {
    YamlNode node;
    bool have_key = false;
    YamlNode key;
  };

  // The next token's start: where the event being handled was written.
  std::size_t TakeToken(std::size_t* end = nullptr) {
    const std::size_t index = std::min(next_token_index_, tokens_.starts.size() - 1);
    ++next_token_index_;
    next_token_ = tokens_.ends[index];
    if (end) *end = tokens_.ends[index];
    return tokens_.starts[index];
  }

  YamlNode Make(YamlNode::Kind kind, std::size_t offset) {
    auto data = std::make_shared<YamlNode::Data>();
    data->kind = kind;
    data->mark = lines_.MarkAt(offset);
    return YamlNode(std::move(data));
  }

  bool Count(std::size_t offset) {
    if (++nodes_ > kMaxYamlNodes) return Fail("more than 10,000,000 nodes", offset);
    return true;
  }

  bool Leaf(YamlNode::Kind kind, std::string value) {
    const std::size_t offset = TakeToken();
    if (!Count(offset)) return false;
    YamlNode node = Make(kind, offset);
    node.data_->scalar = std::move(value);
    return Attach(std::move(node));
  }

  // Numbers keep the text they were written as: a fixture's 1748743200.25 must not pass through
  // a double on its way to a timestamp.
  bool Number() {
    std::size_t end = 0;
    const std::size_t offset = TakeToken(&end);
    if (!Count(offset)) return false;
    YamlNode node = Make(YamlNode::Kind::kScalar, offset);
    node.data_->scalar.assign(text_.substr(offset, end - offset));
    return Attach(std::move(node));
  }

  bool Open(YamlNode::Kind kind) {
    const std::size_t offset = TakeToken();
    if (stack_.size() >= kMaxYamlDepth) return Fail("nesting deeper than 64 levels", offset);
    if (!Count(offset)) return false;
    stack_.push_back(Open_{Make(kind, offset), false, YamlNode()});
    return true;
  }

  bool Close() {
    Open_ done = std::move(stack_.back());
    stack_.pop_back();
    return Attach(std::move(done.node));
  }

  bool Attach(YamlNode node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return true;
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
    return true;
  }

  bool Fail(std::string message, std::size_t offset) {
    if (!failed_) error_ = YamlParseError{std::move(message), lines_.MarkAt(offset)};
    failed_ = true;
    return false;
  }

  std::string_view text_;
  Tokens tokens_;
  LineTable lines_;
  YamlNode& root_;
  std::vector<Open_> stack_;
  std::size_t next_token_index_ = 0;
  std::size_t next_token_ = 0;  // where the last token taken ended
  std::size_t nodes_ = 0;
  bool failed_ = false;
  YamlParseError error_;
};

bool LooksLikeJson(std::string_view text) {
  const auto first = std::find_if_not(text.begin(), text.end(), IsJsonSpace);
  return first != text.end() && (*first == '{' || *first == '[');
}

bool ParseJsonDocument(std::string_view text, YamlNode& root, YamlParseError& error) {
  root = YamlNode();
  if (ScanTokens(text).starts.empty()) {
    error = YamlParseError{"JSON syntax error: the document is empty", YAML::Mark()};
    return false;
  }
  JsonTreeBuilder builder(text, root);
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) {
    error = builder.error();
    root = YamlNode();
  }
  return ok;
}

}  // namespace datazone_mock
