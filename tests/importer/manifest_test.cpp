#include "importer/manifest.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom::importer {
namespace {

class ManifestTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& text) {
    auto file = m_dir / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

  static std::vector<ManifestRow> read_all(const std::filesystem::path& file,
                                           ManifestFormat format) {
    auto reader = ManifestReader::open(file, format);
    EXPECT_TRUE(reader) << to_string(reader.error());
    std::vector<ManifestRow> rows;
    if (reader) {
      while (auto row = reader->next()) {
        rows.push_back(std::move(*row));
      }
    }
    return rows;
  }

  testing::TempDir m_dir;
};

TEST_F(ManifestTest, DetectsEachFormatFromItsFirstLines) {
  EXPECT_EQ(detect_manifest("url,caption\nhttps://a/b.jpg,x\n"), ManifestFormat::csv);
  EXPECT_EQ(detect_manifest("\xEF\xBB\xBF\"Path\";\"Caption\"\r\na.jpg;x\r\n"),
            ManifestFormat::csv);
  EXPECT_EQ(detect_manifest("{\"url\": \"https://a/b.jpg\"}\n"), ManifestFormat::jsonl);
  EXPECT_EQ(detect_manifest("# photos of the fair\n\nhttps://a/1.jpg\nHTTP://a/2.jpg\n"),
            ManifestFormat::urls);
  EXPECT_EQ(detect_manifest("Pressedienst\n\n01. September 2019\n\nTitel\n"), std::nullopt);
  EXPECT_EQ(detect_manifest("name,caption\na,b\n"), std::nullopt) << "no url or path column";
  EXPECT_EQ(detect_manifest("https://a/1.jpg\nsee the photos above\n"), std::nullopt)
      << "a text that starts with a URL is no URL list";
  EXPECT_EQ(detect_manifest(""), std::nullopt);
}

TEST_F(ManifestTest, CsvFieldsKeepTheirCommasQuotesAndLineBreaks) {
  const auto file = write("photos.csv",
                          "\xEF\xBB\xBFurl,Caption,credit,photographer,rights holder,"
                          "licence_note,tags,people,release,remarks\n"
                          "https://photos.test/a.jpg,\"Der Rhein, am Abend: \"\"Blick\"\"\nzweite "
                          "Zeile\",\u00A9Stadt D\u00FCsseldorf/Anna Schmidt,,,nur redaktionell,"
                          "Event|Fair; Rathaus ;,Thomas Geisel;Anna B,Empfang,ignored\n"
                          "\n"
                          ",,,,,,,,,\n"
                          "https://photos.test/b.jpg,Zweites,,Max Muster,Stadt,,,,,\n");
  const auto rows = read_all(file, ManifestFormat::csv);
  ASSERT_EQ(rows.size(), 2U);
  const ManifestRow& first = rows[0];
  EXPECT_FALSE(first.error) << *first.error;
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.url, "https://photos.test/a.jpg");
  EXPECT_EQ(first.caption, "Der Rhein, am Abend: \"Blick\"\nzweite Zeile");
  EXPECT_EQ(first.credit, "\u00A9Stadt D\u00FCsseldorf/Anna Schmidt");
  EXPECT_EQ(first.licence_note, "nur redaktionell");
  EXPECT_EQ(first.tags, (std::vector<std::string>{"Event|Fair", "Rathaus"}));
  EXPECT_EQ(first.people, (std::vector<std::string>{"Thomas Geisel", "Anna B"}));
  EXPECT_EQ(first.release, "Empfang");
  const ManifestRow& second = rows[1];
  EXPECT_EQ(second.line, 4) << "records count from the header; an empty line is none, a row of "
                               "empty fields is one";
  EXPECT_EQ(second.photographer, "Max Muster");
  EXPECT_EQ(second.rights_holder, "Stadt");
}

