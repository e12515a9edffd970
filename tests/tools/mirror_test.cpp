// pressroom-mirror (tools/mirror) as the demo runs it: the real binary as a child process on a
// free port, asked over HTTPS by libcurl, the importer's client, which trusts the test CA.

#include <array>
#include <cctype>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/sha256.hpp"
#include "http_test_server.hpp"
#include "spawned_process.hpp"
#include "test_support.hpp"

namespace pressroom::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto k_deadline = 3s;  // for the port file and for an exit; each takes milliseconds
// The stand-in photos' mtime: 2019-09-01 10:00:00 UTC, the seed release's date.
constexpr std::time_t k_mtime = 1567332000;
constexpr const char* k_last_modified = "Sun, 01 Sep 2019 10:00:00 GMT";

struct Reply {
  CURLcode result = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // by lower-case name

  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* reply) {
  static_cast<Reply*>(reply)->body.append(data, size * count);
  return size * count;
}

std::size_t add_header(char* data, std::size_t size, std::size_t count, void* reply) {
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& letter : name) {
      letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
    }
    const auto start = line.find_first_not_of(' ', colon + 1);
    const auto end = line.find_last_not_of("\r\n");
    static_cast<Reply*>(reply)->headers[name] =
        start == std::string::npos || end < start ? "" : line.substr(start, end - start + 1);
  }
  return size * count;
}

struct CurlCleanup {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct CurlListFree {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

class MirrorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_certificates_folder = std::make_unique<TempDir>();
    s_certificates = make_test_certificates(s_certificates_folder->path());
  }
  static void TearDownTestSuite() { s_certificates_folder.reset(); }

  void SetUp() override {
    ASSERT_FALSE(s_certificates.ca.empty()) << "openssl could not make the test certificates";
    const std::filesystem::path photos = root() / "fileadmin" / "pressebilder";
    std::filesystem::create_directories(photos / "1909");
    put(photos / "1909" / "a.jpg", read_text(fixture("orientation-1.jpg")));
    put(photos / "B.JPEG", read_text(fixture("base.jpg")));  // over one 64 KiB chunk
    put(root() / ".hidden.jpg", read_text(fixture("orientation-1.jpg")));
    put(photos / ".draft.jpg", read_text(fixture("orientation-1.jpg")));
    put(m_temp / "outside.jpg", read_text(fixture("orientation-1.jpg")));
    std::filesystem::create_symlink("../../outside.jpg", photos / "escape.jpg");
  }

  std::filesystem::path root() const { return m_temp / "www"; }
  std::filesystem::path log_file() const { return m_temp / "mirror.log"; }
  std::filesystem::path port_file() const { return m_temp / "mirror.port"; }
  // What the mirror wrote on stdout, then on stderr.
  std::string output() const {
    return read_text(m_temp / "mirror.out") + read_text(m_temp / "mirror.err");
  }

  static void put(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary) << bytes;
    const std::array<timespec, 2> times{timespec{k_mtime, 0}, timespec{k_mtime, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times.data(), 0), 0) << file;
  }

  // The mirror's command line: the binary, the options every test gives, then `extra`.
  std::vector<std::string> arguments(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> all{PRESSROOM_MIRROR_BINARY,
                                 "--root",
                                 root().string(),
                                 "--cert",
                                 s_certificates.cert.string(),
                                 "--key",
                                 s_certificates.key.string(),
                                 "--log",
                                 log_file().string(),
                                 "--port-file",
                                 port_file().string()};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }

  // Starts the mirror and waits until it serves; the test fails when it does not. The mirror
  // tells it by the port file alone, which is polled.
  void start(const std::vector<std::string>& extra = {}) {
    m_mirror = std::make_unique<SpawnedProcess>(arguments(extra), m_temp / "mirror.out",
                                                m_temp / "mirror.err");
    ASSERT_TRUE(m_mirror->started());
    m_port = m_mirror->wait_for_number(port_file(), k_deadline);
    ASSERT_GT(m_port, 0) << output();
  }

  // Stops the mirror with SIGTERM; its exit code, or -1 when it did not exit in time.
  int stop() {
    m_mirror->send(SIGTERM);
    return m_mirror->wait_for_exit(k_deadline).value_or(-1);
  }

  // One request on a connection of its own, closed before this returns. libcurl sends `path`
  // as it is (no dot-segment removal), so a test can send "/../".
  Reply fetch(const std::string& path, const std::vector<std::string>& headers = {},
              bool head = false) const {
    const std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
    std::unique_ptr<curl_slist, CurlListFree> list;
    for (const std::string& header : headers) {
      if (header.empty()) {
        continue;
      }
      // The same list, longer (or, for an empty list, a new one); nullptr when out of memory.
      curl_slist* longer = curl_slist_append(list.get(), header.c_str());
      if (longer == nullptr) {
        ADD_FAILURE() << "curl_slist_append failed";
        break;
      }
      static_cast<void>(list.release());
      list.reset(longer);
    }
    Reply reply;
    const std::string url = "https://127.0.0.1:" + std::to_string(m_port) + path;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_CAINFO, s_certificates.ca.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, head ? 1L : 0L);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, add_header);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 3000L);
    reply.result = curl_easy_perform(curl.get());
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
  }

  // The log's lines, each split at its tabs.
  std::vector<std::vector<std::string>> log_lines() const {
    std::vector<std::vector<std::string>> lines;
    std::istringstream text(read_text(log_file()));
    for (std::string line; std::getline(text, line);) {
      std::vector<std::string> fields;
      std::istringstream split(line);
      for (std::string field; std::getline(split, field, '\t');) {
        fields.push_back(field);
      }
      lines.push_back(fields);
    }
    return lines;
  }

  TempDir m_temp;
  std::unique_ptr<SpawnedProcess> m_mirror;
  int m_port = 0;

  static std::unique_ptr<TempDir> s_certificates_folder;
  static TestCertificates s_certificates;
};

