#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace datazone_mock {

// Numbers as people read them in one-line summaries (`check` and the load summary), so that
// both say "1,000,146 runs" and "36.1 MB" the same way.

// 1000146 -> "1,000,146".
std::string GroupDigits(std::uint64_t number);

// (1, "run") -> "1 run"; (3, "run") -> "3 runs"; (1200, "job") -> "1,200 jobs". Every noun
// these summaries count takes a plain "s".
std::string CountOf(std::uint64_t count, std::string_view noun);

// Decimal units, one decimal place from kB up: 512 -> "512 B", 36'100'000 -> "36.1 MB".
std::string FormatBytes(std::uint64_t bytes);

// Per second: 8500 -> "8,500 runs/s"; 1'230'000 -> "1.2 M runs/s".
std::string FormatRate(double per_second, std::string_view noun);

}  // namespace datazone_mock
