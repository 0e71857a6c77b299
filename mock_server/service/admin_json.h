#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "core/http_message.h"
#include "faults/fault_engine.h"
#include "journal/journal.h"
#include "journal/verify.h"
#include "service/coverage.h"
#include "store/store.h"

namespace datazone_mock {

// The JSON shapes of the admin API's answers (README, "Admin API"), one function per shape, so
// that every route describes a rule, a journal entry or a count the same way.

// A JSON answer. Invalid UTF-8 is replaced, never thrown on: journal entries echo what clients
// sent.
HttpResponse AdminJson(int status, const nlohmann::json& body);
// {"message": message}.
HttpResponse AdminMessage(int status, std::string_view message);

nlohmann::json DescribeScenarioStatus(const ScenarioStatus& status);
nlohmann::json DescribeCounts(const Store::Counts& counts);
nlohmann::json DescribeJournalEntry(const JournalEntry& entry);
// {"ok","count","expected":{"count"|"atLeast"|"atMost":n},"nearMisses":[{"request","differs"}]}.
nlohmann::json DescribeVerifyResult(const VerifyResult& result);
nlohmann::json DescribeCoverage(const CoverageReport& report);
// {"message": "file:line:col: ...\n...", "errors": [{"line","column","message"}]}.
nlohmann::json DescribeDiagnostics(const Diagnostics& diagnostics);

}  // namespace datazone_mock