std::unique_ptr<TempDir> MirrorTest::s_certificates_folder;
TestCertificates MirrorTest::s_certificates;

std::string expected_etag(const std::string& bytes) {
  return '"' + sha256_hex(std::as_bytes(std::span(bytes))).substr(0, 32) + '"';
}

TEST_F(MirrorTest, ServesAFileWithItsTypeLengthEtagAndLastModified) {
  start();
  const std::string bytes = read_text(fixture("base.jpg"));
  const Reply reply = fetch("/fileadmin/pressebilder/B.JPEG");
  ASSERT_EQ(reply.result, CURLE_OK) << curl_easy_strerror(reply.result);
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.body == bytes) << reply.body.size() << " bytes, not " << bytes.size();
  EXPECT_EQ(reply.header("content-type"), "image/jpeg");
  EXPECT_EQ(reply.header("content-length"), std::to_string(bytes.size()));
  EXPECT_EQ(reply.header("etag"), expected_etag(bytes));
  EXPECT_EQ(reply.header("last-modified"), k_last_modified);
}

TEST_F(MirrorTest, DecodesThePercentEncodedPath) {
  start();
  const Reply reply = fetch("/fileadmin/pressebilder/%31909/a%2Ejpg");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body.size(), read_text(fixture("orientation-1.jpg")).size());
}

TEST_F(MirrorTest, AnswersAMatchingIfNoneMatchWith304AndNoBody) {
  start();
  const std::string path = "/fileadmin/pressebilder/1909/a.jpg";
  const std::string etag = fetch(path).header("etag");
  ASSERT_FALSE(etag.empty());
  for (const std::string& header : std::vector<std::string>{
           "If-None-Match: " + etag, "If-None-Match: \"0000\", W/" + etag, "If-None-Match: *"}) {
    const Reply reply = fetch(path, {header});
    EXPECT_EQ(reply.status, 304) << header;
    EXPECT_EQ(reply.body, "") << header;
    EXPECT_EQ(reply.header("etag"), etag) << header;
    EXPECT_EQ(reply.header("content-length"), "") << "a 304 sends no Content-Length";
  }
  // If-None-Match decides alone when it is there (RFC 9110, 13.2.2).
  const Reply changed = fetch(
      path, {"If-None-Match: \"0000\"", std::string("If-Modified-Since: ") + k_last_modified});
  EXPECT_EQ(changed.status, 200);
  EXPECT_FALSE(changed.body.empty());
}

TEST_F(MirrorTest, AnswersIfModifiedSinceNotBeforeTheFileWith304) {
  start();
  const std::string path = "/fileadmin/pressebilder/1909/a.jpg";
  for (const char* date : {k_last_modified, "Mon, 02 Sep 2019 08:00:00 GMT"}) {
    const Reply reply = fetch(path, {std::string("If-Modified-Since: ") + date});
    EXPECT_EQ(reply.status, 304) << date;
    EXPECT_EQ(reply.body, "") << date;
  }
  const Reply older = fetch(path, {"If-Modified-Since: Sat, 31 Aug 2019 10:00:00 GMT"});
  EXPECT_EQ(older.status, 200);
  EXPECT_FALSE(older.body.empty());
  const Reply unreadable = fetch(path, {"If-Modified-Since: yesterday"});
  EXPECT_EQ(unreadable.status, 200) << "a date it cannot read is ignored";
}

