#include "journal/journal.h"

#include <charconv>

#include "api/query_string.h"

namespace datazone_mock {

std::uint64_t Journal::Append(JournalEntry entry) {
  std::uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    entry.id = id;
    if (capacity_ == 0) return id;
    if (entries_.size() < capacity_) {
      entries_.push_back(std::move(entry));  // within the reserved capacity: no reallocation
      return id;
    }
    // Copy-assigned, not swapped: the slot's strings keep their buffers, so once the ring is
    // warm no request allocates or frees here, and no string moves between threads' heaps.
    entries_[oldest_] = entry;
    oldest_ = (oldest_ + 1) % capacity_;
  }
  return id;
}

std::vector<JournalEntry> Journal::Query(const JournalFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> out;
  for (std::size_t n = 0; n < entries_.size(); ++n) {
    const JournalEntry& entry = entries_[(oldest_ + n) % entries_.size()];
    if (filter.since && entry.id <= *filter.since) continue;
    if (filter.access_key_id && entry.access_key_id != *filter.access_key_id) continue;
    if (filter.status && entry.status != *filter.status) continue;
    if (filter.error_type && entry.error_type != *filter.error_type) continue;
    out.push_back(entry);
  }
  return out;
}

void Journal::Clear() {
  std::vector<JournalEntry> old;
  {
    std::lock_guard lock(mutex_);
    old.reserve(capacity_);
    old.swap(entries_);  // entries_ keeps a reservation; `old` is freed outside the lock
    oldest_ = 0;
  }
}

std::size_t Journal::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
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
