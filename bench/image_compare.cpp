// Scores rendition quality for bench/run-thumbs (bench/README.md, "Renditions").
//
//   pressroom_image_compare PAIRS
//     PAIRS holds "reference<TAB>test" lines (two image files of the same size). Prints
//     "ssim<TAB>psnr<TAB>test" per line, then "mean_ssim=… mean_psnr=… pairs=… failed=…".
//     SSIM: Wang et al. 2004 (11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03), per colour
//     channel and averaged; PSNR over all channels. Pairs of different sizes count as failed.
//
// Exit code 0, also when some pairs fail (they are counted); 2 for bad arguments.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace {

namespace fs = std::filesystem;

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

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() != 1) {
    std::cerr << "usage: pressroom_image_compare PAIRS\n";
    return 2;
  }
  return run_compare(args[0]);
}
