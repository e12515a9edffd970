// How fast the release parser reads large releases, and whether its time grows linearly: the
// seed release's photo list repeated to 1, 5 and 50 MB. There is no peer tool that reads press
// releases, so the baseline is the least any parser does: one pass that splits the text into
// lines. bench/README.md has the figures.
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "importer/release_parser.hpp"

namespace {

// The seed release with its photo list repeated until the text has `bytes` bytes.
std::string synthetic_release(std::size_t bytes) {
  std::ifstream stream(std::string(PRESSROOM_RELEASE_DIR) + "/001_7ff45f0d1d94c85c.txt",
                       std::ios::binary);
  const std::string seed{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
  const std::size_t list_start = seed.find("V.l.: OB Thomas Geisel");
  const std::size_t list_end = seed.find("Textversion:");
  if (list_start == std::string::npos || list_end == std::string::npos) {
    return {};
  }
  const std::string list = seed.substr(list_start, list_end - list_start) + "\n\n";
  std::string text = seed.substr(0, list_start);
  while (text.size() < bytes) {
    text += list;
  }
  return text + seed.substr(list_end);
}

void parse_release(benchmark::State& state) {
  const std::string text = synthetic_release(static_cast<std::size_t>(state.range(0)) << 20U);
  std::size_t photos = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): the benchmark loop
    auto release = pressroom::importer::parse_release(text, "synthetic");
    if (!release) {
      state.SkipWithError(release.error().message.c_str());
      return;
    }
    photos = release->photos.size();
    benchmark::DoNotOptimize(release);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["photos"] = static_cast<double>(photos);
}

// The baseline: find every line and its first non-space byte.
void split_lines(benchmark::State& state) {
  const std::string text = synthetic_release(static_cast<std::size_t>(state.range(0)) << 20U);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): the benchmark loop
    std::size_t lines = 0;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string_view line(text.data() + start, end - start);
      lines += line.find_first_not_of(' ') != std::string_view::npos ? 1 : 0;
      start = end + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

BENCHMARK(parse_release)->Arg(1)->Arg(5)->Arg(50)->Unit(benchmark::kMillisecond);
BENCHMARK(split_lines)->Arg(1)->Arg(5)->Arg(50)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
