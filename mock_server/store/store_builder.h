#pragma once

#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "store/fixture.h"
#include "store/load_progress.h"
#include "store/store.h"

namespace datazone_mock {

// Fixture documents join a store by one set of rules (store_builder.cc has them in full): a
// domain may appear in several documents and in the store, its jobs merge, and its
// allowedAccessKeyIds are given once; a job is defined by one document, and if the store
// already holds it that document's runs join it; a runId is unique within its job, the store's
// runs included. A problem names both places where both are in documents (docs/decisions.md). Up to
// kMaxDiagnostics problems are reported, in document order; all or nothing.

// The store the files describe (start-up, reload, `check`): the documents merged into an empty
// store. `progress`, if given, hears of generated runs as they are made (explicit runs were
// reported when their file was parsed).
Result<Store, Diagnostics> BuildStore(const std::vector<FixtureDocument>& documents,
                                      LoadProgress* progress = nullptr);

// `base` with `document` merged in (runtime seeding, POST /_mock/fixtures): the same rules, so
// runs may join a job `base` already serves. Jobs the document does not touch are shared with
// `base`, not copied.
Result<Store, Diagnostics> MergeIntoStore(const Store& base, const FixtureDocument& document);

// `base` with one run of one job removed, or replaced by (or added as) `run` when given: what
// DELETE and PUT /_mock/fixtures/{domainId}/{jobId}/runs/{runId} do. The job's other runs, and
// every other job, stay as they are. nullopt when the domain or the job does not exist, or
// (removing) the run does not.
std::optional<Store> WithRun(const Store& base, std::string_view domain_id, std::string_view job_id,
                             std::string_view run_id, const std::optional<RunSpec>& run);

}  // namespace datazone_mock
