#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace datazone_mock {

// Every time format the mock reads or writes, over one calendar: the proleptic Gregorian one, in
// UTC, computed here (no time zone database, no locale), so that each format is written once
// and all of them agree on what a date is.
//   - RFC 3339 and epoch seconds: fixtures, credentials, the API's timestamps, logs, the journal;
//   - IMF-fixdate: the HTTP Date header;
//   - SigV4's basic format, yyyyMMdd'T'HHmmss'Z': X-Amz-Date and the string to sign.
// Pure functions, so thread-safe (FormatHttpDate's cache is per thread); none throws: every
// input may be untrusted.

// Milliseconds since the Unix epoch: the precision DataZone keeps (docs/wire.md: finer digits are
// truncated).
using TimestampMs = std::int64_t;

// --- Durations and times relative to a clock ---------------------------------------------------

// Ten years: longer durations are typing mistakes, and every sum of a time and a duration stays
// far from overflow.
inline constexpr std::int64_t kMaxDurationMs = 10LL * 366 * 24 * 3600 * 1000;

// "250ms", "90s", "15m", "2h", "1d", or several from the largest unit down ("1h30m",
// "49d21h59m30s87ms"): whole numbers (0 or more) and units, as milliseconds.
std::optional<std::int64_t> ParseDurationMs(std::string_view text);

// "now", "now-90m", "now+30s": `now` moved by a duration (ParseDurationMs). nullopt for any other
// text, so callers can try an absolute timestamp next.
std::optional<TimestampMs> ParseRelativeTime(std::string_view text, TimestampMs now);

// --- RFC 3339 and epoch seconds -----------------------------------------------------------------

// Parses a fixture timestamp: RFC 3339 (`2025-06-01T02:07:41.250Z`, fractions of any length,
// `Z` or a `+hh:mm`/`-hh:mm` offset) or epoch seconds (`1748743200`, `1748743200.25`).
// Digits finer than a millisecond are truncated, as DataZone does (docs/wire.md).
std::optional<TimestampMs> ParseTimestamp(std::string_view text);

// Epoch seconds as a JSON number, with milliseconds when there are any: `1752644436.666`,
// `1752644436.25`, `1752644436`. SDKs read timestamps in this form only (docs/wire.md).
std::string FormatEpochSeconds(TimestampMs ms);
// The same, appended to `out` without a temporary (the serializer's hot path).
void AppendEpochSeconds(std::string& out, TimestampMs ms);

// `2025-06-01T02:07:41.250Z`, for diagnostics and printed configuration.
std::string FormatRfc3339(TimestampMs ms);

// --- HTTP Date ----------------------------------------------------------------------------------

// An IMF-fixdate for the Date header ("Sun, 06 Nov 1994 08:49:37 GMT"); SDKs correct their
// clock skew from it. Every response carries one, so each thread formats a given second once.
std::string FormatHttpDate(std::chrono::system_clock::time_point time);

// An IMF-fixdate, exactly (29 bytes, "GMT"), as epoch seconds; nullopt otherwise. The day name
// is not checked: it adds nothing to the time.
std::optional<std::int64_t> ParseImfFixdate(std::string_view text);

// --- SigV4 basic format -------------------------------------------------------------------------

// yyyyMMdd'T'HHmmss'Z' (X-Amz-Date), exactly, as epoch seconds; nullopt otherwise, an
// impossible date or time included.
std::optional<std::int64_t> ParseAmzDate(std::string_view text);

// yyyyMMdd'T'HHmmss'Z', the form of X-Amz-Date, the string to sign and skew messages. A clock
// outside years 1 to 9999 is clamped to them rather than misprinted.
std::string FormatAmzDate(std::int64_t epoch_seconds);

}  // namespace datazone_mock
