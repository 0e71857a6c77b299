#include "auth/credentials.h"

#include <utility>

#include "core/time_format.h"
#include "input/input_files.h"
#include "input/yaml_reader.h"

namespace datazone_mock {
namespace {

// An access key id travels as the first part of `Credential=<id>/<date>/<region>/...` in a
// comma-separated header: '/', ',' or whitespace would make a key that no request can name, so
// such a key is a mistake worth reporting rather than an entry that silently never matches.
bool IsUsableAccessKeyId(std::string_view id) {
  if (id.empty()) return false;
  for (const char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte == 0x7F || c == '/' || c == ',') return false;
  }
  return true;
}

// Turns a parsed YAML tree into a CredentialSet, reporting every schema violation. An entry with
// any problem is reported and left out. Not thread-safe: one parser per document.
class CredentialsParser {
 public:
  explicit CredentialsParser(YamlReader& reader) : reader_(reader) {}

  CredentialSet Parse(const YamlNode& root) {
    CredentialSet credentials;
    if (!root.IsDefined() || root.IsNull()) return credentials;  // an empty file accepts no one
    reader_.ForEachMember(root, "the credentials file", {"credentials"},
                          [&](const std::string&, const YamlNode&, const YamlNode& list) {
                            ParseList(list, credentials);
                          });
    return credentials;
  }

 private:
  void ParseList(const YamlNode& list, CredentialSet& credentials) {
    if (list.IsNull()) return;
    if (!list.IsSequence()) {
      reader_.Error(list, "credentials must be a list");
      return;
    }
    for (std::size_t i = 0; i < list.size() && !reader_.Full(); ++i) {
      if (auto entry = ParseEntry(list[i])) {
        std::string id = entry->access_key_id;
        credentials.emplace(std::move(id), std::move(*entry));
      }
    }
  }

  std::optional<Credential> ParseEntry(const YamlNode& node) {
    const std::size_t errors_before = reader_.ErrorCount();
    Credential credential;
    // Missing members are reported at the entry's start, so before its members' problems.
    reader_.RequireMembers(node, "credential", {"accessKeyId", "secretAccessKey"});
    const bool is_map = reader_.ForEachMember(
        node, "credential", {"accessKeyId", "secretAccessKey", "sessionToken", "expiresAt"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          if (key == "accessKeyId") {
            ParseAccessKeyId(value, credential);
          } else if (key == "secretAccessKey") {
            credential.secret_access_key = NonEmpty(value, "secretAccessKey").value_or("");
          } else if (key == "sessionToken") {
            credential.session_token = NonEmpty(value, "sessionToken");
          } else if (key == "expiresAt") {
            credential.expires_at = ExpiresAt(value);
          }
        });
    if (reader_.ErrorCount() != errors_before || !is_map) return std::nullopt;
    return credential;
  }

  void ParseAccessKeyId(const YamlNode& value, Credential& credential) {
    auto id = reader_.Scalar(value, "accessKeyId");
    if (!id) return;
    if (!IsUsableAccessKeyId(*id)) {
      reader_.Error(value, "invalid accessKeyId " + Quoted(*id) +
                               ": must be non-empty, without '/', ',', spaces or control "
                               "characters");
      return;
    }
    // The first place is remembered even if that entry has other problems, so that every
    // repetition names it.
    const SourceLocation here = reader_.Location(value);
    auto [first, inserted] = first_seen_.try_emplace(*id, here);
    if (!inserted) {
      reader_.Error(here, "duplicate accessKeyId " + Quoted(*id) + " (first defined at " +
                              first->second.ToString() + ")");
      return;
    }
    credential.access_key_id = std::move(*id);
  }

  // An empty secret or token is always a slip: SDKs treat an empty session token as none.
  std::optional<std::string> NonEmpty(const YamlNode& value, std::string_view what) {
    auto text = reader_.Scalar(value, what);
    if (text && text->empty()) {
      reader_.Error(value, std::string(what) + " must not be empty");
      return std::nullopt;
    }
    return text;
  }

  std::optional<TimestampMs> ExpiresAt(const YamlNode& value) {
    const auto text = reader_.Scalar(value, "expiresAt");
    if (!text) return std::nullopt;
    auto time = ParseTimestamp(*text);
    if (!time) {
      reader_.Error(value, "invalid expiresAt " + Quoted(*text) +
                               ": expected an RFC 3339 timestamp such as 2025-06-01T02:00:00Z "
                               "or epoch seconds");
    }
    return time;
  }

  YamlReader& reader_;
  std::map<std::string, SourceLocation, std::less<>> first_seen_;  // access key id -> where
};

}  // namespace

Result<CredentialSet, Diagnostics> ParseCredentials(std::string_view yaml_text,
                                                    const std::string& file) {
  YamlReader reader(file);
  const auto root = reader.Load(yaml_text);
  if (!root) return reader.TakeDiagnostics();
  CredentialSet credentials = CredentialsParser(reader).Parse(*root);
  if (reader.HasErrors()) return reader.TakeDiagnostics();
  return credentials;
}

Result<CredentialSet, Diagnostics> LoadCredentialsFile(const std::filesystem::path& path) {
  auto text = ReadInputFile(path);
  if (!text.ok()) return std::move(text).error();
  return ParseCredentials(text.value(), path.string());
}

}  // namespace datazone_mock
