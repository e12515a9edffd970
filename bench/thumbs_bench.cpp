// Rendition throughput and quality (issue 7). bench/run-thumbs compares the figures with
// vipsthumbnail and ImageMagick; bench/README.md ("Renditions") has them.
//
//   pressroom_thumbs_bench render --out DIR [--sizes 256,1280] [--jobs N] [--quality Q]
//                                 [--passes P] FILE...
//     Makes the renditions of every FILE as the importer does (read the file, thumbs::render,
//     write each rendition to DIR/<stem>_<size>.jpg), JOBS files at a time, and prints one line
//     "images=… failed=… seconds=… images_per_s=…" per pass. The EXIF orientation of each file
//     is read before the first pass, untimed: the importer has it from its metadata read.
//
// The quality of the outputs is scored by pressroom_image_compare (image_compare.cpp), a
// separate program so that this one does not link OpenCV's codecs: the peak RSS measured here
// is then what pressroom's own process pays (their ~130 libraries cost ~40 MB).
//
// Exit code 0, also when some files fail (they are counted); 2 for bad arguments.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/image_type.hpp"
#include "thumbs/render.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t k_max_file_bytes = std::uint64_t{2} << 30U;

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

struct RenderArgs {
  fs::path out;
  std::vector<int> sizes{256, 1280};
  unsigned jobs = 1;
  int quality = 85;
  int passes = 1;
  std::vector<fs::path> files;
};

std::optional<RenderArgs> parse_render(const std::vector<std::string_view>& args) {
  RenderArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--out" && has_value) {
      parsed.out = args[++i];
    } else if (arg == "--sizes" && has_value) {
      parsed.sizes.clear();
      std::string_view list = args[++i];
      while (!list.empty()) {
        const std::size_t comma = std::min(list.find(','), list.size());
        const auto size = parse_int(list.substr(0, comma));
        if (!size || *size < 1) {
          return std::nullopt;
        }
        parsed.sizes.push_back(*size);
        list.remove_prefix(std::min(comma + 1, list.size()));
      }
    } else if ((arg == "--jobs" || arg == "--quality" || arg == "--passes") && has_value) {
      const auto value = parse_int(args[++i]);
      if (!value) {
        return std::nullopt;
      }
      if (arg == "--jobs") {
        parsed.jobs = *value == 0 ? std::max(1U, std::thread::hardware_concurrency())
                                  : static_cast<unsigned>(*value);
      } else if (arg == "--quality") {
        parsed.quality = *value;
      } else {
        parsed.passes = *value;
      }
    } else if (arg.starts_with("--")) {
      return std::nullopt;
    } else {
      parsed.files.emplace_back(arg);
    }
  }
  if (parsed.out.empty() || parsed.files.empty() || parsed.sizes.empty()) {
    return std::nullopt;
  }
  return parsed;
}

// Renders and writes one file's renditions; false when anything failed (said on stderr).
bool render_one(const fs::path& file, int orientation, const RenderArgs& args,
                const pressroom::thumbs::RenderOptions& options) {
  const auto bytes = pressroom::read_file(file, k_max_file_bytes);
  if (!bytes) {
    std::cerr << pressroom::to_string(bytes.error()) << '\n';
    return false;
  }
  const auto type = pressroom::sniff_image_type(*bytes);
  if (!type) {
    std::cerr << file.string() << ": not an image\n";
    return false;
  }
  const auto rendered =
      pressroom::thumbs::render(*bytes, *type, orientation, file.string(), options);
  if (!rendered) {
    std::cerr << pressroom::to_string(rendered.error()) << '\n';
    return false;
  }
  for (const auto& rendition : rendered->renditions) {
    const fs::path out =
        args.out / (file.stem().string() + "_" + std::to_string(rendition.long_edge) + ".jpg");
    std::ofstream stream(out, std::ios::binary);
    stream.write(reinterpret_cast<const char*>(rendition.jpeg.data()),
                 static_cast<std::streamsize>(rendition.jpeg.size()));
    if (!stream) {
      std::cerr << out.string() << ": cannot write\n";
      return false;
    }
  }
  return true;
}

int run_render(const RenderArgs& args) {
  std::error_code error;
  fs::create_directories(args.out, error);
  std::vector<int> orientations;
  for (const auto& file : args.files) {
    // A file that cannot be read shows as stored here and fails in the timed pass.
    int orientation = 1;
    if (const auto bytes = pressroom::read_file(file, k_max_file_bytes)) {
      if (const auto metadata = pressroom::read_embedded_metadata(*bytes, file.string())) {
        orientation = metadata->orientation;
      }
    }
    orientations.push_back(orientation);
  }
  pressroom::thumbs::RenderOptions options;
  options.long_edges = args.sizes;
  options.jpeg_quality = args.quality;
  for (int pass = 0; pass < args.passes; ++pass) {
    std::atomic<std::size_t> next{0};
    std::atomic<int> failed{0};
    const auto start = Clock::now();
    const auto work = [&] {
      for (std::size_t i = next++; i < args.files.size(); i = next++) {
        if (!render_one(args.files[i], orientations[i], args, options)) {
          ++failed;
        }
      }
    };
    std::vector<std::jthread> workers;
    for (unsigned j = 1; j < args.jobs; ++j) {
      workers.emplace_back(work);
    }
    work();
    workers.clear();  // joins
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("images=%zu failed=%d seconds=%.3f images_per_s=%.2f\n", args.files.size(),
                failed.load(), seconds, static_cast<double>(args.files.size()) / seconds);
  }
  return 0;
}

void usage() {
  std::cerr << "usage: pressroom_thumbs_bench render --out DIR [--sizes 256,1280] [--jobs N]"
               " [--quality Q] [--passes P] FILE...\n"
               "\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "render") {
    const auto parsed = parse_render({args.begin() + 1, args.end()});
    if (parsed) {
      pressroom::thumbs::initialize_logging();
      return run_render(*parsed);
    }
  }
  usage();
  return 2;
}
