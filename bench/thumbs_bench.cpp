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
//   pressroom_thumbs_bench compare PAIRS
//     PAIRS holds "reference<TAB>test" lines (two image files of the same size). Prints
//     "ssim<TAB>psnr<TAB>test" per line, then "mean_ssim=… mean_psnr=… pairs=… failed=…".
//     SSIM: Wang et al. 2004 (11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03), per colour
//     channel and averaged; PSNR over all channels. Pairs of different sizes count as failed.
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

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

// Mean SSIM over the channels of two same-size 8-bit images (Wang et al. 2004).
double ssim(const cv::Mat& reference, const cv::Mat& test) {
  constexpr double k_c1 = (0.01 * 255) * (0.01 * 255);
  constexpr double k_c2 = (0.03 * 255) * (0.03 * 255);
  const cv::Size window(11, 11);
  constexpr double k_sigma = 1.5;
  std::vector<cv::Mat> xs;
  std::vector<cv::Mat> ys;
  cv::split(reference, xs);
  cv::split(test, ys);
  double sum = 0;
  for (std::size_t c = 0; c < xs.size(); ++c) {
    cv::Mat x;
    cv::Mat y;
    xs[c].convertTo(x, CV_64F);
    ys[c].convertTo(y, CV_64F);
    cv::Mat mu_x;
    cv::Mat mu_y;
    cv::Mat xx;
    cv::Mat yy;
    cv::Mat xy;
    cv::GaussianBlur(x, mu_x, window, k_sigma);
    cv::GaussianBlur(y, mu_y, window, k_sigma);
    cv::GaussianBlur(x.mul(x), xx, window, k_sigma);
    cv::GaussianBlur(y.mul(y), yy, window, k_sigma);
    cv::GaussianBlur(x.mul(y), xy, window, k_sigma);
    const cv::Mat mu_xx = mu_x.mul(mu_x);
    const cv::Mat mu_yy = mu_y.mul(mu_y);
    const cv::Mat mu_xy = mu_x.mul(mu_y);
    const cv::Mat numerator = (2 * mu_xy + k_c1).mul(2 * (xy - mu_xy) + k_c2);
    const cv::Mat denominator = (mu_xx + mu_yy + k_c1).mul((xx - mu_xx) + (yy - mu_yy) + k_c2);
    cv::Mat map;
    cv::divide(numerator, denominator, map);
    sum += cv::mean(map)[0];
  }
  return sum / static_cast<double>(xs.size());
}

int run_compare(const fs::path& pairs) {
  std::ifstream input(pairs);
  if (!input) {
    std::cerr << pairs.string() << ": cannot read\n";
    return 2;
  }
  double ssim_sum = 0;
  double psnr_sum = 0;
  int compared = 0;
  int failed = 0;
  std::string line;
  while (std::getline(input, line)) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      continue;
    }
    const std::string reference_path = line.substr(0, tab);
    const std::string test_path = line.substr(tab + 1);
    const cv::Mat reference =
        cv::imread(reference_path, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    const cv::Mat test = cv::imread(test_path, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (reference.empty() || test.empty() || reference.size() != test.size()) {
      std::cerr << test_path << ": not comparable with " << reference_path << '\n';
      ++failed;
      continue;
    }
    const double s = ssim(reference, test);
    const double p = cv::PSNR(reference, test);
    std::printf("%.5f\t%.3f\t%s\n", s, p, test_path.c_str());
    ssim_sum += s;
    psnr_sum += p;
    ++compared;
  }
  const double n = std::max(1, compared);
  std::printf("mean_ssim=%.5f mean_psnr=%.3f pairs=%d failed=%d\n", ssim_sum / n, psnr_sum / n,
              compared, failed);
  return 0;
}

void usage() {
  std::cerr << "usage: pressroom_thumbs_bench render --out DIR [--sizes 256,1280] [--jobs N]"
               " [--quality Q] [--passes P] FILE...\n"
               "       pressroom_thumbs_bench compare PAIRS\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "compare") {
    return run_compare(args[1]);
  }
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
