#include "journal/journal.h"

#include <algorithm>
#include <charconv>

#include "api/query_string.h"

namespace datazone_mock {

Journal::Journal(std::size_t capacity)
    : capacity_(capacity), blocks_((capacity + kSlotsPerBlock - 1) / kSlotsPerBlock) {}

Journal::Slot& Journal::SlotFor(std::uint64_t id) {
  const std::size_t index = static_cast<std::size_t>(id % capacity_);
  Block* block = blocks_.Find(index / kSlotsPerBlock);
  if (!block) block = blocks_.Keep(index / kSlotsPerBlock, std::make_unique<Block>());
  return (*block)[index % kSlotsPerBlock];
}

const Journal::Slot* Journal::WrittenSlot(std::uint64_t id) const {
  const std::size_t index = static_cast<std::size_t>(id % capacity_);
  const Block* block = blocks_.Find(index / kSlotsPerBlock);
  return block ? &(*block)[index % kSlotsPerBlock] : nullptr;
}

std::uint64_t Journal::Append(const JournalEntry& entry) {
  // Copy-assigned, not moved: the slot's strings keep their buffers, so once the ring is warm
  // no request allocates or frees here, and no string moves between threads' heaps.
  return AppendWith([&entry](JournalEntry& slot_entry) { slot_entry = entry; });
}

std::pair<std::uint64_t, std::uint64_t> Journal::Window() const {
  const std::uint64_t newest = next_id_.load(std::memory_order_acquire) - 1;
  std::uint64_t first = first_kept_.load(std::memory_order_acquire);
  if (newest >= capacity_) first = std::max(first, newest - capacity_ + 1);
  return {first, newest};
}

std::vector<JournalEntry> Journal::Query(const JournalFilter& filter) const {
  std::vector<JournalEntry> out;
  if (capacity_ == 0) return out;
  auto [first, newest] = Window();
  if (filter.since) first = std::max(first, *filter.since + 1);
  if (filter.id) {
    if (*filter.id < first || *filter.id > newest) return out;
    first = newest = *filter.id;
  }
  for (std::uint64_t id = first; id <= newest; ++id) {
    const Slot* written = WrittenSlot(id);
    if (!written) break;  // not written yet: stop, as below
    const Slot& slot = *written;
    std::lock_guard lock(slot.mutex);
    const JournalEntry& entry = slot.entry;
    if (entry.id < id) break;     // still being written: stop, so `since` never skips it
    if (entry.id > id) continue;  // evicted meanwhile by a newer entry
    if (slot.forgotten) continue;
    if (filter.access_key_id && entry.access_key_id != *filter.access_key_id) continue;
    if (filter.status && entry.status != *filter.status) continue;
    if (filter.error_type && entry.error_type != *filter.error_type) continue;
    if (filter.request_id && entry.request_id != *filter.request_id) continue;
    out.push_back(entry);
  }
  return out;
}

void Journal::Clear() {
  first_kept_.store(next_id_.load(std::memory_order_acquire), std::memory_order_release);
}

void Journal::ClearCaller(std::string_view access_key_id) {
  if (capacity_ == 0) return;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    Block* block = blocks_.Find(i);
    if (!block) continue;  // never written
    for (Slot& slot : *block) {
      std::lock_guard lock(slot.mutex);
      if (slot.entry.id != 0 && slot.entry.access_key_id == access_key_id) slot.forgotten = true;
    }
  }
}

std::uint64_t InFlightRequests::Add(JournalEntry entry) {
  entry.in_flight = true;
  std::lock_guard lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  entries_.emplace(ticket, std::move(entry));
  return ticket;
}

void InFlightRequests::Remove(std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  entries_.erase(ticket);
}

std::vector<JournalEntry> InFlightRequests::Snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> out;
  out.reserve(entries_.size());
  for (const auto& [ticket, entry] : entries_) out.push_back(entry);
  return out;
}

std::size_t Journal::size() const {
  if (capacity_ == 0) return 0;
  const auto [first, newest] = Window();
  return newest >= first ? static_cast<std::size_t>(newest - first + 1) : 0;
}

std::vector<std::pair<std::string, std::string>> DecodedQuery(const JournalEntry& entry) {
  return QueryParams::Parse(entry.query).entries();
}

int AttemptOf(std::string_view header) {
  // "attempt=N" among ';'-separated parts, possibly with spaces around them.
  std::size_t at = 0;
  while ((at = header.find("attempt=", at)) != std::string_view::npos) {
    if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') {
      const std::string_view digits = header.substr(at + 8);
      int attempt = 0;
      const auto [end, error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), attempt);
      if (error == std::errc() && end != digits.data()) return attempt;
    }
    at += 8;
  }
  return 0;
}

}  // namespace datazone_mock
