#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "core/result.h"
#include "model/job_run.h"

namespace datazone_mock {

// One key pair that `--auth verify` accepts. A credential with a session token is temporary: a
// request must carry exactly that token in X-Amz-Security-Token, and `expires_at` (if set) ends
// its validity (docs/decisions.md, "Authentication").
struct Credential {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;
  std::optional<TimestampMs> expires_at;

  bool operator==(const Credential&) const = default;
};

// Credentials by access key id. std::less<> so that a string_view read from a request header
// finds its entry without a copy.
using CredentialSet = std::map<std::string, Credential, std::less<>>;

// Parses a credentials file:
//   credentials:
//     - accessKeyId: AKIDEXAMPLE
//       secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
//       sessionToken: FQoGZXIvYXdzE...        # optional
//       expiresAt: 2026-12-01T00:00:00Z       # optional, RFC 3339
// `file` names the source in diagnostics. Reports every problem found (up to kMaxDiagnostics), in
// file order, like ParseFixture. An empty file defines no credentials.
Result<CredentialSet, Diagnostics> ParseCredentials(std::string_view yaml_text,
                                                    const std::string& file);

// Reads and parses one credentials file.
Result<CredentialSet, Diagnostics> LoadCredentialsFile(const std::filesystem::path& path);

}  // namespace datazone_mock