TEST_F(ManifestTest, SemicolonCsvOfASpreadsheetListsWithCommas) {
  const auto file = write("export.csv",
                          "path;caption;tags\r\nbilder/a.jpg;Erstes;Stadt,Rathaus\r\n"
                          "b.jpg;\"Zweites; mit Semikolon\";\r\n");
  const auto rows = read_all(file, ManifestFormat::csv);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].path, "bilder/a.jpg");
  EXPECT_EQ(rows[0].tags, (std::vector<std::string>{"Stadt", "Rathaus"}));
  EXPECT_EQ(rows[1].caption, "Zweites; mit Semikolon");
}

TEST_F(ManifestTest, BadRowsCarryTheirReasonAndTheOthersAreRead) {
  const auto file = write("photos.csv",
                          "url,path,caption\n"
                          ",,nothing to fetch\n"
                          "https://photos.test/a.jpg,a.jpg,both\n"
                          "https://photos.test/\xFF.jpg,,not utf-8\n"
                          "https://photos.test/ok.jpg,,fine\n");
  const auto rows = read_all(file, ManifestFormat::csv);
  ASSERT_EQ(rows.size(), 4U);
  ASSERT_TRUE(rows[0].error);
  EXPECT_NE(rows[0].error->find("record 2 has neither a url nor a path"), std::string::npos)
      << *rows[0].error;
  EXPECT_NE(rows[0].error->find(file.string()), std::string::npos);
  ASSERT_TRUE(rows[1].error);
  EXPECT_NE(rows[1].error->find("both"), std::string::npos);
  ASSERT_TRUE(rows[2].error);
  EXPECT_NE(rows[2].error->find("not UTF-8"), std::string::npos);
  EXPECT_FALSE(rows[3].error);
}

TEST_F(ManifestTest, CsvWithoutAUrlOrPathColumnIsRefused) {
  const auto file = write("names.csv", "name,caption\na,b\n");
  auto reader = ManifestReader::open(file, ManifestFormat::csv);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, Errc::invalid_input);
  EXPECT_NE(to_string(reader.error()).find("no `url` or `path` column"), std::string::npos);
  EXPECT_FALSE(ManifestReader::open(m_dir / "missing.csv", ManifestFormat::csv));
}

TEST_F(ManifestTest, JsonLinesWithListsAndLinesThatAreNoObjects) {
  const auto file = write("photos.jsonl",
                          "{\"url\": \"https://photos.test/a.jpg\", \"caption\": \"Erstes\", "
                          "\"tags\": [\"Event|Fair\", \"Rathaus\"], \"people\": \"Anna; Ben\", "
                          "\"release\": null, \"size\": 3}\n"
                          "\n"
                          "not json\n"
                          "[1, 2]\n"
                          "{\"url\": \"https://photos.test/b.jpg\", \"caption\": 7}\n"
                          "{\"path\": \"b.jpg\", \"tags\": [\"a\", 1]}\n");
  const auto rows = read_all(file, ManifestFormat::jsonl);
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_FALSE(rows[0].error);
  EXPECT_EQ(rows[0].tags, (std::vector<std::string>{"Event|Fair", "Rathaus"}));
  EXPECT_EQ(rows[0].people, (std::vector<std::string>{"Anna", "Ben"}));
  ASSERT_TRUE(rows[1].error);
  EXPECT_NE(rows[1].error->find("line 3 is not a JSON object"), std::string::npos)
      << *rows[1].error;
  ASSERT_TRUE(rows[2].error);
  ASSERT_TRUE(rows[3].error);
  EXPECT_NE(rows[3].error->find("\"caption\" must be text"), std::string::npos);
  ASSERT_TRUE(rows[4].error);
  EXPECT_NE(rows[4].error->find("list of texts"), std::string::npos);
}

TEST_F(ManifestTest, UrlListLeavesOutCommentsAndRefusesLinesWithSpaces) {
  const auto file = write(
      "urls.txt",
      "# the fair\nhttps://photos.test/a.jpg\r\n\n  https://photos.test/b.jpg  \nnot a url\n");
  const auto rows = read_all(file, ManifestFormat::urls);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].url, "https://photos.test/a.jpg");
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].url, "https://photos.test/b.jpg");
  ASSERT_TRUE(rows[2].error);
  EXPECT_NE(rows[2].error->find("line 5 is not a URL"), std::string::npos);
}

}  // namespace
}  // namespace pressroom::importer
