#pragma once

#include <string_view>

#include "input/yaml_node.h"

namespace datazone_mock {

// True when `text` starts (after white space) like a JSON document: '{' or '['. Such a text is
// read as JSON first, so that JSON means what JSON says (surrogate-pair escapes, for one, which
// a YAML parser refuses); YAML's flow style also starts so, and is read as YAML when it is not
// valid JSON.
bool LooksLikeJson(std::string_view text);

// Parses a JSON document (RFC 8259) into the node tree the loaders walk, each node marked with
// where its token starts, as YAML nodes are. The same limits hold (kMaxYamlDepth,
// kMaxYamlNodes). Objects keep repeated keys, for the reader to report. Numbers, `true` and
// `false` are scalars written as in the text; `null` is a null node. On failure: the message
// and where.
bool ParseJsonDocument(std::string_view text, YamlNode& root, YamlParseError& error);

}  // namespace datazone_mock
