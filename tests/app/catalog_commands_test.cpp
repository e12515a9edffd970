// End to end: the catalog commands on a real library of real photos, through the binary.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::fixture;
using testing::json_lines;
using testing::run_pressroom;

class CatalogCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto created = run_pressroom({"init", m_library.string()});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const auto imported =
        run({"import", fixture("base.jpg").string(), fixture("camera.jpg").string(),
             fixture("progressive.jpg").string(), "--json"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    for (const auto& line : json_lines(imported.out)) {
      if (line.contains("photo")) {
        m_ids.push_back(std::to_string(line["photo"]["id"].get<std::int64_t>()));
      }
    }
    ASSERT_EQ(m_ids.size(), 3U) << imported.out;
  }

  testing::ProcessResult run(std::vector<std::string> arguments, const std::string& user = "anna") {
    arguments.insert(arguments.begin(), {"--library", m_library.string()});
    return run_pressroom(arguments, {{"PRESSROOM_USER", user}});
  }

  nlohmann::json search(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "search");
    arguments.emplace_back("--json");
    const auto result = run(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const auto lines = json_lines(result.out);
    return lines.empty() ? nlohmann::json() : lines.front();
  }

  static std::vector<std::string> result_ids(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& result : page["results"]) {
      out.push_back(std::to_string(result["id"].get<std::int64_t>()));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::TempDir m_dir;
  std::filesystem::path m_library = m_dir / "library";
  std::vector<std::string> m_ids;
};

TEST_F(CatalogCommands, EditsAreSearchableAndShownWithJson) {
  auto done = run({"caption", "set", m_ids[0], "Oberbürgermeister begrüßt Gäste an der Straße"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  done = run({"tag", "add", m_ids[0], m_ids[1], "Event|Living Together 2019", "--json"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  const auto tagged = json_lines(done.out).at(0);
  EXPECT_EQ(tagged["action"], "tag add");
  EXPECT_EQ(tagged["changed"], 2);
  done = run({"person", "add", m_ids[0], "Marc-André Hergenröder", "--position", "1"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  done = run({"credit", "set", m_ids[0], m_ids[2], "--photographer", "David Young",
              "--rights-holder", "Landeshauptstadt Düsseldorf"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.out.find("©Landeshauptstadt Düsseldorf/David Young"), std::string::npos);
  done = run({"licence", "set", m_ids[1], "--usage-terms", "Nur redaktionell", "--editorial-only",
              "--from", "2030-01-01"});
  ASSERT_EQ(done.exit_code, 0) << done.err;

  EXPECT_EQ(result_ids(search({"strasse"})), (std::vector<std::string>{m_ids[0]}));
  EXPECT_EQ(result_ids(search({"hergenroder"})), (std::vector<std::string>{m_ids[0]}));
  EXPECT_EQ(result_ids(search({"--tag", "event"})), (std::vector<std::string>{m_ids[0], m_ids[1]}));
  EXPECT_EQ(result_ids(search({"--photographer", "young"})),
            (std::vector<std::string>{m_ids[0], m_ids[2]}));
  EXPECT_EQ(result_ids(search({"--licence", "embargoed"})), (std::vector<std::string>{m_ids[1]}));
  const auto page = search({"dusseldorf", "--per-page", "1", "--page", "2"});
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["pages"], 2);
  ASSERT_EQ(page["results"].size(), 1U);
  const auto found = search({"strasse"});
  const auto& first = found["results"][0];
  EXPECT_EQ(first["caption"], "Oberbürgermeister begrüßt Gäste an der Straße");
  EXPECT_EQ(first["credit"]["credit_line"], "©Landeshauptstadt Düsseldorf/David Young");
  EXPECT_EQ(first["people"][0]["name"], "Marc-André Hergenröder");
  EXPECT_EQ(first["tags"][0], "Event|Living Together 2019");

  const auto shown = run({"show", m_ids[1], "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto details = json_lines(shown.out).at(0);
  EXPECT_EQ(details["licence"]["state"], "embargoed");
  EXPECT_EQ(details["licence"]["editorial_only"], true);
}

// Issue 6: show puts the original's own metadata beside the catalog's and marks where they
// disagree; values that agree (up to Unicode form and spacing) are not marked.
TEST_F(CatalogCommands, ShowMarksWhereTheFileDisagreesWithTheCatalog) {
  const auto imported = run({"import", fixture("meta-full.jpg").string(), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string id =
      std::to_string(json_lines(imported.out).at(0)["photo"]["id"].get<std::int64_t>());
  ASSERT_EQ(run({"caption", "set", id, "Das Stadtfest am Rheinufer"}).exit_code, 0);
  ASSERT_EQ(run({"credit", "set", id, "--photographer", "Marc-André Hergenröder", "--rights-holder",
                 "Landeshauptstadt Düsseldorf"})
                .exit_code,
            0);
  // The same name with a combining diaeresis: not a disagreement.
  ASSERT_EQ(run({"person", "add", id, "Dr. Stephan Keller"}).exit_code, 0);
  ASSERT_EQ(run({"person", "add", id, "Be\u0301ouinde\u0301 Zongo"}).exit_code, 0);

  const auto shown = run({"show", id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto details = json_lines(shown.out).at(0);
  EXPECT_EQ(details["embedded"]["caption"],
            "Oberbürgermeister Dr. Stephan Keller eröffnet das Fest am Rheinufer");
  EXPECT_EQ(details["embedded"]["creators"][0], "Marc-André Hergenröder");
  EXPECT_EQ(details["embedded"]["usage_terms"], "Nur für redaktionelle Berichterstattung");
  EXPECT_EQ(details["embedded"]["iso"], 400);
  std::map<std::string, std::string> differs;
  for (const auto& disagreement : details["disagreements"]) {
    differs[disagreement["field"]] = disagreement["file"];
  }
  EXPECT_EQ(differs,
            (std::map<std::string, std::string>{
                {"caption", "Oberbürgermeister Dr. Stephan Keller eröffnet das Fest am Rheinufer"},
                {"credit_line", "Landeshauptstadt Düsseldorf"}}));

  const auto text = run({"show", id});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("DIFFERS caption: catalog \"Das Stadtfest am Rheinufer\", file "
                          "\"Oberbürgermeister"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("DIFFERS photographer"), std::string::npos) << text.out;
}

TEST_F(CatalogCommands, HistoryListsEveryChangeWithItsAuthor) {
  ASSERT_EQ(run({"caption", "set", m_ids[0], "Erste Fassung"}, "anna").exit_code, 0);
  ASSERT_EQ(run({"caption", "set", m_ids[0], "Zweite Fassung"}, "ben").exit_code, 0);
  const auto history = run({"history", m_ids[0], "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const auto lines = json_lines(history.out);
  ASSERT_EQ(lines.size(), 3U) << history.out;
  EXPECT_EQ(lines[0]["action"], "photo.add");
  EXPECT_EQ(lines[0]["who"], "anna");  // the import names the user too
  EXPECT_EQ(lines[2]["who"], "ben");
  EXPECT_EQ(lines[2]["before"], "Erste Fassung");
  EXPECT_EQ(lines[2]["after"], "Zweite Fassung");
}

TEST_F(CatalogCommands, SavedSearchesNameManyPhotosAtOnce) {
  ASSERT_EQ(run({"tag", "add", m_ids[0], m_ids[1], "Serie"}).exit_code, 0);
  const auto saved = run({"search", "--tag", "serie", "--save", "serie"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_NE(saved.out.find("saved 2 photos as @serie"), std::string::npos) << saved.out;
  const auto licenced = run({"licence", "set", "@serie", "--usage-terms", "frei", "--json"});
  ASSERT_EQ(licenced.exit_code, 0) << licenced.err;
  EXPECT_EQ(json_lines(licenced.out).at(0)["changed"], 2);
  EXPECT_EQ(run({"tag", "add", "@nichts", "X"}).exit_code, 4);
}

TEST_F(CatalogCommands, BadInputIsRefusedWithItsReasonAndAnExitCode) {
  // An unknown photo among several: exit 4, and none of them changed.
  auto result = run({"tag", "add", m_ids[0], "999999", "Event"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("999999"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("nothing was changed"), std::string::npos);
  EXPECT_TRUE(result_ids(search({"--tag", "event"})).empty());
  // Invalid values: exit 2.
  result = run({"licence", "set", m_ids[0], "--usage-terms", "x", "--until", "2026-02-30"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("2026-02-30"), std::string::npos) << result.err;
  result = run({"caption", "set", m_ids[0], std::string(5000, 'x')});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("at most 4000"), std::string::npos) << result.err;
  result = run({"search", "--from", "gestern"});
  EXPECT_EQ(result.exit_code, 2);
  result = run({"person", "remove", m_ids[0], "Niemand"});
  EXPECT_EQ(result.exit_code, 4);
  result = run({"search", "--orientation", "diagonal"});
  EXPECT_EQ(result.exit_code, 2);
  // Nothing above reached the audit log.
  const auto history = run({"history", m_ids[0], "--json"});
  EXPECT_EQ(json_lines(history.out).size(), 1U);
}

TEST_F(CatalogCommands, BackupAndCheck) {
  const auto copy = m_dir / "backup.sqlite";
  auto result = run({"backup", copy.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(copy));
  result = run({"backup", copy.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("exists already"), std::string::npos);
  result = run({"check", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto report = json_lines(result.out).at(0);
  EXPECT_EQ(report["ok"], true);
  EXPECT_EQ(report["photos"], 3);
  EXPECT_EQ(report["indexed"], 3);
  // A lost index is rebuilt by check --repair (and on open); check then passes again.
  std::filesystem::remove_all(m_library / "catalog.sqlite-search");
  result = run({"check", "--repair"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result_ids(search({})).size(), 3U);
}

}  // namespace
}  // namespace pressroom
