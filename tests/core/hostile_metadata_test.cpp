// Broken and hostile metadata (issue #6): truncated EXIF, IFD loops, huge counts, wrong types,
// a 60 MB XMP packet and a broken IPTC record, each built byte by byte here. The reader must
// return what it could read plus a warning (or a named error), never crash or hang; a JPEG
// with such metadata still imports through the real binary, with the warning in its JSON line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/embedded_metadata.hpp"
#include "test_support.hpp"

namespace pressroom {
namespace {

using Bytes = std::vector<std::uint8_t>;

// TIFF field types (TIFF 6.0, section 2).
constexpr std::uint16_t k_byte = 1;
constexpr std::uint16_t k_ascii = 2;
constexpr std::uint16_t k_short = 3;
constexpr std::uint16_t k_long = 4;
constexpr std::uint16_t k_rational = 5;

void put16(Bytes& out, std::uint32_t value) {  // little-endian, as after "II*\0"
  out.push_back(static_cast<std::uint8_t>(value & 0xffU));
  out.push_back(static_cast<std::uint8_t>((value >> 8U) & 0xffU));
}

void put32(Bytes& out, std::uint32_t value) {
  put16(out, value & 0xffffU);
  put16(out, value >> 16U);
}

void put32_big_endian(Bytes& out, std::uint32_t value) {  // IIM and Photoshop IRBs
  for (const unsigned shift : {24U, 16U, 8U, 0U}) {
    out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xffU));
  }
}

