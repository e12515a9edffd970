// The main job end to end: the seed release imported by its real https://www.duesseldorf.de
// URLs from pressroom-mirror (the demo's local stand-in for the press service's server) by the
// pressroom binary, as README command 1 runs it; then run again, and killed and run again.

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "http_test_server.hpp"
#include "spawned_process.hpp"
#include "test_support.hpp"

namespace pressroom::testing {
namespace {

using namespace std::chrono_literals;

const std::string k_photographer = "Marc-Andr\u00E9 Hergenr\u00F6der";
constexpr int k_entries = 50;
constexpr int k_broken_entry = 13;  // its URL ends in "_jpg": not on the mirror, a 404

const TestCertificates& certificates() {
  static const TempDir folder;
  static const TestCertificates made = make_test_certificates(folder.path());
  return made;
}

// One line of the mirror's log: METHOD PATH STATUS BODY_BYTES IF-NONE-MATCH.
struct LogLine {
  std::string method;
  std::string path;
  int status = 0;
  std::uint64_t bytes = 0;
};

class SeedReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(certificates().ca.empty());
    m_mirror.emplace(
        std::vector<std::string>{PRESSROOM_MIRROR_BINARY, "--root", PRESSROOM_MIRROR_PHOTOS,
                                 "--cert", certificates().cert.string(), "--key",
                                 certificates().key.string(), "--port", "0", "--port-file",
                                 (m_dir / "port").string(), "--log", log_file().string(),
                                 "--idle-exit", "600"},
        m_dir / "mirror.out", m_dir / "mirror.err");
    ASSERT_TRUE(m_mirror->started());
    m_port = m_mirror->wait_for_number(m_dir / "port", 10s);
    ASSERT_GT(m_port, 0) << read_text(m_dir / "mirror.err");
  }

  std::filesystem::path log_file() const { return m_dir / "requests.log"; }

  std::vector<std::string> import_arguments(const std::string& library) const {
    return {PRESSROOM_BINARY, "--library",
            library,          "--json",
            "import",         release_fixture("001_7ff45f0d1d94c85c.txt").string(),
            "--connect-to",   "www.duesseldorf.de:443:127.0.0.1:" + std::to_string(m_port),
            "--cacert",       certificates().ca.string()};
  }

  ProcessResult import(const std::string& library) const {
    auto arguments = import_arguments(library);
    arguments.erase(arguments.begin());
    return run_pressroom(arguments);
  }

  std::string new_library(const std::string& name) const {
    std::string library = (m_dir / name).string();
    const auto made = run_pressroom({"init", library});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return library;
  }

  std::vector<LogLine> log() const {
    std::vector<LogLine> lines;
    std::istringstream text(read_text(log_file()));
    for (std::string line; std::getline(text, line);) {
      std::istringstream fields(line);
      LogLine parsed;
      std::string status;
      std::string bytes;
      std::getline(fields, parsed.method, '\t');
      std::getline(fields, parsed.path, '\t');
      std::getline(fields, status, '\t');
      std::getline(fields, bytes, '\t');
      parsed.status = std::stoi(status);
      parsed.bytes = std::stoull(bytes);
      lines.push_back(parsed);
    }
    return lines;
  }

  // What the catalog says about the release: per entry its photo's hash and credit line.
  static std::string catalog_state(const std::string& library) {
    const auto file = std::filesystem::path(library) / "catalog.sqlite";
    return sql(file,
               "SELECT group_concat(e.position || '=' || ifnull(p.sha256, '-') || '/' || "
               "ifnull(c.credit_line, '-'), ' ') FROM (SELECT * FROM entries ORDER BY position) e "
               "LEFT JOIN photos p ON p.id = e.photo_id LEFT JOIN credits c ON c.id = "
               "p.credit_id") +
           " photos=" + sql(file, "SELECT count(*) FROM photos") +
           " releases=" + sql(file, "SELECT count(*) FROM releases") +
           " failed_sources=" + sql(file, "SELECT count(*) FROM sources WHERE error IS NOT NULL");
  }

  TempDir m_dir;
  std::optional<SpawnedProcess> m_mirror;
  int m_port = 0;
};

