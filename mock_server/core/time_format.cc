#include "core/time_format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <utility>

#include "core/text.h"

namespace datazone_mock {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kFirstEpochSecondOfYear1 = -62135596800;  // 0001-01-01T00:00:00Z
constexpr std::int64_t kMaxEpochSeconds = 253402300799;          // 9999-12-31T23:59:59Z

constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};

// --- The calendar -------------------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// The inverse of DaysFromCivil (H. Hinnant's civil_from_days).
CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool IsLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// A UTC date and time to the second, as every format writes it.
struct CivilTime {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  unsigned weekday = 4;  // 0 is Sunday; 1970-01-01 was a Thursday
};

// Epoch seconds of a date and time read from text; nullopt when a field is out of its range
// (month 13, April 31, hour 24, second 60: leap seconds are not written in any of our inputs).
std::optional<std::int64_t> EpochSecondsOf(const CivilTime& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > DaysInMonth(t.year, t.month) ||
      t.hour > 23 || t.minute > 59 || t.second > 59) {
    return std::nullopt;
  }
  return DaysFromCivil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 + t.minute * 60 +
         t.second;
}

CivilTime CivilTimeOf(std::int64_t epoch_seconds) {
  std::int64_t days = epoch_seconds / kSecondsPerDay;
  std::int64_t rest = epoch_seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  CivilTime t;
  t.year = date.year;
  t.month = date.month;
  t.day = date.day;
  t.hour = static_cast<unsigned>(rest / 3600);
  t.minute = static_cast<unsigned>(rest / 60 % 60);
  t.second = static_cast<unsigned>(rest % 60);
  t.weekday = static_cast<unsigned>(((days % 7) + 7 + 4) % 7);
  return t;
}

// --- Reading text -------------------------------------------------------------------------------

// Reads exactly `count` digits at `pos`.
std::optional<unsigned> ReadDigits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!IsAsciiDigit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  pos += count;
  return value;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Reads `count` digits at `pos` into `field`; false when they are not all there.
bool ReadField(std::string_view text, std::size_t& pos, std::size_t count, unsigned& field) {
  const auto value = ReadDigits(text, pos, count);
  if (!value) return false;
  field = *value;
  return true;
}

// Milliseconds from a fraction's digits (".25" -> 250), truncating past three digits.
std::optional<std::int64_t> ReadFractionMs(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  std::int64_t ms = 0;
  while (pos < text.size() && IsAsciiDigit(text[pos])) {
    if (pos - start < 3) ms = ms * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  for (std::size_t n = pos - start; n < 3; ++n) ms *= 10;
  return ms;
}

std::optional<TimestampMs> ParseEpochSeconds(std::string_view text) {
  std::size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  const std::size_t digits_start = pos;
  std::int64_t seconds = 0;
  while (pos < text.size() && IsAsciiDigit(text[pos])) {
    seconds = seconds * 10 + (text[pos] - '0');
    if (seconds > kMaxEpochSeconds) return std::nullopt;
    ++pos;
  }
  if (pos == digits_start) return std::nullopt;
  std::int64_t ms = 0;
  if (pos < text.size()) {
    if (!Expect(text, pos, '.')) return std::nullopt;
    auto fraction = ReadFractionMs(text, pos);
    if (!fraction || pos != text.size()) return std::nullopt;
    ms = *fraction;
  }
  const std::int64_t total = seconds * 1000 + ms;
  return negative ? -total : total;
}

std::optional<TimestampMs> ParseRfc3339(std::string_view text) {
  std::size_t pos = 0;
  CivilTime t;
  unsigned year = 0;
  if (!ReadField(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadField(text, pos, 2, t.month) || !Expect(text, pos, '-') ||
      !ReadField(text, pos, 2, t.day)) {
    return std::nullopt;
  }
  t.year = year;
  // RFC 3339 section 5.6 allows a lower-case t or a space in place of the T.
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!ReadField(text, pos, 2, t.hour) || !Expect(text, pos, ':') ||
      !ReadField(text, pos, 2, t.minute) || !Expect(text, pos, ':') ||
      !ReadField(text, pos, 2, t.second)) {
    return std::nullopt;
  }
  std::int64_t ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    auto fraction = ReadFractionMs(text, pos);
    if (!fraction) return std::nullopt;
    ms = *fraction;
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const bool negative = text[pos] == '-';
    ++pos;
    const auto off_hour = ReadDigits(text, pos, 2);
    if (!off_hour || *off_hour > 23 || !Expect(text, pos, ':')) return std::nullopt;
    const auto off_minute = ReadDigits(text, pos, 2);
    if (!off_minute || *off_minute > 59) return std::nullopt;
    offset_minutes = static_cast<std::int64_t>(*off_hour * 60 + *off_minute) * (negative ? -1 : 1);
  } else {
    return std::nullopt;  // RFC 3339 requires an offset: a local time is ambiguous
  }
  if (pos != text.size()) return std::nullopt;
  const auto seconds = EpochSecondsOf(t);
  if (!seconds) return std::nullopt;
  return (*seconds - offset_minutes * 60) * 1000 + ms;
}

}  // namespace

