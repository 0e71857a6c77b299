#include "store/caller_stores.h"

#include "store/store_builder.h"

namespace datazone_mock {

std::shared_ptr<const Store> CallerStores::Build(const std::vector<FixtureDocument>& seeds,
                                                 const Store& shared) {
  Store merged = shared;  // jobs are shared, not copied: a copy costs the maps only
  for (const FixtureDocument& seed : seeds) {
    auto with = MergeIntoStore(merged, seed);
    if (with.ok()) merged = std::move(with).value();
  }
  return std::make_shared<const Store>(std::move(merged));
}

std::shared_ptr<const Store> CallerStores::ViewFor(std::string_view caller,
                                                   const std::shared_ptr<const Store>& shared) {
  if (!any_.load(std::memory_order_acquire) || caller.empty()) return shared;
  std::lock_guard lock(mutex_);
  const auto space = spaces_.find(caller);
  if (space == spaces_.end()) return shared;
  Space& own = space->second;
  if (own.base != shared) {
    own.view = Build(own.seeds, *shared);
    own.base = shared;
  }
  return own.view;
}

Result<std::shared_ptr<const Store>, Diagnostics> CallerStores::Seed(
    const std::string& caller, FixtureDocument document,
    const std::shared_ptr<const Store>& shared) {
  std::lock_guard lock(mutex_);
  Space& own = spaces_[caller];
  if (own.base != shared || !own.view) {
    own.view = Build(own.seeds, *shared);
    own.base = shared;
  }
  auto merged = MergeIntoStore(*own.view, document);
  if (!merged.ok()) {
    if (own.seeds.empty()) spaces_.erase(caller);
    return std::move(merged).error();
  }
  own.view = std::make_shared<const Store>(std::move(merged).value());
  own.seeds.push_back(std::move(document));
  any_ = true;
  return own.view;
}

void CallerStores::Drop(const std::string& caller) {
  std::lock_guard lock(mutex_);
  spaces_.erase(caller);
  any_ = !spaces_.empty();
}

void CallerStores::DropAll() {
  std::lock_guard lock(mutex_);
  spaces_.clear();
  any_ = false;
}

}  // namespace datazone_mock