TEST_F(SeedReleaseTest, FortyNinePhotosAreImportedWithTheirCreditsAndTheBrokenUrlIsRecorded) {
  const std::string library = new_library("library");
  const auto result = import(library);
  EXPECT_EQ(result.exit_code, 1) << "one entry failed\n" << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_FALSE(lines.empty());
  std::map<std::string, int> states;
  nlohmann::json broken;
  for (const auto& line : lines) {
    if (line.contains("state")) {
      ++states[line["state"].get<std::string>()];
      if (line["state"] == "failed") {
        broken = line;
      }
    }
  }
  EXPECT_EQ(states["imported"], 49);
  EXPECT_EQ(states["failed"], 1);
  ASSERT_FALSE(broken.is_null());
  EXPECT_EQ(broken["position"], k_broken_entry);
  EXPECT_EQ(broken["error"]["kind"], "http_status");
  EXPECT_NE(broken["error"]["message"].get<std::string>().find("404"), std::string::npos);
  EXPECT_NE(broken["url"].get<std::string>().find("190831-LT_1_jpg"), std::string::npos);
  EXPECT_NE(result.err.find("190831-LT_1_jpg"), std::string::npos) << "named on stderr";
  const auto& summary = lines.back()["summary"];
  EXPECT_EQ(summary["imported"], 49);
  EXPECT_EQ(summary["failed"], 1);

  const auto catalog = std::filesystem::path(library) / "catalog.sqlite";
  EXPECT_EQ(sql(catalog, "SELECT count(*) FROM entries"), std::to_string(k_entries));
  EXPECT_EQ(sql(catalog, "SELECT count(*) FROM photos"), "49");
  EXPECT_EQ(sql(catalog, "SELECT count(*) FROM entries WHERE photo_id IS NULL"), "1");
  EXPECT_EQ(sql(catalog, "SELECT count(DISTINCT sha256) FROM photos"), "49");
  EXPECT_EQ(sql(catalog, "SELECT position FROM entries WHERE photo_id IS NULL"),
            std::to_string(k_broken_entry));
  EXPECT_NE(sql(catalog, "SELECT error FROM sources WHERE url LIKE '%LT_1_jpg'").find("404"),
            std::string::npos);
  EXPECT_EQ(sql(catalog,
                "SELECT count(*) FROM sources WHERE etag IS NOT NULL AND photo_id IS "
                "NOT NULL"),
            "49");
  EXPECT_EQ(sql(catalog, "SELECT date FROM releases"), "2019-09-01");
  EXPECT_NE(sql(catalog, "SELECT title FROM release_texts WHERE language = 'de'")
                .find("Metropolen-Repr\u00E4sentanten"),
            std::string::npos);

  // Every photo: original and both renditions on disk, the entry's caption and credit.
  const auto listed = run_pressroom({"--library", library, "list", "--json"});
  const auto photos = json_lines(listed.out);
  ASSERT_EQ(photos.size(), 49U);
  for (const auto& photo : photos) {
    for (const char* file : {"original", "thumbnail", "preview"}) {
      EXPECT_TRUE(std::filesystem::exists(photo["files"][file].get<std::string>())) << photo;
    }
    EXPECT_EQ(photo["imported_from"].get<std::string>().rfind(
                  "https://www.duesseldorf.de/fileadmin/Amt13/pressebilder/", 0),
              0U);
  }

  const auto hergenroeder =
      run_pressroom({"--library", library, "--json", "search", "--photographer", k_photographer});
  ASSERT_EQ(hergenroeder.exit_code, 0) << hergenroeder.err;
  const auto found = nlohmann::json::parse(hergenroeder.out);
  EXPECT_EQ(found["total"], 38) << "entries 12-50 but the broken one";
  for (const auto& hit : found["results"]) {
    EXPECT_EQ(hit["credit"]["photographer"], k_photographer);
    EXPECT_EQ(hit["credit"]["rights_holder"], "Landeshauptstadt D\u00FCsseldorf");
  }
  const auto young =
      run_pressroom({"--library", library, "--json", "search", "--photographer", "David Young"});
  EXPECT_EQ(nlohmann::json::parse(young.out)["total"], 11);

  // Entry 1: "V.l.: OB Thomas Geisel (Düsseldorf), OB Mohamed Sadiki (Rabat), …".
  const std::string first = sql(catalog, "SELECT photo_id FROM entries WHERE position = 1");
  const auto shown = run_pressroom({"--library", library, "--json", "show", first});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto details = nlohmann::json::parse(shown.out);
  EXPECT_EQ(details["caption"].get<std::string>().rfind("V.l.: OB Thomas Geisel", 0), 0U)
      << details["caption"];
  ASSERT_GE(details["people"].size(), 6U) << details["people"];
  EXPECT_EQ(details["people"][0]["name"], "Thomas Geisel");
  EXPECT_EQ(details["credit"]["credit_line"], "\u00A9Landeshauptstadt D\u00FCsseldorf/David Young");

  const auto checked = run_pressroom({"--library", library, "check"});
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
}

