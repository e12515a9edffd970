#include "core/embedded_metadata.hpp"

#include <exception>
#include <memory>
#include <optional>
#include <regex>
#include <string_view>
#include <vector>

#include <exiv2/exiv2.hpp>

namespace pressroom {
namespace {

// Exiv2 reports oddities through one global log handler; the reading thread collects them
// here while read_embedded_metadata() runs.
thread_local std::vector<std::string>* t_warnings = nullptr;

void collect_exiv2_message(int level, const char* message) {
  if (t_warnings == nullptr || level < Exiv2::LogMsg::warn || message == nullptr) {
    return;
  }
  std::string text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  t_warnings->push_back("Exiv2: " + text);
}

std::string trimmed(std::string text) {
  const auto is_blank = [](char c) { return c == ' ' || c == '\0' || c == '\t' || c == '\n'; };
  while (!text.empty() && is_blank(text.back())) {
    text.pop_back();
  }
  std::size_t start = 0;
  while (start < text.size() && is_blank(text[start])) {
    ++start;
  }
  return text.substr(start);
}

// The trimmed text of `key` in one of Exiv2's containers (ExifData with ExifKey, XmpData with
// XmpKey, IptcData with IptcKey); nullopt when absent or blank.
template <class Key, class Data>
std::optional<std::string> text_of(const Data& data, const char* key) {
  const auto found = data.findKey(Key(key));
  if (found == data.end()) {
    return std::nullopt;
  }
  std::string text = trimmed(found->toString());
  if (text.empty()) {
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> exif_text(const Exiv2::ExifData& exif, const char* key) {
  return text_of<Exiv2::ExifKey>(exif, key);
}
std::optional<std::string> xmp_text(const Exiv2::XmpData& xmp, const char* key) {
  return text_of<Exiv2::XmpKey>(xmp, key);
}
std::optional<std::string> iptc_text(const Exiv2::IptcData& iptc, const char* key) {
  return text_of<Exiv2::IptcKey>(iptc, key);
}

// A date and time split into ISO 8601 local time and an optional UTC offset.
struct DateTime {
  std::string local;
  std::optional<std::string> offset;
};

// EXIF writes "2019:08:31 14:03:22"; a camera without a clock writes zeros or blanks.
std::optional<std::string> iso_from_exif(const std::string& text) {
  static const std::regex k_exif(R"((\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2}).*)");
  std::smatch match;
  if (!std::regex_match(text, match, k_exif) || match[1] == "0000" || match[2] == "00" ||
      match[3] == "00") {
    return std::nullopt;
  }
  return match[1].str() + "-" + match[2].str() + "-" + match[3].str() + "T" + match[4].str() + ":" +
         match[5].str() + ":" + match[6].str();
}

std::optional<std::string> offset_from_text(const std::string& text) {
  static const std::regex k_offset(R"(([+-])(\d{2}):?(\d{2}))");
  std::smatch match;
  if (text == "Z") {
    return "+00:00";
  }
  if (!std::regex_match(text, match, k_offset)) {
    return std::nullopt;
  }
  return match[1].str() + match[2].str() + ":" + match[3].str();
}

// XMP dates are ISO 8601 and may stop after the year, the month, the day or the minute; only
// those with a time are a moment a photo was taken.
std::optional<DateTime> date_from_xmp(const std::string& text) {
  static const std::regex k_xmp(
      R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)");
  std::smatch match;
  if (!std::regex_match(text, match, k_xmp)) {
    return std::nullopt;
  }
  DateTime date;
  date.local = match[1].str() + "-" + match[2].str() + "-" + match[3].str() + "T" + match[4].str() +
               ":" + match[5].str() + ":" + (match[6].matched ? match[6].str() : "00");
  if (match[7].matched) {
    date.offset = offset_from_text(match[7].str());
  }
  return date;
}

// IIM keeps the date ("2019-08-31" as Exiv2 prints it) and the time with its offset
// ("14:03:22+02:00") in two datasets.
std::optional<DateTime> date_from_iptc(const Exiv2::IptcData& iptc) {
  const auto day = iptc_text(iptc, "Iptc.Application2.DateCreated");
  const auto time = iptc_text(iptc, "Iptc.Application2.TimeCreated");
  if (!day || !time) {
    return std::nullopt;
  }
  return date_from_xmp(*day + "T" + *time);
}

void read_date_taken(const Exiv2::Image& image, EmbeddedMetadata& metadata,
                     const std::string& subject) {
  std::optional<DateTime> date;
  if (const auto exif = exif_text(image.exifData(), "Exif.Photo.DateTimeOriginal")) {
    if (const auto local = iso_from_exif(*exif)) {
      date = DateTime{*local, std::nullopt};
      if (const auto offset = exif_text(image.exifData(), "Exif.Photo.OffsetTimeOriginal")) {
        date->offset = offset_from_text(*offset);
      }
    } else {
      metadata.warnings.push_back(subject + ": EXIF DateTimeOriginal \"" + *exif +
                                  "\" is not a date; ignored");
    }
  }
  if (!date) {
    for (const char* key : {"Xmp.photoshop.DateCreated", "Xmp.exif.DateTimeOriginal"}) {
      if (const auto text = xmp_text(image.xmpData(), key)) {
        date = date_from_xmp(*text);
        if (date) {
          break;
        }
      }
    }
  }
  if (!date) {
    date = date_from_iptc(image.iptcData());
  }
  if (date) {
    metadata.date_taken = date->local;
    metadata.date_taken_offset = date->offset;
  }
}

void read_orientation(const Exiv2::Image& image, EmbeddedMetadata& metadata,
                      const std::string& subject) {
  const Exiv2::ExifData& exif = image.exifData();
  const auto found = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
  long value = 1;
  if (found != exif.end() && found->count() > 0) {
    value = found->toLong();
  } else if (const auto xmp = xmp_text(image.xmpData(), "Xmp.tiff.Orientation")) {
    value = std::strtol(xmp->c_str(), nullptr, 10);
  }
  // EXIF 2.32, Orientation: 1 to 8. Writers that mean "unknown" put 0; anything else is
  // garbage. Both display as stored.
  if (value >= 1 && value <= 8) {
    metadata.orientation = static_cast<int>(value);
  } else if (value != 0) {
    metadata.warnings.push_back(subject + ": orientation " + std::to_string(value) +
                                " is not one of 1 to 8; shown as stored");
  }
}

EmbeddedMetadata to_embedded_metadata(Exiv2::Image& image, const std::string& subject) {
  EmbeddedMetadata metadata;
  metadata.width = image.pixelWidth();
  metadata.height = image.pixelHeight();
  read_orientation(image, metadata, subject);
  read_date_taken(image, metadata, subject);
  metadata.camera_make = exif_text(image.exifData(), "Exif.Image.Make");
  metadata.camera_model = exif_text(image.exifData(), "Exif.Image.Model");
  return metadata;
}

}  // namespace

void initialize_metadata() {
  Exiv2::XmpParser::initialize();
  Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
  Exiv2::LogMsg::setHandler(collect_exiv2_message);
}

Result<EmbeddedMetadata> read_embedded_metadata(std::span<const std::byte> bytes,
                                                const std::string& subject) {
  std::vector<std::string> exiv2_warnings;
  t_warnings = &exiv2_warnings;
  struct Reset {
    Reset() = default;
    Reset(const Reset&) = delete;
    Reset& operator=(const Reset&) = delete;
    ~Reset() { t_warnings = nullptr; }
  } const reset;
  try {
    // 0.27 returns std::auto_ptr and 0.28 std::unique_ptr; release() fits both.
    std::unique_ptr<Exiv2::Image> image(
        Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                  static_cast<long>(bytes.size()))
            .release());
    if (!image) {
      return fail(Errc::unsupported_format, subject, "metadata reader does not know this format");
    }
    image->readMetadata();
    EmbeddedMetadata metadata = to_embedded_metadata(*image, subject);
    for (std::string& warning : exiv2_warnings) {
      metadata.warnings.push_back(subject);
      metadata.warnings.back().append(": ").append(warning);
    }
    return metadata;
  } catch (const Exiv2::AnyError& error) {
    if (error.code() == Exiv2::kerFileContainsUnknownImageType ||
        error.code() == Exiv2::kerMemoryContainsUnknownImageType) {
      return fail(Errc::unsupported_format, subject, "metadata reader does not know this format");
    }
    return fail(Errc::corrupt_data, subject, std::string("cannot read metadata: ") + error.what());
  } catch (const std::exception& error) {
    return fail(Errc::corrupt_data, subject, std::string("cannot read metadata: ") + error.what());
  }
}

}  // namespace pressroom
