#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace datazone_mock {

// Small text helpers that several parsers and writers share, so that each rule (what a number
// is, how a list splits, how a byte becomes hex) is written once. Locale-free, allocation only
// where a string is returned.

inline constexpr char kLowerHexDigits[] = "0123456789abcdef";
inline constexpr char kUpperHexDigits[] = "0123456789ABCDEF";

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

inline bool AllAsciiDigits(std::string_view text) {
  for (const char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// The whole of `text` as a number of type T (integer or floating point): no sign for unsigned
// types, no surrounding space, no trailing bytes, nothing out of T's range. The one reading of a
// number that people write in flags, fixtures and scenarios.
template <typename T>
std::optional<T> ParseNumber(std::string_view text) {
  static_assert(std::is_arithmetic_v<T>);
  if (text.empty()) return std::nullopt;
  if constexpr (std::is_integral_v<T>) {
    // from_chars accepts '-' for unsigned types and wraps the value; refuse it outright.
    if (std::is_unsigned_v<T> && text.front() == '-') return std::nullopt;
  }
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// `text` split at `separator`, empty parts dropped: "a::b:" -> {"a", "b"}.
inline std::vector<std::string> SplitNonEmpty(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const std::size_t end = text.find(separator);
    const std::string_view part = text.substr(0, end);
    if (!part.empty()) parts.emplace_back(part);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return parts;
}

// Appends two hex digits for `byte`.
inline void AppendHexByte(std::string& out, unsigned char byte, bool upper_case = false) {
  const char* digits = upper_case ? kUpperHexDigits : kLowerHexDigits;
  out += digits[byte >> 4];
  out += digits[byte & 0x0F];
}

// Lower-case hex of `size` bytes.
inline std::string LowerHex(const unsigned char* data, std::size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) AppendHexByte(out, data[i]);
  return out;
}

}  // namespace datazone_mock
