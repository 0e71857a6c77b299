#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace datazone_mock {

// The subcommands that ask a running mock over its admin API, for people at a terminal and for
// shell-based CI (README, "Why did it answer that?", "Verify", "Coverage"):
//
//   datazone-mock explain  [--url URL] [--admin-token T] [ID|last]
//   datazone-mock verify   [--url URL] [--admin-token T] --where K=V ... [--count N |
//                          --at-least N | --at-most N]
//   datazone-mock coverage [--url URL] [--admin-token T] [--json]
//
// URL defaults to $DATAZONE_MOCK_URL, then http://127.0.0.1:8484.

// Whether `args` (argv without the program name) start with one of these subcommands.
bool IsRemoteCommand(const std::vector<std::string>& args);

// Runs one; the exit code: 0 done (verify: it holds), 1 verify does not hold, 2 bad usage, an
// unreachable mock or an unexpected answer (with one line on `err` saying which).
int RunRemoteCommand(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);

}  // namespace datazone_mock