// --- RFC 3339 and epoch seconds -----------------------------------------------------------------

std::optional<TimestampMs> ParseTimestamp(std::string_view text) {
  if (text.find_first_of("-:T") != std::string_view::npos && text.size() >= 10 && text[4] == '-') {
    return ParseRfc3339(text);
  }
  return ParseEpochSeconds(text);
}

void AppendEpochSeconds(std::string& out, TimestampMs ms) {
  const bool negative = ms < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(ms + 1)) + 1 : static_cast<std::uint64_t>(ms);
  char buffer[32];
  char* end = buffer;
  if (negative) *end++ = '-';
  end = std::to_chars(end, buffer + sizeof buffer, magnitude / 1000).ptr;
  unsigned fraction = static_cast<unsigned>(magnitude % 1000);
  if (fraction != 0) {
    *end++ = '.';
    *end++ = static_cast<char>('0' + fraction / 100);
    *end++ = static_cast<char>('0' + fraction / 10 % 10);
    *end++ = static_cast<char>('0' + fraction % 10);
    while (end[-1] == '0') --end;  // 250 ms is ".25"
  }
  out.append(buffer, end);
}

std::string FormatEpochSeconds(TimestampMs ms) {
  std::string out;
  AppendEpochSeconds(out, ms);
  return out;
}

std::string FormatRfc3339(TimestampMs ms) {
  // Whole seconds and the milliseconds left, both rounded down (-1 ms is 23:59:59.999).
  std::int64_t rest_ms = ms % 1000;
  std::int64_t seconds = ms / 1000;
  if (rest_ms < 0) {
    rest_ms += 1000;
    --seconds;
  }
  const CivilTime t = CivilTimeOf(seconds);
  if (t.year < 0 || t.year > 9999) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02u.%03lldZ",
                  static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second,
                  static_cast<long long>(rest_ms));
    return buffer;
  }
  // Digit by digit: every request log line has one, and printf is the slow way.
  char text[] = "0000-00-00T00:00:00.000Z";
  const auto put = [&text](std::size_t at, unsigned value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) {
      text[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, static_cast<unsigned>(t.year), 4);
  put(5, t.month, 2);
  put(8, t.day, 2);
  put(11, t.hour, 2);
  put(14, t.minute, 2);
  put(17, t.second, 2);
  put(20, static_cast<unsigned>(rest_ms), 3);
  return std::string(text, sizeof text - 1);
}

// --- HTTP Date ----------------------------------------------------------------------------------