void append(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

// One IFD entry; `value` is the value itself when it fits in 4 bytes, else its offset.
struct Entry {
  std::uint16_t tag = 0;
  std::uint16_t type = 0;
  std::uint32_t count = 0;
  std::uint32_t value = 0;
};

// Writes an IFD at the end of `tiff` (which must be where `offset` says) and returns the
// position of its next-IFD pointer.
std::size_t put_ifd(Bytes& tiff, const std::vector<Entry>& entries, std::uint32_t next) {
  put16(tiff, static_cast<std::uint32_t>(entries.size()));
  for (const Entry& entry : entries) {
    put16(tiff, entry.tag);
    put16(tiff, entry.type);
    put32(tiff, entry.count);
    put32(tiff, entry.value);
  }
  const std::size_t next_at = tiff.size();
  put32(tiff, next);
  return next_at;
}

// A little-endian TIFF header whose IFD0 starts right after it, at offset 8.
Bytes tiff_header() {
  Bytes tiff;
  append(tiff, std::string_view("II*\0", 4));
  put32(tiff, 8);
  return tiff;
}

// Where the data after an IFD of `entries` entries starts, for an IFD at `ifd_offset`.
std::uint32_t after_ifd(std::uint32_t ifd_offset, std::size_t entries) {
  return ifd_offset + 2 + static_cast<std::uint32_t>(entries) * 12 + 4;
}

// A JPEG segment: marker, big-endian length (which counts itself), payload.
Bytes segment(std::uint8_t marker, const Bytes& payload) {
  EXPECT_LE(payload.size(), 65533U) << "a JPEG segment holds at most 65533 bytes";
  const auto length = static_cast<std::uint32_t>(payload.size() + 2);
  Bytes out{0xff, marker, static_cast<std::uint8_t>(length >> 8U),
            static_cast<std::uint8_t>(length & 0xffU)};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes exif_segment(const Bytes& tiff) {
  Bytes payload;
  append(payload, std::string_view("Exif\0\0", 6));
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  return segment(0xe1, payload);
}

// A small real JPEG (48x32, a gradient) with `segments` inserted right after SOI.
Bytes jpeg_with(const std::vector<Bytes>& segments) {
  cv::Mat pixels(32, 48, CV_8UC3);
  for (int y = 0; y < pixels.rows; ++y) {
    for (int x = 0; x < pixels.cols; ++x) {
      pixels.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<std::uint8_t>(x * 5), static_cast<std::uint8_t>(y * 7), 128);
    }
  }
  Bytes encoded;
  EXPECT_TRUE(cv::imencode(".jpg", pixels, encoded));
  Bytes out(encoded.begin(), encoded.begin() + 2);  // SOI
  for (const Bytes& inserted : segments) {
    out.insert(out.end(), inserted.begin(), inserted.end());
  }
  out.insert(out.end(), encoded.begin() + 2, encoded.end());
  return out;
}

Result<EmbeddedMetadata> read(const Bytes& bytes, const std::string& subject) {
  return read_embedded_metadata(std::as_bytes(std::span(bytes)), subject);
}

bool has_warning(const std::vector<std::string>& warnings, std::string_view text) {
  return std::ranges::any_of(warnings, [text](const std::string& warning) {
    return warning.find(text) != std::string::npos;
  });
}

std::string joined(const std::vector<std::string>& warnings) {
  std::string text;
  for (const std::string& warning : warnings) {
    text += warning + "\n";
  }
  return text;
}

// An IIM dataset (IPTC-IIM 4.2, 1.5): 0x1c, record, dataset, a 2-byte big-endian length that
// may claim more than follows.
Bytes iim_dataset(std::uint8_t record, std::uint8_t dataset, std::string_view data,
                  std::uint16_t claimed_length) {
  Bytes out{0x1c, record, dataset, static_cast<std::uint8_t>(claimed_length >> 8U),
            static_cast<std::uint8_t>(claimed_length & 0xffU)};
  append(out, data);
  return out;
}

// APP13: "Photoshop 3.0", one 8BIM resource 0x0404 (IPTC-NAA) with an empty name, whose
// size field claims `claimed_size` bytes of `iim`.
Bytes photoshop_segment(const Bytes& iim, std::uint32_t claimed_size) {
  Bytes payload;
  append(payload, std::string_view("Photoshop 3.0\0", 14));
  append(payload, "8BIM");
  payload.insert(payload.end(), {0x04, 0x04, 0x00, 0x00});
  put32_big_endian(payload, claimed_size);
  payload.insert(payload.end(), iim.begin(), iim.end());
  if (payload.size() % 2 != 0) {
    payload.push_back(0);  // resources are padded to an even size
  }
  return segment(0xed, payload);
}

// Record 2 with a valid date and time (which the reader would use) before `last`.
Bytes iim_with_date_then(const Bytes& last) {
  Bytes iim = iim_dataset(2, 0, std::string_view("\0\4", 2), 2);  // RecordVersion 4
  const Bytes date = iim_dataset(2, 55, "20190831", 8);           // DateCreated
  const Bytes time = iim_dataset(2, 60, "140322+0200", 11);       // TimeCreated
  iim.insert(iim.end(), date.begin(), date.end());
  iim.insert(iim.end(), time.begin(), time.end());
  iim.insert(iim.end(), last.begin(), last.end());
  return iim;
}

// An XMP packet of about `size` bytes shaped like a real bloated one (Photoshop's
// DocumentAncestors): one property with a bag of very many short items, which costs the XMP
// toolkit far more memory per byte than one long text would.
std::string bloated_xmp_packet(std::size_t size, std::string_view orientation) {
  std::string packet =
      "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>"
      "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
      "rdf:about='' xmlns:tiff='http://ns.adobe.com/tiff/1.0/' "
      "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' tiff:Orientation='";
  packet.append(orientation).append("'><photoshop:DocumentAncestors><rdf:Bag>");
  const std::string_view tail =
      "</rdf:Bag></photoshop:DocumentAncestors></rdf:Description></rdf:RDF></x:xmpmeta>"
      "<?xpacket end='w'?>";
  const std::string_view item = "<rdf:li>0</rdf:li>";
  packet.reserve(size);
  while (packet.size() + item.size() + tail.size() <= size) {
    packet.append(item);
  }
  packet.append(tail);
  return packet;
}

constexpr std::size_t k_sixty_megabytes = 60U << 20U;

class HostileMetadataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize_metadata(); }

  // Imports `bytes` as `name` with the real binary into a fresh library, expects it imported
  // (exit 0) with a warning containing `warning` (none at all when `warning` is empty).
  void expect_imported(const Bytes& bytes, const std::string& name, std::string_view warning) {
    const std::string library = (m_dir / "library").string();
    const auto init = testing::run_pressroom({"init", library});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    const auto file = m_dir / name;
    {
      std::ofstream out(file, std::ios::binary);
      out.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
    }
    const auto result =
        testing::run_pressroom({"--library", library, "import", file.string(), "--json"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto lines = testing::json_lines(result.out);
    ASSERT_FALSE(lines.empty()) << result.out << result.err;
    const auto& line = lines.front();
    EXPECT_EQ(line["state"], "imported") << line.dump();
    const auto warnings = line.value("warnings", std::vector<std::string>{});
    if (warning.empty()) {
      EXPECT_TRUE(warnings.empty()) << joined(warnings);
    } else {
      EXPECT_TRUE(has_warning(warnings, warning)) << warning << " not in\n" << joined(warnings);
      EXPECT_NE(result.err.find(warning), std::string::npos) << result.err;
    }
  }

  testing::TempDir m_dir;
};

// APP1 cut in the middle of IFD0's third entry: the two whole entries before it are read.
TEST_F(HostileMetadataTest, TruncatedExifKeepsTheEntriesBeforeTheCut) {
  Bytes tiff = tiff_header();
  const std::uint32_t data = after_ifd(8, 4);
  put_ifd(tiff,
          {{0x0112, k_short, 1, 6},
           {0x010f, k_ascii, 4, 0x004e4e43},  // Make "CNN" (fits in the entry)
           {0x0110, k_ascii, 5, data},
           {0x0132, k_ascii, 20, data + 5}},
          0);
  append(tiff, std::string_view("EOS1\0"
                                "2019:08:31 14:03:22\0",
                                25));
  // Header 8, entry count 2, two whole entries 24, 6 bytes of the third.
  const Bytes cut(tiff.begin(), tiff.begin() + 40);
  const Bytes jpeg = jpeg_with({exif_segment(cut)});

  const auto metadata = read(jpeg, "truncated.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->orientation, 6);
  EXPECT_EQ(metadata->camera_make, "CNN");
  EXPECT_EQ(metadata->camera_model, std::nullopt);
  EXPECT_EQ(metadata->width, 48);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "truncated.jpg: Exiv2: Directory Image: IFD entry 2 lies outside of the "
                          "data buffer."))
      << joined(metadata->warnings);
  expect_imported(jpeg, "truncated.jpg", "IFD entry 2 lies outside of the data buffer");
}

