// End to end: `pressroom export` on a real library, every result read back with exiftool (not
// with pressroom's own reader), pixels with OpenCV, the ZIP with unzip.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "catalog/catalog.hpp"
#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::fixture;
using testing::json_lines;
using testing::run_pressroom;

const std::string k_credit = "©Landeshauptstadt Düsseldorf/David Young";  // 42 bytes

// exiftool's reading of `tags` ("GROUP:Tag") with family-1 group names: `exiftool -j -n -G1`.
nlohmann::json exiftool_g1(const std::filesystem::path& file,
                           const std::vector<std::string>& tags) {
  std::vector<std::string> command{"/usr/bin/exiftool", "-json", "-n", "-G1"};
  for (const auto& tag : tags) {
    command.push_back("-" + tag);
  }
  command.push_back(file.string());
  const auto parsed = nlohmann::json::parse(testing::run_process(command).out, nullptr, false);
  return parsed.is_array() && !parsed.empty() ? parsed.front() : nlohmann::json::object();
}

class ExportCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run_pressroom({"init", m_library.string()}).exit_code, 0);
    for (const std::string name :
         {"meta-full.jpg", "orientation-6.jpg", "base.png", "camera.jpg"}) {
      const auto imported = run({"import", fixture(name).string(), "--json"});
      ASSERT_EQ(imported.exit_code, 0) << imported.err;
      m_ids[name] =
          std::to_string(json_lines(imported.out).at(0)["photo"]["id"].get<std::int64_t>());
    }
  }

  testing::ProcessResult run(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--library", m_library.string()});
    return run_pressroom(arguments, {{"PRESSROOM_USER", "anna"}});
  }

  void describe(const std::string& id, const std::string& caption) {
    ASSERT_EQ(run({"caption", "set", id, caption}).exit_code, 0);
    ASSERT_EQ(run({"credit", "set", id, "--photographer", "David Young", "--rights-holder",
                   "Landeshauptstadt Düsseldorf"})
                  .exit_code,
              0);
  }

  static std::filesystem::path only_file(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      files.push_back(entry.path());
    }
    EXPECT_EQ(files.size(), 1U);
    return files.empty() ? std::filesystem::path() : files.front();
  }

  testing::TempDir m_dir;
  std::filesystem::path m_library = m_dir / "library";
  std::map<std::string, std::string> m_ids;
};

