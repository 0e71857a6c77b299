#include "check/file_kind.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>

#include "input/yaml_node.h"
#include "input/yaml_reader.h"

namespace datazone_mock {
namespace {

// Reads `text` in place: a fixture file may be 64 MiB, not worth a copy to look at its first
// key. Only ever read from (the parser never writes back); not thread-safe.
class TextBuffer final : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// Thrown by the handler to stop the parser: the kind is known, or the document is too deep to
// be read safely. Caught in SniffFileKind.
struct StopReading {};

// Watches the keys of the top-level mapping as the parser streams, holding nothing but counts.
// One per document; not thread-safe.
class TopLevelKeys final : public YAML::EventHandler {
 public:
  bool fixture() const { return fixture_; }
  bool scenario() const { return scenario_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { Node(nullptr); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { Node(nullptr); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    Node(&value);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(nullptr);
    Open(false);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(nullptr);
    Open(true);
  }
  void OnMapEnd() override { --depth_; }

 private:
  // Every node starts with one of the events above; inside the top-level mapping (depth 1),
  // nodes alternate key, value. The root itself, at depth 0, is judged by Open.
  void Node(const std::string* scalar) {
    if (depth_ != 1) return;
    const bool is_key = root_nodes_++ % 2 == 0;
    if (!is_key || scalar == nullptr) return;
    if (*scalar == "domains") {
      fixture_ = true;
      throw StopReading{};  // the rest may be megabytes of runs; ParseFixture reads them
    }
    if (*scalar == "rules" || *scalar == "rateLimit") scenario_ = true;
  }

  void Open(bool is_map) {
    // A root that is not a mapping has no top-level keys: nothing more to learn.
    if (depth_ == 0 && !is_map) throw StopReading{};
    // The same bound as the loaders', which also keeps yaml-cpp's recursive parser shallow.
    if (++depth_ > kMaxYamlDepth) throw StopReading{};
  }

  bool fixture_ = false;
  bool scenario_ = false;
  std::size_t depth_ = 0;
  std::size_t root_nodes_ = 0;  // nodes seen directly in the top-level mapping
};

}  // namespace

Result<FileKind, Diagnostics> SniffFileKind(std::string_view text, const std::string& file) {
  TopLevelKeys keys;
  bool read_to_the_end = false;
  try {
    TextBuffer buffer(text);
    std::istream stream(&buffer);
    YAML::Parser parser(stream);
    parser.HandleNextDocument(keys);
    read_to_the_end = true;
  } catch (const StopReading&) {
  } catch (const YAML::Exception&) {
  }
  // The parser of the kind found checks the whole text (UTF-8 included) and reports as at
  // start-up; this one need not read it all before.
  if (keys.fixture()) return FileKind::kFixture;
  if (keys.scenario() && read_to_the_end) return FileKind::kScenario;
  // Neither, or stopped before the end: when the loaders refuse the text, their diagnostics
  // say why, with the same words and places as at start-up.
  YamlReader reader(file);
  if (!reader.Load(text)) return reader.TakeDiagnostics();
  return keys.scenario() ? FileKind::kScenario : FileKind::kNeither;
}

}  // namespace datazone_mock