// IFD0's next-IFD pointer points at IFD0 itself: Exiv2 reads it once.
TEST_F(HostileMetadataTest, NextIfdPointingToItselfIsReadOnce) {
  Bytes tiff = tiff_header();
  put_ifd(tiff, {{0x0112, k_short, 1, 6}}, 8);
  const Bytes jpeg = jpeg_with({exif_segment(tiff)});

  const auto metadata = read(jpeg, "loop.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->orientation, 6);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "loop.jpg: Exiv2: Thumbnail pointer references previously read Image "
                          "directory; ignored."))
      << joined(metadata->warnings);
  expect_imported(jpeg, "loop.jpg", "references previously read Image directory");
}

// The EXIF sub-IFD pointer (0x8769) of IFD0 points back at IFD0, and the EXIF IFD's own next
// pointer and sub-IFD pointer at IFD0 again.
TEST_F(HostileMetadataTest, SubIfdPointingToItsParentIsReadOnce) {
  Bytes tiff = tiff_header();
  put_ifd(tiff, {{0x0112, k_short, 1, 6}, {0x8769, k_long, 1, 8}}, 0);
  const Bytes jpeg = jpeg_with({exif_segment(tiff)});
  const auto metadata = read(jpeg, "parent.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->orientation, 6);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "parent.jpg: Exiv2: Photo pointer references previously read Image "
                          "directory; ignored."))
      << joined(metadata->warnings);
  expect_imported(jpeg, "parent.jpg", "Photo pointer references previously read Image directory");

  Bytes nested = tiff_header();
  const std::uint32_t exif_ifd = after_ifd(8, 2);
  put_ifd(nested, {{0x0112, k_short, 1, 6}, {0x8769, k_long, 1, exif_ifd}}, 0);
  put_ifd(nested, {{0x9003, k_ascii, 20, after_ifd(exif_ifd, 2)}, {0x8769, k_long, 1, 8}},
          exif_ifd);
  append(nested, std::string_view("2019:08:31 14:03:22\0", 20));
  const auto deeper = read(jpeg_with({exif_segment(nested)}), "nested.jpg");
  ASSERT_TRUE(deeper) << to_string(deeper.error());
  EXPECT_EQ(deeper->orientation, 6);
  EXPECT_EQ(deeper->date_taken, "2019-08-31T14:03:22");
  EXPECT_TRUE(has_warning(deeper->warnings,
                          "nested.jpg: Exiv2: Directory Photo has an unexpected next pointer; "
                          "ignored."))
      << joined(deeper->warnings);
}

// Entries claiming 0x7fffffff values (2 GB of ASCII, 4 GB of SHORTs) are skipped; the
// entries beside them are read.
TEST_F(HostileMetadataTest, HugeCountsAreSkipped) {
  Bytes tiff = tiff_header();
  const std::uint32_t data = after_ifd(8, 3);
  put_ifd(tiff,
          {{0x010f, k_ascii, 0x7fffffff, data},
           {0x0110, k_ascii, 4, 0x00534f45},  // Model "EOS"
           {0x0112, k_short, 0x7fffffff, data}},
          0);
  append(tiff, std::string_view("Canon\0", 6));
  const Bytes jpeg = jpeg_with({exif_segment(tiff)});

  const auto metadata = read(jpeg, "huge.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->camera_make, std::nullopt);
  EXPECT_EQ(metadata->camera_model, "EOS");
  EXPECT_EQ(metadata->orientation, 1);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "huge.jpg: Exiv2: Directory Image, entry 0x010f has invalid size "
                          "2147483647*1; skipping entry."))
      << joined(metadata->warnings);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "huge.jpg: Exiv2: Directory Image, entry 0x0112 has invalid size "
                          "2147483647*2; skipping entry."))
      << joined(metadata->warnings);
  expect_imported(jpeg, "huge.jpg", "has invalid size 2147483647*1; skipping entry");
}