TEST_F(SeedReleaseTest, RunAgainEveryPhotoIsUnchangedByA304AndNoPhotoBytesAreSent) {
  const std::string library = new_library("library");
  ASSERT_EQ(import(library).exit_code, 1);
  const std::string before = catalog_state(library);
  const std::size_t first_run = log().size();
  EXPECT_EQ(first_run, 50U);

  const auto again = import(library);
  EXPECT_EQ(again.exit_code, 1) << "the broken URL fails again\n" << again.err;
  const auto again_lines = json_lines(again.out);
  ASSERT_FALSE(again_lines.empty());
  const auto& summary = again_lines.back()["summary"];
  EXPECT_EQ(summary["imported"], 0);
  EXPECT_EQ(summary["unchanged"], 49);
  EXPECT_EQ(summary["failed"], 1);
  EXPECT_EQ(summary["bytes_fetched"], 0);
  const auto lines = log();
  ASSERT_EQ(lines.size(), 100U);
  int not_modified = 0;
  for (std::size_t i = first_run; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].bytes, 0U) << lines[i].path;
    not_modified += lines[i].status == 304 ? 1 : 0;
  }
  EXPECT_EQ(not_modified, 49);
  EXPECT_EQ(catalog_state(library), before);
}

TEST_F(SeedReleaseTest, KilledAtRandomPointsAndImportedAgainGivesTheSameCatalog) {
  const std::string reference = new_library("reference");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(import(reference).exit_code, 1);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string expected = catalog_state(reference);

  for (const unsigned seed : {1U, 2U, 3U}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string library = new_library("killed-" + std::to_string(seed));
    std::mt19937 random(seed);
    // Somewhere in the import, whatever this machine's speed: 5 % to 95 % of a whole run.
    const auto delay = std::chrono::milliseconds(
        std::uniform_int_distribution<long>(took.count() / 20, took.count() * 19 / 20)(random));
    const auto out = m_dir / ("killed-" + std::to_string(seed) + ".out");
    {
      SpawnedProcess running(import_arguments(library), out, m_dir / "killed.err");
      ASSERT_TRUE(running.started());
      std::this_thread::sleep_for(delay);
      running.send(SIGKILL);
      EXPECT_EQ(running.wait_for_exit(10s), 128 + SIGKILL) << "killed in the middle";
    }
    // Nothing reported imported is lost.
    const auto catalog = std::filesystem::path(library) / "catalog.sqlite";
    for (const auto& line : json_lines(read_text(out))) {
      if (line.contains("photo")) {
        const auto sha256 = line["photo"]["sha256"].get<std::string>();
        EXPECT_EQ(sql(catalog, "SELECT count(*) FROM photos WHERE sha256 = '" + sha256 + "'"), "1");
        EXPECT_EQ(sql(catalog, "SELECT count(*) FROM entries WHERE photo_id = " +
                                   std::to_string(line["photo"]["id"].get<int>())),
                  "1");
      }
    }
    const auto repaired = run_pressroom({"--library", library, "check", "--repair"});
    EXPECT_EQ(repaired.exit_code, 0) << repaired.out;
    const auto resumed = import(library);
    EXPECT_EQ(resumed.exit_code, 1) << resumed.err;
    EXPECT_EQ(catalog_state(library), expected);
    const auto checked = run_pressroom({"--library", library, "check"});
    EXPECT_EQ(checked.exit_code, 0) << checked.out;
  }
}