// The importer resumes a download with "Range: bytes=N-" and If-Range.
TEST_F(MirrorTest, AnswersOneRangeWith206AndTheRestWhenIfRangeMatches) {
  start();
  const std::string path = "/fileadmin/pressebilder/B.JPEG";
  const std::string bytes = read_text(fixture("base.jpg"));
  const std::string size = std::to_string(bytes.size());
  const std::string etag = fetch(path, {}, true).header("etag");
  for (const std::string& if_range :
       {std::string(), "If-Range: " + etag, std::string("If-Range: ") + k_last_modified}) {
    const Reply reply = fetch(path, {"Range: bytes=100-", if_range});
    EXPECT_EQ(reply.status, 206) << if_range;
    EXPECT_EQ(reply.header("content-range"),
              "bytes 100-" + std::to_string(bytes.size() - 1) + "/" + size);
    EXPECT_TRUE(reply.body == bytes.substr(100)) << reply.body.size() << " bytes";
  }
  const Reply end = fetch(path, {"Range: bytes=-10"});
  EXPECT_EQ(end.status, 206);
  EXPECT_EQ(end.body, bytes.substr(bytes.size() - 10));
  const Reply clamped = fetch(path, {"Range: bytes=0-99999999"});
  EXPECT_EQ(clamped.status, 206);
  EXPECT_EQ(clamped.header("content-range"),
            "bytes 0-" + std::to_string(bytes.size() - 1) + "/" + size);
  EXPECT_EQ(clamped.body.size(), bytes.size());
}

TEST_F(MirrorTest, AnswersTheWholeFileWhenIfRangeDoesNotMatch) {
  start();
  const std::string path = "/fileadmin/pressebilder/B.JPEG";
  const std::string etag = fetch(path, {}, true).header("etag");
  for (const std::string& if_range :
       std::vector<std::string>{"If-Range: \"0000\"", "If-Range: W/" + etag,
                                "If-Range: Sat, 31 Aug 2019 10:00:00 GMT"}) {
    const Reply reply = fetch(path, {"Range: bytes=100-", if_range});
    EXPECT_EQ(reply.status, 200) << if_range;
    EXPECT_EQ(reply.body.size(), read_text(fixture("base.jpg")).size()) << if_range;
  }
  const Reply several = fetch(path, {"Range: bytes=0-9,20-29"});
  EXPECT_EQ(several.status, 200) << "several ranges get the whole file";
  EXPECT_EQ(several.header("content-type"), "image/jpeg");
  EXPECT_EQ(several.body.size(), read_text(fixture("base.jpg")).size());
}

TEST_F(MirrorTest, AnswersARangeBeyondTheFileWith416) {
  start();
  const std::string size = std::to_string(read_text(fixture("base.jpg")).size());
  const Reply reply = fetch("/fileadmin/pressebilder/B.JPEG", {"Range: bytes=" + size + "-"});
  EXPECT_EQ(reply.status, 416);
  EXPECT_EQ(reply.header("content-range"), "bytes */" + size);
  EXPECT_EQ(reply.body, "");
}

TEST_F(MirrorTest, AnswersHeadWithTheHeadersAndNoBody) {
  start();
  const std::string bytes = read_text(fixture("base.jpg"));
  const Reply reply = fetch("/fileadmin/pressebilder/B.JPEG", {}, true);
  ASSERT_EQ(reply.result, CURLE_OK) << curl_easy_strerror(reply.result);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.header("content-length"), std::to_string(bytes.size()));
  EXPECT_EQ(reply.header("etag"), expected_etag(bytes));
}

TEST_F(MirrorTest, Answers404ForWhatIsNotAFileUnderTheRoot) {
  start();
  for (const char* path :
       {"/fileadmin/pressebilder/missing.jpg", "/fileadmin/pressebilder",
        "/fileadmin/pressebilder/", "/", "/fileadmin/pressebilder/../../../outside.jpg",
        "/fileadmin/%2e%2e/%2E%2E/outside.jpg", "/../outside.jpg", "/.hidden.jpg",
        "/fileadmin/pressebilder/.draft.jpg", "/fileadmin/pressebilder/escape.jpg",
        "/fileadmin/pressebilder/1909/a.jpg%00.txt"}) {
    const Reply reply = fetch(path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.body, "") << path;
  }
}