// Orientation as ASCII "6", DateTimeOriginal as two SHORTs, ImageDescription as a RATIONAL.
// Exiv2 keeps each with the type the file claims; none is taken for what it is not.
TEST_F(HostileMetadataTest, WrongTypesAreNotTakenAtFaceValue) {
  Bytes tiff = tiff_header();
  const std::uint32_t data = after_ifd(8, 3);
  put_ifd(tiff,
          {{0x010e, k_rational, 1, data},
           {0x0112, k_ascii, 2, 0x0036},  // "6\0"
           {0x8769, k_long, 1, data + 8}},
          0);
  put32(tiff, 1);
  put32(tiff, 3);
  put_ifd(tiff, {{0x9003, k_short, 2, 2019U | (8U << 16U)}}, 0);
  const Bytes jpeg = jpeg_with({exif_segment(tiff)});

  const auto metadata = read(jpeg, "types.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  // Exiv2 0.27's toLong() of ASCII "6" is the character's code, 54: a text orientation is
  // ignored with a warning that says so.
  EXPECT_EQ(metadata->orientation, 1);
  EXPECT_EQ(metadata->date_taken, std::nullopt);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "types.jpg: EXIF orientation is stored as Ascii, not SHORT; ignored"))
      << joined(metadata->warnings);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "types.jpg: EXIF DateTimeOriginal \"2019 8\" is not a date; ignored"))
      << joined(metadata->warnings);
  expect_imported(jpeg, "types.jpg", "EXIF orientation is stored as Ascii, not SHORT");
}

// Exiv2 0.27.6 reads XMP in JPEG from the first APP1 XMP segment only (at most 64 KB) and
// ignores extended XMP (XMP Part 3, 1.1.3.1): 60 MB of it in 968 APP1 segments costs nothing.
TEST_F(HostileMetadataTest, SixtyMegabytesOfExtendedXmpInJpegAreIgnored) {
  Bytes standard;
  append(standard, std::string_view("http://ns.adobe.com/xap/1.0/\0", 29));
  append(standard, bloated_xmp_packet(2000, "3"));
  std::vector<Bytes> segments{segment(0xe1, standard)};
  const std::string packet = bloated_xmp_packet(k_sixty_megabytes, "8");
  constexpr std::size_t k_chunk = 65000;
  for (std::size_t offset = 0; offset < packet.size(); offset += k_chunk) {
    Bytes extended;
    append(extended, std::string_view("http://ns.adobe.com/xmp/extension/\0", 35));
    append(extended, "0123456789ABCDEF0123456789ABCDEF");  // the GUID (an MD5 in hex)
    put32_big_endian(extended, static_cast<std::uint32_t>(packet.size()));
    put32_big_endian(extended, static_cast<std::uint32_t>(offset));
    append(extended, std::string_view(packet).substr(offset, k_chunk));
    segments.push_back(segment(0xe1, extended));
  }
  const Bytes jpeg = jpeg_with(segments);
  ASSERT_GT(jpeg.size(), k_sixty_megabytes);

  const auto metadata = read(jpeg, "extended.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->orientation, 3);  // from the standard packet, not 8 from the extension
  EXPECT_TRUE(metadata->warnings.empty()) << joined(metadata->warnings);
  expect_imported(jpeg, "extended.jpg", "");
}

// A TIFF whose tag 700 (XMLPacket) holds a 60 MB packet of 3.5 million bag items: Exiv2 0.27.6
// parses all of it inside readMetadata(), about 20 s and 2.7 GB of memory (more under ASan).
// read_embedded_metadata() skips XMP packets over its 8 MB limit with a warning, before Exiv2
// sees them; the EXIF beside the packet is still read.
TEST_F(HostileMetadataTest, SixtyMegabyteXmpPacketInTiffIsSkippedWithAWarning) {
  const std::string packet = bloated_xmp_packet(k_sixty_megabytes, "6");
  Bytes tiff = tiff_header();
  const std::uint32_t data = after_ifd(8, 9);
  put_ifd(tiff,
          {{0x0100, k_short, 1, 1},           // ImageWidth
           {0x0101, k_short, 1, 1},           // ImageLength
           {0x0102, k_short, 1, 8},           // BitsPerSample
           {0x0106, k_short, 1, 1},           // PhotometricInterpretation: black is 0
           {0x010f, k_ascii, 4, 0x004e4e43},  // Make "CNN"
           {0x0111, k_long, 1, data},         // StripOffsets
           {0x0116, k_short, 1, 1},           // RowsPerStrip
           {0x0117, k_long, 1, 1},            // StripByteCounts
           {0x02bc, k_byte, static_cast<std::uint32_t>(packet.size()), data + 4}},  // XMLPacket
          0);
  put32(tiff, 0x80);  // the one pixel, and padding
  append(tiff, packet);

  const auto metadata = read(tiff, "bloated.tif");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->camera_make, "CNN");
  EXPECT_EQ(metadata->orientation, 1) << "the packet's tiff:Orientation 6 was read";
  EXPECT_TRUE(has_warning(metadata->warnings, "XMP")) << joined(metadata->warnings);
}

