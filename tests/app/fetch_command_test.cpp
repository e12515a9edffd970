// End to end: `pressroom fetch` against real servers on 127.0.0.1.
#include <atomic>
#include <mutex>

#include <gtest/gtest.h>

#include "http_test_server.hpp"
#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::run_pressroom;
using testing::TempDir;
using testing::TestHttpServer;

// No proxy from the machine's environment: these tests talk to 127.0.0.1 directly.
const std::map<std::string, std::string> k_no_proxy = {{"http_proxy", ""},
                                                       {"https_proxy", ""},
                                                       {"HTTPS_PROXY", ""},
                                                       {"all_proxy", ""},
                                                       {"ALL_PROXY", ""}};

class FetchCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_photo = testing::read_text(testing::fixture("camera.jpg"));
    m_http.server().Get(R"(/.*\.jpg)",
                        [this](const httplib::Request& request, httplib::Response& response) {
                          if (request.path.find("missing") != std::string::npos) {
                            response.status = 404;
                            return;
                          }
                          if (request.get_header_value("If-None-Match") == "\"v1\"") {
                            response.status = 304;
                            return;
                          }
                          response.set_header("ETag", "\"v1\"");
                          response.set_content(m_photo, "image/jpeg");
                        });
    ASSERT_TRUE(m_http.start());
  }

  testing::ProcessResult fetch(std::vector<std::string> arguments,
                               const std::map<std::string, std::string>& environment = k_no_proxy) {
    arguments.insert(arguments.begin(), {"fetch", "--out", m_out.path().string()});
    return run_pressroom(arguments, environment);
  }

  TempDir m_out;
  TestHttpServer m_http;
  std::string m_photo;
};

