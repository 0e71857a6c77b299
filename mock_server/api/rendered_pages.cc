#include "api/rendered_pages.h"

#include <functional>

namespace datazone_mock {
namespace {

bool SameOwner(const std::weak_ptr<const Store>& held, const std::shared_ptr<const Store>& store) {
  return !held.owner_before(store) && !store.owner_before(held) && !held.expired();
}

std::size_t SlotOf(const ListJobRunsOutput& output, std::size_t slots) {
  std::size_t hash = std::hash<const void*>{}(output.job);
  for (const JobRun* run : output.items) {
    hash = hash * 1'000'003 ^ std::hash<const void*>{}(run);
  }
  return hash % slots;
}

}  // namespace

std::string RenderedPages::Body(const ListJobRunsOutput& output) {
  // Runs evaluated for this request change with time: never kept.
  if (!output.evaluated.empty() || output.items.empty() || !output.store) {
    return SerializeListJobRunsOutput(output);
  }
  const std::size_t slot = SlotOf(output, kSlots);
  std::shared_ptr<const std::string> rendered = Find(output, slot);
  if (!rendered) {
    auto fresh = std::make_shared<std::string>(SerializeListJobRunsItems(output));
    if (fresh->size() <= kMaxRenderedBytes) {
      Entry entry{output.store, output.job, output.items, fresh};
      std::lock_guard lock(mutex_);
      slots_[slot] = std::move(entry);
    }
    rendered = std::move(fresh);
  }
  std::string body;
  body.reserve(rendered->size() + (output.next_token ? output.next_token->size() + 16 : 0) + 1);
  body = *rendered;
  AppendListJobRunsEnd(body, output);
  return body;
}

std::shared_ptr<const std::string> RenderedPages::Find(const ListJobRunsOutput& output,
                                                       std::size_t slot) {
  std::lock_guard lock(mutex_);
  const Entry& entry = slots_[slot];
  if (!entry.rendered || entry.job != output.job || entry.items != output.items ||
      !SameOwner(entry.store, output.store)) {
    return nullptr;
  }
  return entry.rendered;
}

}  // namespace datazone_mock
