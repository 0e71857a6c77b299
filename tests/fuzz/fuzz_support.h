#pragma once

// Shared by the fuzz targets: the instant every input runs at, a check that turns a broken
// property into a crash libFuzzer reports, the demo store, and what every refused input file must
// be told. The clock and random source are the unit tests' deterministic fakes.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.h"
#include "server/bundled_data.h"
#include "store/fixture.h"
#include "store/store.h"
#include "store/store_builder.h"
#include "support/fakes.h"

namespace datazone_mock::fuzz {

// The instant every fuzz input runs at: a FakeClock's start, so the unit tests' vectors in the
// seed corpora mean the same here. The clock never moves on its own, so an input cannot behave
// differently because it ran a second later.
inline constexpr std::int64_t kFuzzNowSeconds = kFakeClockStartSeconds;

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