std::string FormatHttpDate(std::chrono::system_clock::time_point time) {
  const std::int64_t seconds =
      std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
  // One formatting per second and thread: every response carries a Date.
  thread_local std::int64_t cached_seconds = -1;
  thread_local std::string cached;
  if (seconds == cached_seconds && !cached.empty()) return cached;
  const CivilTime t = CivilTimeOf(seconds);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04lld %02u:%02u:%02u GMT",
                kDayNames[t.weekday].data(), t.day, kMonthNames[t.month - 1].data(),
                static_cast<long long>(t.year), t.hour, t.minute, t.second);
  cached_seconds = seconds;
  cached = buffer;
  return cached;
}

std::optional<std::int64_t> ParseImfFixdate(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const auto month = std::find(kMonthNames.begin(), kMonthNames.end(), text.substr(8, 3));
  if (month == kMonthNames.end()) return std::nullopt;
  CivilTime t;
  t.month = static_cast<unsigned>(month - kMonthNames.begin()) + 1;
  unsigned year = 0;
  std::size_t day_at = 5;
  std::size_t year_at = 12;
  std::size_t time_at = 17;
  if (!ReadField(text, day_at, 2, t.day) || !ReadField(text, year_at, 4, year) ||
      !ReadField(text, time_at, 2, t.hour) || !Expect(text, time_at, ':') ||
      !ReadField(text, time_at, 2, t.minute) || !Expect(text, time_at, ':') ||
      !ReadField(text, time_at, 2, t.second)) {
    return std::nullopt;
  }
  t.year = year;
  return EpochSecondsOf(t);
}

// --- SigV4 basic format -------------------------------------------------------------------------

std::optional<std::int64_t> ParseAmzDate(std::string_view text) {
  // "20261128T234000Z"
  if (text.size() != 16 || text[15] != 'Z') return std::nullopt;
  CivilTime t;
  unsigned year = 0;
  std::size_t pos = 0;
  if (!ReadField(text, pos, 4, year) || !ReadField(text, pos, 2, t.month) ||
      !ReadField(text, pos, 2, t.day) || !Expect(text, pos, 'T') ||
      !ReadField(text, pos, 2, t.hour) || !ReadField(text, pos, 2, t.minute) ||
      !ReadField(text, pos, 2, t.second)) {
    return std::nullopt;
  }
  t.year = year;
  return EpochSecondsOf(t);
}

std::string FormatAmzDate(std::int64_t epoch_seconds) {
  const CivilTime t =
      CivilTimeOf(std::clamp(epoch_seconds, kFirstEpochSecondOfYear1, kMaxEpochSeconds));
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld%02u%02uT%02u%02u%02uZ",
                static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
  return buffer;
}

std::optional<std::int64_t> ParseDurationMs(std::string_view text) {
  static constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::int64_t previous_scale = INT64_MAX;  // units from largest to smallest, each once
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && IsAsciiDigit(text[digits])) ++digits;
    if (digits == 0 || digits > 12) return std::nullopt;
    const auto value = ParseNumber<std::int64_t>(text.substr(0, digits));
    text.remove_prefix(digits);
    std::int64_t scale = 0;
    // "ms" before "m": the longer unit that starts the rest wins.
    for (const auto& [unit, unit_scale] : kUnits) {
      if (text.substr(0, unit.size()) == unit) {
        scale = unit_scale;
        text.remove_prefix(unit.size());
        break;
      }
    }
    if (!value || scale == 0 || scale >= previous_scale) return std::nullopt;
    previous_scale = scale;
    if (*value > (kMaxDurationMs - total) / scale) return std::nullopt;
    total += *value * scale;
  }
  return total;
}

std::optional<TimestampMs> ParseRelativeTime(std::string_view text, TimestampMs now) {
  constexpr std::string_view kNow = "now";
  if (text.substr(0, kNow.size()) != kNow) return std::nullopt;
  text.remove_prefix(kNow.size());
  if (text.empty()) return now;
  const char sign = text.front();
  if (sign != '+' && sign != '-') return std::nullopt;
  const auto duration = ParseDurationMs(text.substr(1));
  if (!duration) return std::nullopt;
  return sign == '+' ? now + *duration : now - *duration;
}

}  // namespace datazone_mock