// Each field the catalog holds, in XMP, IIM and EXIF, read back by exiftool; the credit over
// IIM's 32 bytes is whole in XMP and shortened in IIM, and the export says so once.
TEST_F(ExportCommand, EveryFieldRoundTripsThroughExiftool) {
  const std::string id = m_ids["meta-full.jpg"];
  const std::string caption = "Béouindé Zongo und Marc-André Hergenröder in der Tonhalle";
  describe(id, caption);
  describe(m_ids["camera.jpg"], "Zweites Foto");
  ASSERT_EQ(run({"person", "add", id, "Béouindé Zongo"}).exit_code, 0);
  ASSERT_EQ(run({"person", "add", id, "Marc-André Hergenröder"}).exit_code, 0);
  ASSERT_EQ(run({"tag", "add", id, "Event|Konzert"}).exit_code, 0);
  ASSERT_EQ(run({"licence", "set", id, "--usage-terms", "Nur redaktionell, mit Credit"}).exit_code,
            0);
  const auto out = m_dir / "out";
  const auto exported = run({"export", id, m_ids["camera.jpg"], "--out", out.string(), "--json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  // One notice for the two shortened credits.
  const std::string notice = "IIM Credit (2:110) is limited in IPTC-IIM; 2 photos have";
  ASSERT_NE(exported.err.find(notice), std::string::npos) << exported.err;
  EXPECT_EQ(exported.err.find(notice), exported.err.rfind(notice));
  const std::string file = json_lines(exported.out).at(0)["file"];
  const auto tags = exiftool_g1(file, {"XMP-dc:Description",
                                       "IPTC:Caption-Abstract",
                                       "IFD0:ImageDescription",
                                       "XMP-dc:Creator",
                                       "IPTC:By-line",
                                       "IFD0:Artist",
                                       "XMP-photoshop:Credit",
                                       "IPTC:Credit",
                                       "XMP-dc:Rights",
                                       "IPTC:CopyrightNotice",
                                       "IFD0:Copyright",
                                       "XMP-xmpRights:UsageTerms",
                                       "XMP-iptcExt:PersonInImage",
                                       "XMP-dc:Subject",
                                       "IPTC:Keywords",
                                       "XMP-lr:HierarchicalSubject",
                                       "IPTC:CodedCharacterSet",
                                       "Photoshop:IPTCDigest",
                                       "File:CurrentIPTCDigest",
                                       "XMP-photoshop:Headline"});
  EXPECT_EQ(tags["XMP-dc:Description"], caption);
  EXPECT_EQ(tags["IPTC:Caption-Abstract"], caption);
  EXPECT_EQ(tags["IFD0:ImageDescription"], caption);
  EXPECT_EQ(tags["XMP-dc:Creator"], "David Young");
  EXPECT_EQ(tags["IPTC:By-line"], "David Young");
  EXPECT_EQ(tags["IFD0:Artist"], "David Young");
  EXPECT_EQ(tags["XMP-photoshop:Credit"], k_credit);
  EXPECT_EQ(tags["IPTC:Credit"], "©Landeshauptstadt Düsseldorf/D");  // 32 bytes
  EXPECT_EQ(tags["XMP-dc:Rights"], "©Landeshauptstadt Düsseldorf");
  EXPECT_EQ(tags["IPTC:CopyrightNotice"], "©Landeshauptstadt Düsseldorf");
  EXPECT_EQ(tags["IFD0:Copyright"], "©Landeshauptstadt Düsseldorf");
  EXPECT_EQ(tags["XMP-xmpRights:UsageTerms"], "Nur redaktionell, mit Credit");
  EXPECT_EQ(tags["XMP-iptcExt:PersonInImage"],
            (nlohmann::json{"Béouindé Zongo", "Marc-André Hergenröder"}));
  EXPECT_EQ(tags["XMP-dc:Subject"], "Konzert");
  EXPECT_EQ(tags["IPTC:Keywords"], "Konzert");
  EXPECT_EQ(tags["XMP-lr:HierarchicalSubject"], "Event|Konzert");
  EXPECT_EQ(tags["IPTC:CodedCharacterSet"], "\x1b%G");
  EXPECT_EQ(tags["XMP-photoshop:Headline"], "Fest am Rhein") << "the file's own stays";
  ASSERT_TRUE(tags.contains("Photoshop:IPTCDigest"));
  EXPECT_EQ(tags["Photoshop:IPTCDigest"], tags["File:CurrentIPTCDigest"]);

  // The camera file had no IPTC digest: one is added, and it is current.
  const std::string second = json_lines(exported.out).at(1)["file"];
  const auto camera =
      exiftool_g1(second, {"Photoshop:IPTCDigest", "File:CurrentIPTCDigest", "IFD0:Model"});
  ASSERT_TRUE(camera.contains("Photoshop:IPTCDigest")) << camera.dump();
  EXPECT_EQ(camera["Photoshop:IPTCDigest"], camera["File:CurrentIPTCDigest"]);
  EXPECT_EQ(camera["IFD0:Model"], "Canon EOS 400D DIGITAL") << "the camera's EXIF stays";
}

// Original size: the pixels decode exactly as the original's (JPEG and PNG).
TEST_F(ExportCommand, OriginalSizeLeavesThePixelsAlone) {
  for (const std::string name : {"orientation-6.jpg", "base.png"}) {
    SCOPED_TRACE(name);
    describe(m_ids[name], "Pixel " + name);
    const auto out = m_dir / ("out-" + name);
    const auto exported = run({"export", m_ids[name], "--out", out.string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    const auto file = only_file(out);
    const cv::Mat original = testing::load_image(fixture(name));
    const cv::Mat copy = testing::load_image(file);
    ASSERT_FALSE(copy.empty());
    EXPECT_EQ(testing::mean_abs_difference(original, copy), 0.0);
    EXPECT_EQ(testing::exiftool(file, {"Caption-Abstract"})["Caption-Abstract"], "Pixel " + name);
  }
}

// Exiv2 cannot write into a HEIC: its copy is a JPEG of its full size, as HEIF shows it (the
// EXIF Orientation 6 inside it not applied, and set to 1), carrying the catalog's fields and
// the HEIC's own metadata.
TEST_F(ExportCommand, HeicIsExportedAsAFullSizeCreditedJpeg) {
  const auto imported = run({"import", fixture("exif-orientation-6.heic").string(), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string id =
      std::to_string(json_lines(imported.out).at(0)["photo"]["id"].get<std::int64_t>());
  describe(id, "Vom Handy");
  const auto out = m_dir / "heic";
  const auto exported = run({"export", id, "--out", out.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto file = only_file(out);
  EXPECT_EQ(file.extension(), ".jpg");
  const auto tags = testing::exiftool(file, {"FileType", "ImageWidth", "ImageHeight", "Orientation",
                                             "Caption-Abstract", "XMP-photoshop:Credit"});
  EXPECT_EQ(tags["FileType"], "JPEG");
  EXPECT_EQ(tags["ImageWidth"], 1024);
  EXPECT_EQ(tags["ImageHeight"], 576);
  EXPECT_EQ(tags.value("Orientation", 1), 1);
  EXPECT_EQ(tags["Caption-Abstract"], "Vom Handy");
  EXPECT_EQ(tags["Credit"], k_credit);
  EXPECT_LT(testing::mean_abs_difference(testing::load_image(fixture("reference-1.ppm")),
                                         testing::load_image(file)),
            4.0);
}

// A sized copy is made from the original, upright, and carries the same metadata.
TEST_F(ExportCommand, SizedCopyIsUprightAndCredited) {
  const std::string id = m_ids["orientation-6.jpg"];
  describe(id, "Hochformat");
  const auto out = m_dir / "sized";
  const auto exported = run({"export", id, "--out", out.string(), "--size", "512"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto file = only_file(out);
  const auto tags = testing::exiftool(file, {"ImageWidth", "ImageHeight", "Orientation",
                                             "Caption-Abstract", "XMP-photoshop:Credit"});
  EXPECT_EQ(tags["ImageWidth"], 288);
  EXPECT_EQ(tags["ImageHeight"], 512);
  EXPECT_EQ(tags.value("Orientation", 1), 1);
  EXPECT_EQ(tags["Caption-Abstract"], "Hochformat");
  EXPECT_EQ(tags["Credit"], k_credit);
  // Upright: close to what a viewer shows for the original (jpegtran's reference), scaled.
  cv::Mat reference = testing::load_image(fixture("reference-6.ppm"));
  cv::resize(reference, reference, cv::Size(288, 512), 0, 0, cv::INTER_AREA);
  EXPECT_LT(testing::mean_abs_difference(reference, testing::load_image(file)), 4.0);
}

// File names: date, caption words and photographer, nothing a file system could trip on, and
// unique within one export.
TEST_F(ExportCommand, FileNamesAreSafeAndUnique) {
  const std::string caption = "Rat/Haus: \"Übergabe\" *heute*?\t<Köln|Bonn>\\..";
  describe(m_ids["meta-full.jpg"], caption);
  describe(m_ids["camera.jpg"], caption);
  const auto out = m_dir / "names";
  const auto exported =
      run({"export", m_ids["meta-full.jpg"], m_ids["camera.jpg"], "--out", out.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    names.insert(entry.path().filename().string());
  }
  EXPECT_EQ(names, (std::set<std::string>{
                       "2024-06-21_rat-haus-uebergabe-heute-koeln-bonn_david-young.jpg",
                       "2008-04-20_rat-haus-uebergabe-heute-koeln-bonn_david-young.jpg"}));
  // The same day twice: the second name gets a number.
  ASSERT_EQ(run({"export", m_ids["meta-full.jpg"], m_ids["meta-full.jpg"], m_ids["camera.jpg"],
                 m_ids["camera.jpg"], "--out", (m_dir / "twice").string()})
                .exit_code,
            0);
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(m_dir / "twice")) {
    (void)entry;
    ++count;
  }
  EXPECT_EQ(count, 2U) << "a photo named twice is exported once";
}

// An embargoed or expired photo is refused with the reason, unless --force; the others go on.
TEST_F(ExportCommand, RefusesEmbargoedAndExpiredPhotosUnlessForced) {
  const std::string embargoed = m_ids["meta-full.jpg"];
  const std::string expired = m_ids["camera.jpg"];
  describe(embargoed, "Gesperrt");
  describe(expired, "Abgelaufen");
  describe(m_ids["base.png"], "Frei");
  ASSERT_EQ(
      run({"licence", "set", embargoed, "--usage-terms", "x", "--from", "2099-01-01"}).exit_code,
      0);
  ASSERT_EQ(
      run({"licence", "set", expired, "--usage-terms", "x", "--until", "2001-01-01"}).exit_code, 0);
  const auto out = m_dir / "refused";
  const auto refused =
      run({"export", embargoed, expired, m_ids["base.png"], "--out", out.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("photo " + embargoed + ": embargoed until 2099-01-01"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("photo " + expired + ": licence expired on 2001-01-01"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(only_file(out).extension(), ".png") << "the free photo is exported";
  const auto forced =
      run({"export", embargoed, expired, "--out", (m_dir / "forced").string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
}

// A release as a ZIP: its photos under their names and credits.txt, one line per photo.
TEST_F(ExportCommand, ReleaseZipHoldsPhotosAndCredits) {
  std::int64_t release_id = 0;
  {
    auto catalog = catalog::Catalog::open(m_library / "catalog.sqlite", false);
    ASSERT_TRUE(catalog) << to_string(catalog.error());
    Release release;
    release.date = "2019-09-01";
    release.titles["de"] = "Stadtfest";
    for (int i = 1; i <= 3; ++i) {
      ReleaseEntry entry;
      entry.position = i;
      // The second caption has a line break and a tab, as a caption may: credits.txt keeps
      // one line per photo.
      entry.caption =
          "Foto " + std::to_string(i) + (i == 2 ? " vom\nStadtfest\t" : " vom Stadtfest");
      entry.credit = Credit{k_credit, "Landeshauptstadt Düsseldorf", "David Young"};
      entry.url = "https://www.duesseldorf.de/foto" + std::to_string(i) + ".jpg";
      release.photos.push_back(entry);
    }
    auto id = catalog->add_release(
        release, catalog::ReleaseSource{"stadtfest.txt", std::nullopt, {}}, "anna");
    ASSERT_TRUE(id) << to_string(id.error());
    release_id = *id;
    auto entries = catalog->entries(release_id);
    ASSERT_TRUE(entries);
    const std::vector<std::string> photos{m_ids["camera.jpg"], m_ids["meta-full.jpg"],
                                          m_ids["base.png"]};
    for (std::size_t i = 0; i < 3; ++i) {
      ASSERT_TRUE(catalog->attach_photo(entries->at(i).id, std::stoll(photos[i]), "anna"));
    }
  }
  const auto zip = m_dir / "stadtfest.zip";
  const auto exported = run(
      {"export", "--release", std::to_string(release_id), "--zip", zip.string(), "--size", "400"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_FALSE(std::filesystem::exists(zip.string() + ".part"));
  const auto listing = testing::run_process({"/usr/bin/unzip", "-Z1", zip.string()});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_EQ(listing.out,
            "2019-09-01_foto-1-vom-stadtfest_david-young.jpg\n"
            "2019-09-01_foto-2-vom-stadtfest_david-young.jpg\n"
            "2019-09-01_foto-3-vom-stadtfest_david-young.jpg\n"
            "credits.txt\n");
  const auto credits = testing::run_process({"/usr/bin/unzip", "-p", zip.string(), "credits.txt"});
  EXPECT_EQ(credits.out,
            "2019-09-01_foto-1-vom-stadtfest_david-young.jpg\tFoto 1 vom Stadtfest\t" + k_credit +
                "\t\n"
                "2019-09-01_foto-2-vom-stadtfest_david-young.jpg\tFoto 2 vom Stadtfest\t" +
                k_credit +
                "\t\n"
                "2019-09-01_foto-3-vom-stadtfest_david-young.jpg\tFoto 3 vom Stadtfest\t" +
                k_credit + "\t\n");
  const auto unpacked = m_dir / "unpacked";
  ASSERT_EQ(testing::run_process({"/usr/bin/unzip", "-q", zip.string(), "-d", unpacked.string()})
                .exit_code,
            0);
  const auto tags = testing::exiftool(unpacked / "2019-09-01_foto-1-vom-stadtfest_david-young.jpg",
                                      {"Caption-Abstract", "XMP-dc:Source", "ImageWidth"});
  EXPECT_EQ(tags["Caption-Abstract"], "Foto 1 vom Stadtfest");
  EXPECT_EQ(tags["Source"], "https://www.duesseldorf.de/foto1.jpg");
  EXPECT_EQ(tags["ImageWidth"], 400);
}

// A ZIP that cannot be put in place (here: the name is taken by a folder) is an error naming it,
// with exit code 5, and leaves no half-written .part behind.
TEST_F(ExportCommand, AZipThatCannotBeWrittenLeavesNothingBehind) {
  const auto taken = m_dir / "taken.zip";
  std::filesystem::create_directory(taken);
  const auto exported = run({"export", m_ids["camera.jpg"], "--zip", taken.string()});
  EXPECT_EQ(exported.exit_code, 5) << exported.err;
  EXPECT_NE(exported.err.find(taken.string() + ": cannot rename"), std::string::npos)
      << exported.err;
  EXPECT_FALSE(std::filesystem::exists(taken.string() + ".part"));
  EXPECT_TRUE(std::filesystem::is_directory(taken));
}

}  // namespace
}  // namespace pressroom
