#include "journal/journal.h"

#include <charconv>

#include "api/query_string.h"

namespace datazone_mock {

std::uint64_t Journal::Append(JournalEntry entry) {
  std::lock_guard lock(mutex_);
  entry.id = next_id_++;
  if (capacity_ == 0) return entry.id;
  if (entries_.size() == capacity_) entries_.pop_front();
  entries_.push_back(std::move(entry));
  return entries_.back().id;
}

std::vector<JournalEntry> Journal::Query(const JournalFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> out;
  for (const JournalEntry& entry : entries_) {
    if (filter.since && entry.id <= *filter.since) continue;
    if (filter.access_key_id && entry.access_key_id != *filter.access_key_id) continue;
    if (filter.status && entry.status != *filter.status) continue;
    if (filter.error_type && entry.error_type != *filter.error_type) continue;
    out.push_back(entry);
  }
  return out;
}

void Journal::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
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
