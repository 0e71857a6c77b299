#pragma once

#include <string_view>
#include <vector>

namespace datazone_mock {

// A file compiled into the binary, so the demo works from any directory.
struct EmbeddedFile {
  std::string_view name;  // path relative to the source tree, e.g. "fixtures/demo.yaml"
  std::string_view content;
};

// The demo fixtures of fixtures/, embedded at build time.
const std::vector<EmbeddedFile>& BundledFixtureFiles();

// The scenarios of scenarios/, embedded at build time.
const std::vector<EmbeddedFile>& BundledScenarioFiles();

// The console page (mock_server/console/console.html), served at GET /_mock/ui.
const std::vector<EmbeddedFile>& BundledConsoleFiles();

}  // namespace datazone_mock