TEST_F(SeedReleaseTest, PeakMemoryOfAManifestImportDoesNotGrowWithItsLength) {
  const auto parsed = run_pressroom(
      {"release", "parse", "--json", release_fixture("001_7ff45f0d1d94c85c.txt").string()});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  std::vector<std::string> urls;
  const auto release = nlohmann::json::parse(parsed.out);
  for (const auto& photo : release["photos"]) {
    const auto url = photo["url"].get<std::string>();
    if (url.find("_jpg") == std::string::npos) {
      urls.push_back(url);
    }
  }
  ASSERT_EQ(urls.size(), 49U);
  std::map<int, long> peak;
  for (const int lines : {1000, 10000}) {
    std::ofstream manifest(m_dir / ("manifest-" + std::to_string(lines) + ".csv"));
    manifest << "url,caption,tags\n";
    for (int line = 0; line < lines; ++line) {
      manifest << urls[static_cast<std::size_t>(line) % urls.size()] << ",Foto " << line + 1
               << ",Living Together\n";
    }
    manifest.close();
    const std::string library = new_library("manifest-" + std::to_string(lines));
    auto arguments = import_arguments(library);
    arguments.at(5) = (m_dir / ("manifest-" + std::to_string(lines) + ".csv")).string();
    const auto rss_file = m_dir / ("rss-" + std::to_string(lines));
    arguments.insert(arguments.begin(), {"/usr/bin/time", "-f", "%M", "-o", rss_file.string()});
    const auto result = run_process(arguments, {}, 600);
    ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
    const auto lines_out = json_lines(result.out);
    ASSERT_FALSE(lines_out.empty());
    const auto& summary = lines_out.back()["summary"];
    EXPECT_EQ(summary["imported"], 49);
    EXPECT_EQ(summary["unchanged"], lines - 49);
    EXPECT_EQ(sql(std::filesystem::path(library) / "catalog.sqlite",
                  "SELECT count(*) FROM entries WHERE photo_id IS NOT NULL"),
              std::to_string(lines));
    peak[lines] = std::stol(read_text(rss_file));
    RecordProperty("peak_rss_kib_" + std::to_string(lines), std::to_string(peak[lines]));
    std::cout << "manifest of " << lines << " lines: peak RSS " << peak[lines] / 1024 << " MiB\n";
  }
  // Ten times the lines: the same memory, give or take what the allocator keeps (measured:
  // 53.8 against 55.7 MB).
  EXPECT_LT(peak[10000], peak[1000] + peak[1000] / 5) << "peak RSS grows with the manifest";
}

TEST_F(SeedReleaseTest, OnATerminalAProgressLineRunsAndASummaryTableEnds) {
  const std::string library = new_library("library");
  auto arguments = import_arguments(library);
  arguments.erase(arguments.begin() + 3);  // no --json
  std::string command;
  for (const auto& argument : arguments) {
    command += "'" + argument + "' ";
  }
  // script(1) runs the command on a pseudo-terminal.
  const auto on_terminal = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
  const std::string& out = on_terminal.out;
  EXPECT_NE(out.find("\r\033[K"), std::string::npos) << out.substr(0, 3000);
  EXPECT_NE(out.find("/50 entries, "), std::string::npos) << out.substr(0, 3000);
  EXPECT_NE(out.find(" MB/s, "), std::string::npos);
  EXPECT_NE(out.find(" failed"), std::string::npos);
  EXPECT_NE(out.find("  imported          49"), std::string::npos) << out;
  EXPECT_NE(out.find("  failed             1"), std::string::npos) << out;
  EXPECT_NE(out.find("Failed:"), std::string::npos) << out;
  EXPECT_NE(out.find("photo 13): https://www.duesseldorf.de/fileadmin/Amt13/pressebilder/1908/"
                     "190831-LT_1_jpg: HTTP 404"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("49 imported, 0 unchanged, 1 failed"), std::string::npos);

  auto piped = run_pressroom(std::vector<std::string>(arguments.begin() + 1, arguments.end()));
  EXPECT_EQ(piped.exit_code, 1);
  EXPECT_EQ(piped.out.find('\r'), std::string::npos) << "no progress line into a pipe";
  EXPECT_NE(piped.out.find("0 imported, 49 unchanged, 1 failed"), std::string::npos) << piped.out;
}

TEST_F(SeedReleaseTest, CtrlCStopsCleanlyAndTheNextImportFinishesTheRelease) {
  const std::string reference = new_library("reference");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(import(reference).exit_code, 1);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string library = new_library("library");
  {
    SpawnedProcess running(import_arguments(library), m_dir / "interrupted.out",
                           m_dir / "interrupted.err");
    ASSERT_TRUE(running.started());
    std::this_thread::sleep_for(took / 3);
    running.send(SIGINT);
    EXPECT_EQ(running.wait_for_exit(30s), 130) << read_text(m_dir / "interrupted.err");
  }
  const auto lines = json_lines(read_text(m_dir / "interrupted.out"));
  ASSERT_FALSE(lines.empty());
  EXPECT_GT(lines.back()["summary"]["interrupted"].get<int>(), 0) << lines.back();
  const auto incoming = std::filesystem::path(library) / "incoming";
  EXPECT_TRUE(!std::filesystem::exists(incoming) || std::filesystem::is_empty(incoming))
      << "transfers cancelled, their files removed";
  const auto checked = run_pressroom({"--library", library, "check"});
  EXPECT_EQ(checked.exit_code, 0) << "nothing left over: " << checked.out;
  ASSERT_EQ(import(library).exit_code, 1);
  EXPECT_EQ(catalog_state(library), catalog_state(reference));
}

}  // namespace
}  // namespace pressroom::testing