TEST_F(FetchCommandTest, PrintsOneJsonLinePerUrlAndFailsWhenOneFails) {
  const auto result = fetch({m_http.url("/a/photo.jpg"), m_http.url("/b/missing.jpg"),
                             "--allow-host", "127.0.0.1", "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find(m_http.url("/b/missing.jpg") + ": HTTP 404 Not Found"),
            std::string::npos)
      << result.err;
  const auto lines = testing::json_lines(result.out);
  ASSERT_EQ(lines.size(), 2U) << result.out;
  const auto& fetched = lines[0]["outcome"] == "fetched" ? lines[0] : lines[1];
  const auto& failed = lines[0]["outcome"] == "fetched" ? lines[1] : lines[0];
  const auto file = m_out / "photo.jpg";
  EXPECT_EQ(fetched["url"], m_http.url("/a/photo.jpg"));
  EXPECT_EQ(fetched["final_url"], m_http.url("/a/photo.jpg"));
  EXPECT_EQ(fetched["status"], 200);
  EXPECT_EQ(fetched["file"], file.string());
  EXPECT_EQ(fetched["bytes"], m_photo.size());
  EXPECT_EQ(fetched["type"], "jpeg");
  EXPECT_EQ(fetched["etag"], "\"v1\"");
  EXPECT_EQ(fetched["attempts"], 1);
  EXPECT_TRUE(fetched["seconds"].is_number());
  EXPECT_TRUE(fetched["error"].is_null());
  const auto sha256sum = testing::run_process({"/usr/bin/sha256sum", file.string()});
  EXPECT_EQ(fetched["sha256"], sha256sum.out.substr(0, 64));
  EXPECT_EQ(failed["outcome"], "failed");
  EXPECT_EQ(failed["status"], 404);
  EXPECT_EQ(failed["error_kind"], "http_status");
  EXPECT_TRUE(failed["file"].is_null());
}

TEST_F(FetchCommandTest, RefusesLoopbackUnlessTheHostIsAllowed) {
  const auto refused = fetch({m_http.url("/a/photo.jpg")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("127.0.0.1 is a loopback address; allow it with --allow-host "
                             "127.0.0.1 or --allow-private"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(m_out / "photo.jpg"));

  // Regression: --allow-host before the URLs once took them all as hosts.
  const auto allowed =
      fetch({"--allow-host", "127.0.0.1", m_http.url("/a/photo.jpg"), m_http.url("/b/other.jpg")});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(testing::read_text(m_out / "photo.jpg"), m_photo);
  EXPECT_EQ(testing::read_text(m_out / "other.jpg"), m_photo);
  EXPECT_NE(allowed.out.find("2 of 2 fetched or unchanged, 0 failed"), std::string::npos)
      << allowed.out;
}

TEST_F(FetchCommandTest, SaysUnchangedForTheETagOfAnEarlierFetch) {
  const auto result = fetch({m_http.url("/a/photo.jpg"), "--allow-private", "--etag", "\"v1\""});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("unchanged  " + m_http.url("/a/photo.jpg")), std::string::npos)
      << result.out;
  EXPECT_FALSE(std::filesystem::exists(m_out / "photo.jpg"));

  const auto two = fetch({m_http.url("/a/photo.jpg"), m_http.url("/b/photo.jpg"), "--etag", "x"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("--etag and --last-modified belong to one URL"), std::string::npos);
}

TEST_F(FetchCommandTest, NamesFilesSafelyAndUniquely) {
  const auto result =
      fetch({m_http.url("/a/photo.jpg"), m_http.url("/b/PHOTO.jpg"),
             m_http.url("/c/..%2F..%2Fevil.jpg"), m_http.url("/d/.jpg"), "--allow-private"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(m_out / "photo.jpg"));
  EXPECT_TRUE(std::filesystem::exists(m_out / "PHOTO-2.jpg"));  // unique without case
  EXPECT_TRUE(std::filesystem::exists(m_out / "_.._evil.jpg"));
  EXPECT_TRUE(std::filesystem::exists(m_out / "jpg"));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(m_out.path())) {
    ++files;
  }
  EXPECT_EQ(files, 4U);  // nothing outside the folder, no .part left
}

TEST_F(FetchCommandTest, ShowsAProgressLineOnlyOnATerminal) {
  const std::string command = std::string(PRESSROOM_BINARY) + " fetch --out " +
                              m_out.path().string() + " --allow-private " +
                              m_http.url("/a/photo.jpg");
  // script(1) runs the command on a pseudo-terminal.
  const auto on_terminal =
      testing::run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, k_no_proxy);
  EXPECT_EQ(on_terminal.exit_code, 0) << on_terminal.out << on_terminal.err;
  EXPECT_NE(on_terminal.out.find("\r\033[K1/1 done, 0.7 MB"), std::string::npos) << on_terminal.out;

  const auto piped = fetch({m_http.url("/a/photo.jpg"), "--allow-private"});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out.find('\r'), std::string::npos) << piped.out;
  EXPECT_EQ(piped.out.find("done,"), std::string::npos) << piped.out;
}

TEST_F(FetchCommandTest, GoesThroughTheProxyOfTheEnvironment) {
  std::mutex mutex;
  std::string target;
  TestHttpServer proxy;  // an HTTP proxy gets the absolute URL as the request target
  proxy.server().Get(".*", [&](const httplib::Request& request, httplib::Response& response) {
    const std::lock_guard lock(mutex);
    target = request.target;
    response.set_content(m_photo, "image/jpeg");
  });
  ASSERT_TRUE(proxy.start());

  auto environment = k_no_proxy;
  environment["http_proxy"] = proxy.url("");
  const auto result = fetch({"http://photos.example/pressedienst/bild.jpg", "--json"}, environment);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target, "http://photos.example/pressedienst/bild.jpg");
  EXPECT_EQ(testing::read_text(m_out / "bild.jpg"), m_photo);

  environment["no_proxy"] = ".example";  // now direct: photos.example does not resolve here
  target.clear();
  const auto direct =
      fetch({"http://photos.example/pressedienst/bild.jpg", "--retries", "0"}, environment);
  EXPECT_EQ(direct.exit_code, 1);
  EXPECT_TRUE(target.empty());
}

TEST_F(FetchCommandTest, RejectsAMalformedHostMapping) {
  const auto result = fetch({m_http.url("/a/photo.jpg"), "--connect-to", "www.duesseldorf.de"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("www.duesseldorf.de: not in the form "
                            "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace pressroom
