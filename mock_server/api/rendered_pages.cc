#include "api/rendered_pages.h"

#include <functional>

namespace datazone_mock {
namespace {

bool SameOwner(const std::weak_ptr<const Store>& held, const std::shared_ptr<const Store>& store) {
  return !held.owner_before(store) && !store.owner_before(held) && !held.expired();
}

// Whether `run` was made for this request (a schedule's run as it stands now),
// rather than stored.
bool Evaluated(const ListJobRunsOutput& output, const JobRun* run) {
  const JobRun* const begin = output.evaluated.data();
  // std::less: a total order even for pointers into different arrays.
  return !std::less<const JobRun*>{}(run, begin) &&
         std::less<const JobRun*>{}(run, begin + output.evaluated.size());
}

std::size_t HashOf(const ListJobRunsOutput& output) {
  std::size_t hash = std::hash<const void*>{}(output.job);
  for (const JobRun* run : output.items) {
    // An evaluated run by what tells runs apart cheaply: its creation time and its status now.
    const std::size_t item =
        Evaluated(output, run)
            ? static_cast<std::size_t>(run->created_at) * 31 + static_cast<std::size_t>(run->status)
            : std::hash<const void*>{}(run);
    hash = hash * 1'000'003 ^ item;
  }
  return hash;
}

}  // namespace

RenderedPages::Entry RenderedPages::KeyOf(const ListJobRunsOutput& output) {
  Entry entry;
  entry.store = output.store;
  entry.job = output.job;
  entry.items.reserve(output.items.size());
  for (const JobRun* run : output.items) {
    if (Evaluated(output, run)) {
      entry.items.push_back(nullptr);
      entry.evaluated.push_back(*run);
    } else {
      entry.items.push_back(run);
    }
  }
  return entry;
}

bool RenderedPages::Matches(const Entry& entry, const ListJobRunsOutput& output) {
  if (!entry.rendered || entry.job != output.job || entry.items.size() != output.items.size() ||
      !SameOwner(entry.store, output.store)) {
    return false;
  }
  std::size_t next_evaluated = 0;
  for (std::size_t i = 0; i < output.items.size(); ++i) {
    const JobRun* run = output.items[i];
    if (!Evaluated(output, run)) {
      if (entry.items[i] != run) return false;
      continue;
    }
    // A changing run matches by what it is now, never by its address.
    if (entry.items[i] != nullptr || next_evaluated >= entry.evaluated.size() ||
        !(entry.evaluated[next_evaluated++] == *run)) {
      return false;
    }
  }
  return true;
}

std::string RenderedPages::Body(const ListJobRunsOutput& output) {
  if (output.items.empty() || !output.store) return SerializeListJobRunsOutput(output);
  const std::size_t hash = HashOf(output);
  std::shared_ptr<const std::string> rendered = slots_.Read(
      hash, [&](const Entry& entry) { return Matches(entry, output) ? entry.rendered : nullptr; });
  if (!rendered) {
    auto fresh = std::make_shared<std::string>(SerializeListJobRunsItems(output));
    if (fresh->size() <= kMaxRenderedBytes) {
      Entry entry = KeyOf(output);
      entry.rendered = fresh;
      slots_.Keep(hash, std::move(entry));
    }
    rendered = std::move(fresh);
  }
  std::string body;
  body.reserve(rendered->size() + (output.next_token ? output.next_token->size() + 16 : 0) + 1);
  body = *rendered;
  AppendListJobRunsEnd(body, output);
  return body;
}

}  // namespace datazone_mock
