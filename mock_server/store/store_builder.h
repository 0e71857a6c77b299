#pragma once

#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "store/fixture.h"
#include "store/load_progress.h"
#include "store/store.h"

namespace datazone_mock {

// Merges fixture documents into one Store. A domain may appear in several documents (its jobs
// merge); a job defined twice, or a runId repeated within a job, is an error that names both
// places (decisions.md). Reports up to kMaxDiagnostics problems. `progress`, if given, hears of
// generated runs as they are made (explicit runs were reported when their file was parsed).
Result<Store, Diagnostics> BuildStore(const std::vector<FixtureDocument>& documents,
                                      LoadProgress* progress = nullptr);

// `base` with `document` added (runtime seeding): domains and jobs merge, and runs may be added
// to an existing job, but a runId already in its job is an error, as is a second access list
// for a domain that has one. All or nothing. Jobs the document does not touch are shared with
// `base`, not copied.
Result<Store, Diagnostics> MergeIntoStore(const Store& base, const FixtureDocument& document);

}  // namespace datazone_mock
