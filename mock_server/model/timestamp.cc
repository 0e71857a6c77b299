#include "model/timestamp.h"

#include <charconv>
#include <cstdint>
#include <cstdio>

namespace datazone_mock {
namespace {

constexpr std::int64_t kMaxEpochSeconds = 253402300799;  // 9999-12-31T23:59:59Z

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

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `pos`.
std::optional<unsigned> ReadDigits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!IsDigit(c)) return std::nullopt;
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

// Milliseconds from a fraction's digits (".25" -> 250), truncating past three digits.
std::optional<std::int64_t> ReadFractionMs(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  std::int64_t ms = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
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
  while (pos < text.size() && IsDigit(text[pos])) {
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
  const auto year = ReadDigits(text, pos, 4);
  if (!year || !Expect(text, pos, '-')) return std::nullopt;
  const auto month = ReadDigits(text, pos, 2);
  if (!month || *month < 1 || *month > 12 || !Expect(text, pos, '-')) return std::nullopt;
  const auto day = ReadDigits(text, pos, 2);
  if (!day || *day < 1 || *day > DaysInMonth(*year, *month)) return std::nullopt;
  // RFC 3339 section 5.6 allows a lower-case t or a space in place of the T.
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  const auto hour = ReadDigits(text, pos, 2);
  if (!hour || *hour > 23 || !Expect(text, pos, ':')) return std::nullopt;
  const auto minute = ReadDigits(text, pos, 2);
  if (!minute || *minute > 59 || !Expect(text, pos, ':')) return std::nullopt;
  const auto second = ReadDigits(text, pos, 2);
  if (!second || *second > 59) return std::nullopt;
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
  const std::int64_t days = DaysFromCivil(*year, *month, *day);
  const std::int64_t seconds =
      days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
  return seconds * 1000 + ms;
}

}  // namespace

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
  std::int64_t days = ms / 86'400'000;
  std::int64_t rest = ms % 86'400'000;
  if (rest < 0) {
    rest += 86'400'000;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(rest / 3'600'000),
                static_cast<long long>(rest / 60'000 % 60),
                static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
  return buffer;
}

}  // namespace datazone_mock
