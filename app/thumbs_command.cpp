// `pressroom thumbs rebuild`: the library's renditions made again from the originals.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

#include "cli.hpp"
#include "importer/rebuild.hpp"

namespace pressroom::app {
namespace {

using Clock = std::chrono::steady_clock;

// "1:05" or "1:02:05".
std::string clock_text(double seconds) {
  const auto total = static_cast<long>(std::lround(std::max(0.0, seconds)));
  std::array<char, 32> text{};
  if (total >= 3600) {
    std::snprintf(text.data(), text.size(), "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text.data(), text.size(), "%ld:%02ld", total / 60, total % 60);
  }
  return text.data();
}

// Prints each photo as it is done: failures and warnings on stderr as they come; with --json a
// line per photo on stdout; on a terminal (stderr) a progress bar, rewritten in place and
// cleared before any other line.
class RebuildPrinter final : public importer::RebuildObserver {
 public:
  RebuildPrinter(bool json, bool show_progress) : m_json(json), m_show_progress(show_progress) {}

  void started(std::int64_t total) override {
    m_total = total;
    m_start = Clock::now();
    draw(true);
  }

  void photo_finished(const importer::RebuildOutcome& outcome) override {
    ++m_done;
    if (outcome.error) {
      ++m_failed;
    }
    if (outcome.error || !outcome.warnings.empty()) {
      clear();
      for (const std::string& warning : outcome.warnings) {
        print_error("warning: " + warning);
      }
      if (outcome.error) {
        print_error(*outcome.error);
      }
    }
    if (m_json) {
      nlohmann::ordered_json line{{"photo", outcome.photo.id},
                                  {"sha256", outcome.photo.sha256},
                                  {"state", outcome.error ? "failed" : "rebuilt"},
                                  {"warnings", outcome.warnings}};
      if (outcome.error) {
        line["error"] = {{"code", to_string(outcome.error->code)},
                         {"message", to_string(*outcome.error)}};
      }
      std::cout << line << std::endl;  // flushed: a reading script sees progress
    }
    draw(m_done == m_total);
  }

  double seconds() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

  void clear() {
    if (m_drawn) {
      std::cerr << "\r\033[K" << std::flush;
      m_drawn = false;
    }
  }

 private:
  // `[#########-----------]  12/40 photos  5.3/s  ETA 0:05  1 failed`, at most ten times a
  // second unless `now` (the first and the last state are always shown).
  void draw(bool now) {
    if (!m_show_progress) {
      return;
    }
    const auto at = Clock::now();
    if (!now && m_drawn && at - m_last_draw < std::chrono::milliseconds(100)) {
      return;
    }
    m_last_draw = at;
    constexpr int k_width = 24;
    const double fraction =
        m_total > 0 ? static_cast<double>(m_done) / static_cast<double>(m_total) : 1.0;
    const auto filled = static_cast<int>(fraction * k_width);
    const double elapsed = seconds();
    const double rate = elapsed > 0 ? static_cast<double>(m_done) / elapsed : 0;
    std::array<char, 32> rate_text{};
    std::snprintf(rate_text.data(), rate_text.size(), "%.1f/s", rate);
    std::cerr << "\r\033[K[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(k_width - filled), '-') << "] " << m_done
              << '/' << m_total << " photos  " << rate_text.data();
    if (m_done > 0 && m_done < m_total) {
      std::cerr << "  ETA " << clock_text(static_cast<double>(m_total - m_done) / rate);
    }
    if (m_failed > 0) {
      std::cerr << "  " << m_failed << " failed";
    }
    std::cerr << std::flush;
    m_drawn = true;
  }

  bool m_json;
  bool m_show_progress;
  bool m_drawn = false;
  std::int64_t m_total = 0;
  std::int64_t m_done = 0;
  std::int64_t m_failed = 0;
  Clock::time_point m_start = Clock::now();
  Clock::time_point m_last_draw;
};

}  // namespace

void add_thumbs_command(CLI::App& app, ThumbsOptions& options) {
  CLI::App* thumbs = app.add_subcommand("thumbs", "The library's renditions");
  thumbs->require_subcommand(1);
  CLI::App* rebuild = thumbs->add_subcommand(
      "rebuild",
      "Make every photo's renditions again from its original (after a change of size or of the "
      "renderer, or to repair deleted or damaged ones); each file is replaced atomically. With "
      "the thumbnails, each photo's perceptual hash (for `duplicates`) is made again and stored "
      "too. A photo whose original is missing or unreadable, or whose hash cannot be stored, "
      "fails with the reason and the others go on (exit 1). On a terminal, a progress bar on "
      "stderr");
  rebuild
      ->add_option("--size", options.size,
                   "Only the renditions of this long edge in pixels (256: thumbnails, 1280: "
                   "previews; 1280 alone leaves the perceptual hashes unchanged: they are taken "
                   "from the thumbnail-sized picture); default: all")
      ->option_text("PX");
  add_jobs_option(*rebuild, options.jobs);
}

int run_thumbs_rebuild(const GlobalOptions& global, const ThumbsOptions& options) {
  if (!jobs_are_valid(options.jobs)) {
    return k_exit_usage;
  }
  int exit_code = k_exit_ok;
  auto library = open_library(global, exit_code);
  if (!library) {
    return exit_code;
  }
  importer::RebuildOptions rebuild_options;
  rebuild_options.jobs = options.jobs;
  if (options.size != 0) {
    rebuild_options.sizes.push_back(options.size);
  }
  RebuildPrinter printer(global.json, ::isatty(STDERR_FILENO) == 1 && !global.json);
  auto summary = importer::rebuild_renditions(*library, printer, rebuild_options);
  printer.clear();
  if (!summary) {
    print_error(summary.error());
    return summary.error().code == Errc::invalid_input ? k_exit_usage : k_exit_library;
  }
  const double seconds = printer.seconds();
  const std::int64_t done = summary->rebuilt + summary->failed;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  if (global.json) {
    std::cout << nlohmann::ordered_json{{"summary",
                                         {{"rebuilt", summary->rebuilt},
                                          {"failed", summary->failed},
                                          {"seconds", seconds},
                                          {"photos_per_second", rate}}}}
              << '\n';
  } else {
    std::array<char, 64> timing{};
    std::snprintf(timing.data(), timing.size(), " (%.1f s, %.1f photos/s)", seconds, rate);
    std::cout << summary->rebuilt << " rebuilt, " << summary->failed << " failed" << timing.data()
              << '\n';
  }
  return summary->failed > 0 ? k_exit_some_failed : k_exit_ok;
}

}  // namespace pressroom::app
