#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/job_run.h"

namespace datazone_mock {

// Parses a fixture timestamp: RFC 3339 (`2025-06-01T02:07:41.250Z`, fractions of any length,
// `Z` or a `+hh:mm`/`-hh:mm` offset) or epoch seconds (`1748743200`, `1748743200.25`).
// Digits finer than a millisecond are truncated, as DataZone does (wire.md).
std::optional<TimestampMs> ParseTimestamp(std::string_view text);

// Epoch seconds as a JSON number, with milliseconds when there are any: `1752644436.666`,
// `1752644436.25`, `1752644436`. SDKs read timestamps in this form only (wire.md).
std::string FormatEpochSeconds(TimestampMs ms);
// The same, appended to `out` without a temporary (the serializer's hot path).
void AppendEpochSeconds(std::string& out, TimestampMs ms);

// `2025-06-01T02:07:41.250Z`, for diagnostics and printed configuration.
std::string FormatRfc3339(TimestampMs ms);

}  // namespace datazone_mock
