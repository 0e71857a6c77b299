#pragma once

// Shared by the fuzz targets: a clock and a random source that make every run of an input
// behave the same, a check that turns a broken property into a crash libFuzzer reports, the
// demo store, and what every refused input file must be told.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/diagnostic.h"
#include "core/random_source.h"
#include "server/bundled_data.h"
#include "store/fixture.h"
#include "store/store.h"
#include "store/store_builder.h"

namespace datazone_mock::fuzz {

// Sat, 29 Nov 2025 00:00:00 GMT, the instant the unit tests' FakeClock starts at.
inline constexpr std::int64_t kFuzzNowSeconds = 1764374400;

// A clock that never moves on its own: a fuzz input must not behave differently because it ran
// a second later. Sleeping (an injected delay) only advances it, so no input ever waits.
// Thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t epoch_seconds = kFuzzNowSeconds)
      : now_(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                 std::chrono::seconds(epoch_seconds))
                 .count()) {}

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::system_clock::duration(now_.load())));
  }
  void SleepFor(std::chrono::milliseconds duration) const override {
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration).count();
  }

 private:
  mutable std::atomic<std::chrono::system_clock::duration::rep> now_;
};

// Counts upwards from 1: request ids and probability draws repeat exactly per input.
// Thread-safe.
class CountingRandomSource final : public RandomSource {
 public:
  std::uint64_t NextU64() override { return next_++; }

 private:
  std::atomic<std::uint64_t> next_{1};
};

// A property of the code under test that the input broke. Aborting is how a fuzz target reports
// it: libFuzzer saves the input as crash-<sha1> and prints the stack.
[[noreturn]] inline void PropertyFailed(const char* file, int line, const char* condition,
                                        std::string_view detail) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n  %.*s\n", file, line, condition,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace datazone_mock::fuzz

// FUZZ_CHECK(condition, detail): `detail` (anything convertible to std::string_view) says what
// was seen; it is only evaluated when the check fails.
#define FUZZ_CHECK(condition, detail)                                       \
  do {                                                                      \
    if (!(condition))                                                       \
      ::datazone_mock::fuzz::PropertyFailed(__FILE__, __LINE__, #condition, \
                                            std::string_view(detail));      \
  } while (false)

namespace datazone_mock::fuzz {

// The demo fixtures compiled into the library, as one store: no files needed, and the same
// runs wherever the target runs. Built once; read-only after.
inline std::shared_ptr<const Store> DemoStore() {
  static const std::shared_ptr<const Store> store = [] {
    std::vector<FixtureDocument> documents;
    for (const EmbeddedFile& file : BundledFixtureFiles()) {
      auto document = ParseFixture(file.content, std::string(file.name));
      FUZZ_CHECK(document.ok(), FormatDiagnostics(document.error()));
      documents.push_back(std::move(document).value());
    }
    auto built = BuildStore(documents);
    FUZZ_CHECK(built.ok(), FormatDiagnostics(built.error()));
    return std::make_shared<const Store>(std::move(built).value());
  }();
  return store;
}

// What a refused input file `text`, loaded as `file`, must get (README, "Fixtures"): 1 to
// kMaxDiagnostics problems, each naming the file, a line and column inside it and a message,
// in file order.
inline void CheckDiagnostics(const Diagnostics& diagnostics, std::string_view text,
                             std::string_view file) {
  FUZZ_CHECK(!diagnostics.empty(), "refused without a diagnostic");
  FUZZ_CHECK(diagnostics.size() <= kMaxDiagnostics, FormatDiagnostics(diagnostics));
  // yaml-cpp also breaks lines at a lone '\r'.
  const auto lines =
      std::count(text.begin(), text.end(), '\n') + std::count(text.begin(), text.end(), '\r') + 1;
  for (const Diagnostic& diagnostic : diagnostics) {
    FUZZ_CHECK(diagnostic.file == file, diagnostic.ToString());
    FUZZ_CHECK(diagnostic.line >= 1 && diagnostic.line <= lines, diagnostic.ToString());
    FUZZ_CHECK(diagnostic.column >= 1, diagnostic.ToString());
    FUZZ_CHECK(!diagnostic.message.empty(), diagnostic.ToString());
  }
  const bool in_file_order =
      std::is_sorted(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
      });
  FUZZ_CHECK(in_file_order, FormatDiagnostics(diagnostics));
}

}  // namespace datazone_mock::fuzz
