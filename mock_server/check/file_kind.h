#pragma once

#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "core/result.h"

namespace datazone_mock {

enum class FileKind { kFixture, kScenario, kNeither };

// What an input file is, told by content (docs/decisions.md, "Configuration"): a top-level
// `domains` key makes a fixture file; otherwise a top-level `rules` or `rateLimit` key a scenario
// file; anything else (another mapping, a list, a scalar, an empty document) is neither.
//
// Reads no further than it must: a fixture is known at its `domains` key, so a large fixture
// is not parsed twice (once here, once by ParseFixture). A fixture or scenario is not checked
// further here: its parser reports what else is wrong (invalid UTF-8, YAML errors). For any
// other text, or one that stops being YAML before its kind is known, returns the diagnostics
// the loaders give for it (invalid UTF-8, YAML syntax, input limits), if any.
Result<FileKind, Diagnostics> SniffFileKind(std::string_view text, const std::string& file);

}  // namespace datazone_mock