// An orientation of a type number EXIF does not define (found by the fuzzer: Exiv2 has no name
// for the type, and the warning must not read a null name).
TEST_F(HostileMetadataTest, OrientationOfAnUndefinedTypeIsIgnoredWithAWarning) {
  Bytes tiff = tiff_header();
  put_ifd(tiff, {{0x0112, 99, 1, 6}}, 0);
  const Bytes jpeg = jpeg_with({exif_segment(tiff)});

  const auto metadata = read(jpeg, "type99.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->orientation, 1);
  EXPECT_TRUE(has_warning(metadata->warnings, "type99.jpg: EXIF orientation is stored as "))
      << joined(metadata->warnings);
}

// An IIM dataset whose length runs past the end of its record: Exiv2 0.27.6 warns and drops
// all of the IPTC, the valid date and time before the broken dataset too.
TEST_F(HostileMetadataTest, IimDatasetLongerThanItsRecordDropsTheIptc) {
  const Bytes iim = iim_with_date_then(iim_dataset(2, 120, "Caption", 0x4000));
  const Bytes jpeg = jpeg_with({photoshop_segment(iim, static_cast<std::uint32_t>(iim.size()))});

  const auto metadata = read(jpeg, "iim.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->date_taken, std::nullopt);
  EXPECT_TRUE(has_warning(metadata->warnings,
                          "iim.jpg: Exiv2: IPTC dataset Iptc.Application2.Caption has invalid "
                          "size 16384; skipped."))
      << joined(metadata->warnings);
  EXPECT_TRUE(has_warning(metadata->warnings, "iim.jpg: Exiv2: Failed to decode IPTC metadata."))
      << joined(metadata->warnings);
  expect_imported(jpeg, "iim.jpg", "Failed to decode IPTC metadata.");

  // The same record whole is read: the date comes from it.
  const Bytes whole = iim_with_date_then(iim_dataset(2, 120, "Caption", 7));
  const auto read_whole = read(
      jpeg_with({photoshop_segment(whole, static_cast<std::uint32_t>(whole.size()))}), "ok.jpg");
  ASSERT_TRUE(read_whole) << to_string(read_whole.error());
  EXPECT_EQ(read_whole->date_taken, "2019-08-31T14:03:22");
  EXPECT_EQ(read_whole->date_taken_offset, "+02:00");
  EXPECT_TRUE(read_whole->warnings.empty()) << joined(read_whole->warnings);
}

// A Photoshop resource whose size field claims 1 MB in a segment of a few bytes: Exiv2 0.27.6
// drops the resource without a word (Photoshop::locateIptcIrb() reports it only in debug
// builds); the reader checks the resources itself and says the IPTC is lost.
TEST_F(HostileMetadataTest, PhotoshopResourceLongerThanItsSegmentIsReported) {
  const Bytes iim = iim_with_date_then(iim_dataset(2, 120, "Caption", 7));
  const Bytes jpeg = jpeg_with({photoshop_segment(iim, 0x00100000)});

  const auto metadata = read(jpeg, "irb.jpg");
  ASSERT_TRUE(metadata) << to_string(metadata.error());
  EXPECT_EQ(metadata->date_taken, std::nullopt);
  const std::string warning =
      "irb.jpg: its Photoshop resources (APP13) are damaged; IPTC-IIM in them could not be read";
  EXPECT_TRUE(has_warning(metadata->warnings, warning)) << joined(metadata->warnings);
  expect_imported(jpeg, "irb.jpg", "its Photoshop resources (APP13) are damaged");
}

}  // namespace
}  // namespace pressroom
