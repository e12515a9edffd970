#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace pressroom::testing {

// A file of the derived fixtures (tests/fixtures/make-fixtures.sh), by name.
std::filesystem::path fixture(const std::string& name);

// A press release kept in the repository (tests/fixtures/releases/), by name.
std::filesystem::path release_fixture(const std::string& name);

// The whole contents of a file as bytes in a string; empty when it cannot be read.
std::string read_text(const std::filesystem::path& file);

// Runs `statement` on the SQLite file with a connection of its own, as another process would
// (or an older pressroom left the file); returns the first column of the first row as text (""
// when none). A statement SQLite refuses is a test failure naming it.
std::string sql(const std::filesystem::path& file, const std::string& statement);

// A fresh, empty temporary folder, removed with everything in it by the destructor.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

struct ProcessResult {
  int exit_code = -1;  // the process's exit code; 128 + N when killed by signal N
  std::string out;
  std::string err;
};

// Runs `arguments` (argv[0] is the program) with `environment` added to this process's
// environment, and waits for it. `timeout_seconds` kills a hung process.
ProcessResult run_process(const std::vector<std::string>& arguments,
                          const std::map<std::string, std::string>& environment = {},
                          int timeout_seconds = 120);

// Runs the pressroom binary under test with `arguments`.
ProcessResult run_pressroom(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& environment = {});

// Each line of `text` parsed as JSON.
std::vector<nlohmann::json> json_lines(const std::string& text);

// exiftool's view of a file: `exiftool -json -n FILE`, its one object.
nlohmann::json exiftool(const std::filesystem::path& file, const std::vector<std::string>& tags);

// Decodes an image file (JPEG, PPM, PNG) as BGR for comparisons; empty when it cannot.
cv::Mat load_image(const std::filesystem::path& file);
// Decodes encoded image bytes (a rendition's JPEG) as BGR; empty when they cannot be.
cv::Mat decode_image(std::span<const std::byte> bytes);
// `image` at `size` by OpenCV's area filter: the reference a rendition is compared with.
cv::Mat resized(const cv::Mat& image, cv::Size size);
// The bytes of fixture(name); empty, and the test fails, when it cannot be read.
std::vector<std::byte> fixture_bytes(const std::string& name);

// The mean absolute difference per channel value (0..255) between two images of one size.
double mean_abs_difference(const cv::Mat& a, const cv::Mat& b);

}  // namespace pressroom::testing
