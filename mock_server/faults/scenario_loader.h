#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "faults/scenario.h"

namespace datazone_mock {

// Parses one scenario file. `default_name` (the file name without .yaml) applies when the file
// has no `name`. Reports every problem (up to kMaxDiagnostics) with file, line and column.
Result<Scenario, Diagnostics> ParseScenario(std::string_view text, const std::string& file,
                                            const std::string& default_name);

// The name a scenario file gives its scenario when it has no `name`: the file name without
// its extension.
std::string ScenarioNameOf(std::string_view file);

// Loads files and directories (their *.yaml/*.yml, in name order). Two scenarios of one name
// among them is an error naming both files.
Result<std::vector<Scenario>, Diagnostics> LoadScenarioPaths(
    const std::vector<std::filesystem::path>& paths);

}  // namespace datazone_mock
