#pragma once

#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "store/fixture.h"
#include "store/store.h"

namespace datazone_mock {

// Merges fixture documents into one Store. A domain may appear in several documents (its jobs
// merge); a job defined twice, or a runId repeated within a job, is an error that names both
// places (decisions.md). Reports up to kMaxDiagnostics problems.
Result<Store, Diagnostics> BuildStore(const std::vector<FixtureDocument>& documents);

}  // namespace datazone_mock
