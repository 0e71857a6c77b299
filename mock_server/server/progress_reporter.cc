#include "server/progress_reporter.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "core/human_units.h"

namespace datazone_mock {
namespace {

// At most ten drawings a second: smooth enough to read, cheap enough not to slow the load. A
// load shorter than this draws nothing at all, so quick starts stay quiet.
constexpr std::chrono::milliseconds kDrawInterval{100};

// Except for a file this big: parsing it takes a while (seconds for tens of MB), during which
// no run is counted yet, so the line shows at once what is being read.
constexpr std::uintmax_t kLargeFileBytes = 1'000'000;

double Seconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace

bool IsTerminal(std::FILE* stream) { return ::isatty(::fileno(stream)) != 0; }

TerminalProgress::TerminalProgress(std::FILE* out, bool live, std::shared_ptr<const Clock> clock)
    : out_(out),
      live_(live),
      clock_(std::move(clock)),
      start_(clock_->Monotonic()),
      next_draw_(start_ + kDrawInterval) {}

void TerminalProgress::OnFileRead(const std::filesystem::path&, std::uintmax_t bytes) {
  ++files_;
  bytes_ += bytes;
  if (bytes >= kLargeFileBytes && drawn_width_ == 0) {
    next_draw_ = std::min(next_draw_, clock_->Monotonic());  // ends the quiet start early
  }
  MaybeDraw(false);
}

void TerminalProgress::OnRuns(std::size_t added) {
  runs_ += added;
  MaybeDraw(false);
}

void TerminalProgress::Finish() {
  if (finished_) return;
  finished_ = clock_->Monotonic();
  if (drawn_width_ == 0) return;
  MaybeDraw(true);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void TerminalProgress::MaybeDraw(bool force) {
  if (!live_) return;
  const auto now = clock_->Monotonic();
  if (!force && now < next_draw_) return;
  next_draw_ = now + kDrawInterval;
  const double seconds = Seconds(Elapsed());
  const double rate = seconds > 0 ? static_cast<double>(runs_) / seconds : 0;
  std::string line = "loading fixtures: " + CountOf(files_, "file") + ", " + FormatBytes(bytes_) +
                     ", " + CountOf(runs_, "run") + " (" + FormatRate(rate, "runs") + ")";
  const std::size_t width = line.size();
  // Blanks over the rest of a longer previous line; \r alone would leave its tail visible.
  if (width < drawn_width_) line.append(drawn_width_ - width, ' ');
  drawn_width_ = width;
  std::fprintf(out_, "\r%s", line.c_str());
  std::fflush(out_);
}

std::chrono::steady_clock::duration TerminalProgress::Elapsed() const {
  return finished_.value_or(clock_->Monotonic()) - start_;
}

std::string TerminalProgress::Summary(const Store::Counts& counts) const {
  std::string out = "loaded " + CountOf(counts.runs, "run") + " in " + CountOf(counts.jobs, "job") +
                    " of " + CountOf(counts.domains, "domain");
  if (files_ > 0) out += " from " + CountOf(files_, "file") + " (" + FormatBytes(bytes_) + ")";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, " in %.2f s", Seconds(Elapsed()));
  return out + seconds;
}

void TerminalProgress::PrintSummary(const Store::Counts& counts) const {
  std::fprintf(out_, "datazone-mock: %s\n", Summary(counts).c_str());
  std::fflush(out_);
}

}  // namespace datazone_mock
