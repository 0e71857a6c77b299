#include "core/human_units.h"

#include <cstdio>
#include <iterator>

namespace datazone_mock {

std::string GroupDigits(std::uint64_t number) {
  const std::string digits = std::to_string(number);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string CountOf(std::uint64_t count, std::string_view noun) {
  std::string out = GroupDigits(count);
  out += ' ';
  out += noun;
  if (count != 1) out += 's';
  return out;
}

std::string FormatBytes(std::uint64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes) / 1000;
  std::size_t unit = 0;
  // Rounding decides the unit, so that 999,999 bytes reads "1.0 MB", not "1000.0 kB".
  while (value >= 999.95 && unit + 1 < std::size(kUnits)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string FormatRate(double per_second, std::string_view noun) {
  // Each branch builds its text in one buffer: GCC 12 at -O3 warns falsely (-Wrestrict) when
  // a short literal is assigned to a string that is appended to afterwards.
  char text[32];
  if (!(per_second > 0)) {
    std::snprintf(text, sizeof text, "0");  // also NaN: nothing measured yet
  } else if (per_second < 999'950) {
    const std::string digits = GroupDigits(static_cast<std::uint64_t>(per_second + 0.5));
    std::snprintf(text, sizeof text, "%s", digits.c_str());
  } else {
    std::snprintf(text, sizeof text, "%.1f M", per_second / 1e6);
  }
  std::string out(text);
  out += ' ';
  out += noun;
  out += "/s";
  return out;
}

}  // namespace datazone_mock
