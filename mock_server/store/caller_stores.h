#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "store/fixture.h"
#include "store/store.h"

namespace datazone_mock {

// Runs seeded for one caller only (POST /_mock/fixtures?accessKeyId=, README "Sharing one
// mock"): a caller with seeds of its own sees the shared store with its documents merged in,
// under the same rules as any seed; every other caller sees the shared store alone.
// A caller's view is rebuilt, lazily, when the shared store it was built on is replaced; a
// document that no longer merges then (the shared data took its runId meanwhile) is left out.
// Thread-safe; callers without seeds cost one atomic load.
class CallerStores {
 public:
  // The store `caller` sees while `shared` is the shared one.
  std::shared_ptr<const Store> ViewFor(std::string_view caller,
                                       const std::shared_ptr<const Store>& shared);

  // Adds `document` to `caller`'s seeds: the caller's new view, or the problems (then nothing
  // changes).
  Result<std::shared_ptr<const Store>, Diagnostics> Seed(
      const std::string& caller, FixtureDocument document,
      const std::shared_ptr<const Store>& shared);

  void Drop(const std::string& caller);
  void DropAll();

 private:
  struct Space {
    std::vector<FixtureDocument> seeds;
    std::shared_ptr<const Store> base;  // the shared store `view` was built on
    std::shared_ptr<const Store> view;
  };
  static std::shared_ptr<const Store> Build(const std::vector<FixtureDocument>& seeds,
                                            const Store& shared);

  std::mutex mutex_;  // guards spaces_
  std::map<std::string, Space, std::less<>> spaces_;
  std::atomic<bool> any_{false};
};

}  // namespace datazone_mock
