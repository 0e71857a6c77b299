#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "service/record_mode.h"
#include "store/recording.h"

namespace datazone_mock {

// Record mode's RunRecorder: merges every page into one Recording and rewrites the output file
// after each page that brought runs, atomically (written beside it, then renamed), so that the
// file is always whole: a reader, or a process killed mid-write, never sees half a fixture.
// Thread-safe.
class FileRecorder final : public RunRecorder {
 public:
  // --record-missing: hands each recorded page, unredacted and as fixture text, to the store,
  // with the job the request named. Called one page at a time, so that when two requests
  // fetched the same job at once, the second finds it kept.
  using KeepFn = std::function<Result<bool, std::string>(
      std::string_view domain_id, std::string_view job_id, std::string_view fixture_text)>;

  // Starts from what `path` already holds when it exists, so that a second session adds to the
  // file rather than replacing it. The problem in one message otherwise (file:line:col for a
  // file that is not a recording).
  static Result<std::unique_ptr<FileRecorder>, std::string> Open(std::filesystem::path path,
                                                                 std::vector<std::string> redact,
                                                                 KeepFn keep = nullptr);

  Result<RecordedPage, std::string> Record(std::string_view domain_id, std::string_view job_id,
                                           const UpstreamPage& page) override;

 private:
  FileRecorder(std::filesystem::path path, Recording recording, KeepFn keep)
      : path_(std::move(path)), recording_(std::move(recording)), keep_(std::move(keep)) {}
  Result<bool, std::string> Write() const;  // the whole recording, replacing path_

  const std::filesystem::path path_;
  std::mutex mutex_;  // guards recording_ and the file
  Recording recording_;
  const KeepFn keep_;
};

}  // namespace datazone_mock