TEST_F(MirrorTest, LogsOneLinePerRequestWithStatusAndBodyBytesSent) {
  start();
  const std::string path = "/fileadmin/pressebilder/B.JPEG";
  const std::string size = std::to_string(read_text(fixture("base.jpg")).size());
  const std::string etag = fetch(path).header("etag");
  fetch(path, {"If-None-Match: " + etag});
  fetch(path, {}, true);
  fetch(path, {"Range: bytes=100-"});
  fetch("/fileadmin/pressebilder/../../outside.jpg");
  // The log line is written after the response: stop the mirror to read them all.
  ASSERT_EQ(stop(), 0);
  const std::vector<std::vector<std::string>> expected = {
      {"GET", path, "200", size, "-"},
      {"GET", path, "304", "0", etag},
      {"HEAD", path, "200", "0", "-"},
      {"GET", path, "206", std::to_string(std::stoul(size) - 100), "-"},
      {"GET", "/fileadmin/pressebilder/../../outside.jpg", "404", "0", "-"}};
  EXPECT_EQ(log_lines(), expected);
}

TEST_F(MirrorTest, ExitsAfterMaxRequests) {
  start({"--max-requests", "3"});
  for (int request = 0; request < 3; ++request) {
    EXPECT_EQ(fetch("/fileadmin/pressebilder/1909/a.jpg").status, 200);
  }
  EXPECT_EQ(m_mirror->wait_for_exit(k_deadline), 0) << output();
  EXPECT_EQ(log_lines().size(), 3U);
  EXPECT_NE(output().find("stopped (--max-requests reached) after 3 requests"), std::string::npos)
      << output();
  EXPECT_FALSE(std::filesystem::exists(port_file())) << "removed at exit";
}

TEST_F(MirrorTest, StopsWithExitCodeZeroOnSigterm) {
  start();
  EXPECT_EQ(output().rfind("pressroom-mirror: serving " + root().string() +
                               " on https://127.0.0.1:" + std::to_string(m_port) + "\n",
                           0),
            0U)
      << output();
  EXPECT_EQ(fetch("/fileadmin/pressebilder/1909/a.jpg").status, 200);
  EXPECT_EQ(stop(), 0) << output();
  EXPECT_FALSE(std::filesystem::exists(port_file()));
}

TEST_F(MirrorTest, ExitsAfterIdleSeconds) {
  start({"--idle-exit", "1"});
  EXPECT_EQ(m_mirror->wait_for_exit(k_deadline), 0) << output();
  EXPECT_NE(output().find("stopped (--idle-exit reached) after 0 requests"), std::string::npos)
      << output();
}

TEST_F(MirrorTest, RefusesUnusableArgumentsWithExitCode2) {
  // The usual command line with the value of `option` replaced.
  const auto run = [this](const std::string& option, const std::string& value) {
    std::vector<std::string> command;
    for (const std::string& argument : arguments()) {
      command.push_back(!command.empty() && command.back() == option ? value : argument);
    }
    return run_process(command, {}, 10);
  };
  const std::string missing = (m_temp / "missing").string();
  for (const std::string option : {"--root", "--cert", "--key"}) {
    const ProcessResult result = run(option, missing);
    EXPECT_EQ(result.exit_code, 2) << option;
    EXPECT_NE(result.err.find(std::string(option).append(" ").append(missing).append(": ")),
              std::string::npos)
        << result.err;
  }
  const ProcessResult file_root = run("--root", s_certificates.ca.string());
  EXPECT_EQ(file_root.exit_code, 2);
  EXPECT_NE(file_root.err.find("not a folder"), std::string::npos) << file_root.err;
  const ProcessResult key_as_cert = run("--cert", s_certificates.key.string());
  EXPECT_EQ(key_as_cert.exit_code, 2);
  EXPECT_NE(key_as_cert.err.find("not a PEM certificate"), std::string::npos) << key_as_cert.err;
}

TEST_F(MirrorTest, FailsWithExitCode1WhenThePortIsInUse) {
  start();
  std::vector<std::string> command{PRESSROOM_MIRROR_BINARY,
                                   "--root",
                                   root().string(),
                                   "--cert",
                                   s_certificates.cert.string(),
                                   "--key",
                                   s_certificates.key.string(),
                                   "--port",
                                   std::to_string(m_port)};
  const ProcessResult second = run_process(command, {}, 10);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("127.0.0.1:" + std::to_string(m_port) + ": cannot listen"),
            std::string::npos)
      << second.err;
  EXPECT_EQ(fetch("/fileadmin/pressebilder/1909/a.jpg").status, 200) << "the first still serves";
}

}  // namespace
}  // namespace pressroom::testing
