#include "core/embedded_metadata.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>
#include <optional>
#include <regex>
#include <string_view>
#include <tuple>
#include <vector>

#include <exiv2/exiv2.hpp>

#include "core/text.hpp"
#include "jpeg_segments.hpp"

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

// Where a value comes from, for the choice between IIM and XMP.
struct Sources {
  const Exiv2::ExifData& exif;
  const Exiv2::XmpData& xmp;
  const Exiv2::IptcData& iptc;
  bool has_iim = false;      // an IIM record, even an empty one (ExifTool's CurrentIPTCDigest)
  bool iim_is_utf8 = false;  // declared (CodedCharacterSet ESC % G), or valid throughout
  // MWG 2.0: XMP is taken over IIM unless the stored IPTC digest shows the IIM was changed by a
  // writer that did not update the XMP.
  bool xmp_in_step = true;
};

// EXIF ASCII is 7-bit by the standard; MWG recommends UTF-8, older Windows tools wrote
// Windows-1252. Cut at the first NUL (EXIF Copyright keeps "photographer\0editor").
std::optional<std::string> exif_text(const Exiv2::ExifData& exif, const char* key) {
  const auto found = exif.findKey(Exiv2::ExifKey(key));
  if (found == exif.end() || found->count() == 0) {
    return std::nullopt;
  }
  std::string raw = found->toString();
  if (const auto nul = raw.find('\0'); nul != std::string::npos) {
    raw.resize(nul);
  }
  std::string text = trimmed(utf8_or_windows_1252(raw));
  if (text.empty()) {
    return std::nullopt;
  }
  return text;
}

// Every non-blank item of an XMP property: the items of a bag or seq, the x-default text of a
// language alternative (the first language when there is no x-default), a simple value as is.
std::vector<std::string> xmp_items(const Exiv2::XmpData& xmp, const std::string& key) {
  std::vector<std::string> items;
  const auto found = xmp.findKey(Exiv2::XmpKey(key));
  if (found == xmp.end()) {
    return items;
  }
  const Exiv2::Value& value = found->value();
  if (value.typeId() == Exiv2::langAlt) {
    const auto& alternatives = dynamic_cast<const Exiv2::LangAltValue&>(value).value_;
    auto chosen = alternatives.find("x-default");
    if (chosen == alternatives.end()) {
      chosen = alternatives.begin();
    }
    if (chosen != alternatives.end()) {
      items.push_back(trimmed(chosen->second));
    }
  } else if (value.typeId() == Exiv2::xmpBag || value.typeId() == Exiv2::xmpSeq ||
             value.typeId() == Exiv2::xmpAlt) {
    for (long i = 0; i < value.count(); ++i) {
      items.push_back(trimmed(value.toString(i)));
    }
  } else {
    items.push_back(trimmed(value.toString()));
  }
  std::erase_if(items, [](const std::string& item) { return item.empty(); });
  return items;
}

std::optional<std::string> xmp_text(const Exiv2::XmpData& xmp, const std::string& key) {
  auto items = xmp_items(xmp, key);
  if (items.empty()) {
    return std::nullopt;
  }
  return std::move(items.front());
}

// Every non-blank instance of an IIM dataset (Keywords and By-line repeat), decoded as UTF-8
// or Windows-1252 by the record's character set.
std::vector<std::string> iim_items(const Sources& sources, std::string_view key) {
  std::vector<std::string> items;
  for (const auto& datum : sources.iptc) {
    if (datum.key() != key) {
      continue;
    }
    const std::string raw = datum.value().toString();
    std::string text = trimmed(sources.iim_is_utf8 ? raw : windows_1252_to_utf8(raw));
    if (!text.empty()) {
      items.push_back(std::move(text));
    }
  }
  return items;
}

std::optional<std::string> iim_text(const Sources& sources, std::string_view key) {
  auto items = iim_items(sources, key);
  if (items.empty()) {
    return std::nullopt;
  }
  return std::move(items.front());
}

// ExifTool's RecoverTruncatedIPTC: an IIM value cut at its dataset's limit (in bytes, of its
// UTF-8 form) is the XMP value when the XMP value begins with it.
std::string recovered(std::string iim, const std::optional<std::string>& xmp, std::size_t limit) {
  if (xmp && iim.size() == limit && xmp->size() > limit && xmp->compare(0, iim.size(), iim) == 0) {
    return *xmp;
  }
  return iim;
}

// MWG 2.0's choice for a field held in XMP and IIM: XMP when there is no IIM, or when XMP has
// the field and the digest does not show the IIM changed alone; otherwise IIM, with values
// truncated to the dataset's `limit` recovered from XMP.
std::vector<std::string> reconciled(const Sources& sources, const std::string& xmp_key,
                                    std::string_view iim_key, std::size_t limit) {
  std::vector<std::string> xmp = xmp_items(sources.xmp, xmp_key);
  if (!sources.has_iim || (!xmp.empty() && sources.xmp_in_step)) {
    return xmp;
  }
  std::vector<std::string> iim = iim_items(sources, iim_key);
  for (std::size_t i = 0; i < iim.size(); ++i) {
    iim[i] = recovered(std::move(iim[i]),
                       i < xmp.size() ? std::optional<std::string>(xmp[i]) : std::nullopt, limit);
  }
  return iim;
}

std::optional<std::string> first(std::vector<std::string> items) {
  if (items.empty()) {
    return std::nullopt;
  }
  return std::move(items.front());
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
  // Writers append junk ("2009-09-09T17:00:00, 2009-09-09"); like ExifTool, the date and time
  // at the start are taken.
  if (!std::regex_search(text, match, k_xmp, std::regex_constants::match_continuous)) {
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
std::optional<DateTime> date_from_iim(const Sources& sources) {
  const auto day = iim_text(sources, "Iptc.Application2.DateCreated");
  const auto time = iim_text(sources, "Iptc.Application2.TimeCreated");
  if (!day || !time) {
    return std::nullopt;
  }
  return date_from_xmp(*day + "T" + *time);
}

// MWG 2.0, DateTimeOriginal: EXIF, then XMP photoshop:DateCreated, then IIM by the same rule
// as the text fields. A value without a time of day (XMP and IIM allow a bare date) is not a
// moment a photo was taken and is left out.
void read_date_taken(const Sources& sources, EmbeddedMetadata& metadata,
                     const std::string& subject) {
  std::optional<DateTime> date;
  if (const auto exif = exif_text(sources.exif, "Exif.Photo.DateTimeOriginal")) {
    if (const auto local = iso_from_exif(*exif)) {
      date = DateTime{*local, std::nullopt};
      if (const auto offset = exif_text(sources.exif, "Exif.Photo.OffsetTimeOriginal")) {
        date->offset = offset_from_text(*offset);
      }
    } else {
      metadata.warnings.push_back(subject + ": EXIF DateTimeOriginal \"" + *exif +
                                  "\" is not a date; ignored");
    }
  }
  if (!date) {
    const auto xmp = xmp_text(sources.xmp, "Xmp.photoshop.DateCreated");
    if (!sources.has_iim || (xmp && sources.xmp_in_step)) {
      date = xmp ? date_from_xmp(*xmp) : std::nullopt;
    } else {
      date = date_from_iim(sources);
    }
  }
  if (date) {
    metadata.date_taken = date->local;
    metadata.date_taken_offset = date->offset;
  }
}

void read_orientation(const Sources& sources, EmbeddedMetadata& metadata,
                      const std::string& subject) {
  const auto found = sources.exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
  long value = 1;
  if (found != sources.exif.end() && found->count() > 0 &&
      found->typeId() != Exiv2::unsignedShort) {
    // Exiv2 reads the text "6" as its character code, 54.
    // typeName() is null for a type number EXIF does not define.
    const char* type = found->typeName();
    metadata.warnings.push_back(
        subject + ": EXIF orientation is stored as " +
        (type != nullptr ? std::string(type) : "type " + std::to_string(found->typeId())) +
        ", not SHORT; ignored");
  } else if (found != sources.exif.end() && found->count() > 0) {
    value = found->toLong();
  } else if (const auto xmp = xmp_text(sources.xmp, "Xmp.tiff.Orientation")) {
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

// The n-th number of an EXIF value; nullopt for a zero denominator (EXIF's "unknown") or a
// value that is not a number. Unsigned rationals are read as unsigned (4294967295/1 is not -1).
std::optional<double> exif_number(const Exiv2::ExifData& exif, const char* key, long n = 0) {
  const auto found = exif.findKey(Exiv2::ExifKey(key));
  if (found == exif.end() || found->count() <= n) {
    return std::nullopt;
  }
  const Exiv2::Value& value = found->value();
  if (value.typeId() == Exiv2::unsignedRational) {
    const auto& pairs = dynamic_cast<const Exiv2::URationalValue&>(value).value_;
    const Exiv2::URational part = pairs.at(static_cast<std::size_t>(n));
    if (part.second == 0) {
      return std::nullopt;
    }
    return static_cast<double>(part.first) / static_cast<double>(part.second);
  }
  if (value.typeId() == Exiv2::asciiString || value.typeId() == Exiv2::undefined) {
    return std::nullopt;
  }
  const Exiv2::Rational part = value.toRational(n);
  if (part.second == 0) {
    return std::nullopt;
  }
  return static_cast<double>(part.first) / static_cast<double>(part.second);
}

// An XMP number, which may be written as a rational ("1/250").
std::optional<double> xmp_number(const Exiv2::XmpData& xmp, const char* key) {
  const auto text = xmp_text(xmp, key);
  if (!text) {
    return std::nullopt;
  }
  bool ok = false;
  const Exiv2::Rational value = Exiv2::parseRational(*text, ok);
  if (!ok || value.second == 0) {
    return std::nullopt;
  }
  return static_cast<double>(value.first) / static_cast<double>(value.second);
}

std::optional<double> number(const Sources& sources, const char* exif_key, const char* xmp_key) {
  if (auto value = exif_number(sources.exif, exif_key)) {
    return value;
  }
  return xmp_number(sources.xmp, xmp_key);
}

// EXIF GPS: degrees, minutes and seconds as three rationals, the hemisphere in the Ref tag.
// Some writers put text instead ("52,00000,50,00000,34,01180"): like ExifTool, its first three
// numbers are taken. A part with a zero denominator makes the whole coordinate unknown.
std::optional<double> exif_coordinate(const Exiv2::ExifData& exif, const char* key,
                                      const char* ref_key, char negative) {
  const auto found = exif.findKey(Exiv2::ExifKey(key));
  if (found == exif.end() || found->count() == 0) {
    return std::nullopt;
  }
  std::array<double, 3> parts{};
  if (found->typeId() == Exiv2::asciiString) {
    static const std::regex k_number(R"(\d+(?:\.\d+)?)");
    const std::string text = found->toString();
    auto number = std::sregex_iterator(text.begin(), text.end(), k_number);
    for (std::size_t i = 0; i < parts.size() && number != std::sregex_iterator(); ++i, ++number) {
      parts.at(i) = std::stod(number->str());
    }
  } else {
    for (std::size_t i = 0; i < parts.size() && static_cast<long>(i) < found->count(); ++i) {
      const auto part = exif_number(exif, key, static_cast<long>(i));
      if (!part) {
        return std::nullopt;
      }
      parts.at(i) = *part;
    }
  }
  double value = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
  if (const auto ref = exif_text(exif, ref_key); ref && !ref->empty() && ref->front() == negative) {
    value = -value;
  }
  return value;
}

// XMP GPS (XMP Specification part 2, GPSCoordinate): "51,13.5N" or "51,13,30N".
std::optional<double> xmp_coordinate(const Exiv2::XmpData& xmp, const char* key, char negative) {
  static const std::regex k_coordinate(R"((\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW]))");
  const auto text = xmp_text(xmp, key);
  std::smatch match;
  if (!text || !std::regex_match(*text, match, k_coordinate)) {
    return std::nullopt;
  }
  double value = std::stod(match[1].str()) + std::stod(match[2].str()) / 60.0;
  if (match[3].matched) {
    value += std::stod(match[3].str()) / 3600.0;
  }
  return match[4].str().front() == negative ? -value : value;
}

void read_exposure(const Sources& sources, EmbeddedMetadata& metadata) {
  metadata.camera_make = exif_text(sources.exif, "Exif.Image.Make");
  metadata.camera_model = exif_text(sources.exif, "Exif.Image.Model");
  metadata.lens = exif_text(sources.exif, "Exif.Photo.LensModel");
  if (!metadata.lens) {
    metadata.lens = xmp_text(sources.xmp, "Xmp.exifEX.LensModel");
  }
  if (!metadata.lens) {
    metadata.lens = xmp_text(sources.xmp, "Xmp.aux.Lens");
  }
  metadata.exposure_time = number(sources, "Exif.Photo.ExposureTime", "Xmp.exif.ExposureTime");
  metadata.f_number = number(sources, "Exif.Photo.FNumber", "Xmp.exif.FNumber");
  metadata.focal_length = number(sources, "Exif.Photo.FocalLength", "Xmp.exif.FocalLength");
  if (const auto iso = number(sources, "Exif.Photo.ISOSpeedRatings", "Xmp.exif.ISOSpeedRatings");
      iso && *iso >= 0 && *iso < 1e7) {
    metadata.iso = static_cast<int>(*iso);
  }
  metadata.gps_latitude =
      exif_coordinate(sources.exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef", 'S');
  metadata.gps_longitude = exif_coordinate(sources.exif, "Exif.GPSInfo.GPSLongitude",
                                           "Exif.GPSInfo.GPSLongitudeRef", 'W');
  if (!metadata.gps_latitude || !metadata.gps_longitude) {
    metadata.gps_latitude = xmp_coordinate(sources.xmp, "Xmp.exif.GPSLatitude", 'S');
    metadata.gps_longitude = xmp_coordinate(sources.xmp, "Xmp.exif.GPSLongitude", 'W');
  }
  metadata.gps_altitude = exif_number(sources.exif, "Exif.GPSInfo.GPSAltitude");
  if (metadata.gps_altitude) {
    const auto below = sources.exif.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSAltitudeRef"));
    if (below != sources.exif.end() && below->count() > 0 && below->toLong() == 1) {
      metadata.gps_altitude = -*metadata.gps_altitude;
    }
  }
}

// MWG 2.0 for the fields EXIF holds too (Description, Creator, Copyright): a non-blank EXIF
// value first. EXIF Artist holds several creators separated by "; " (MWG 2.0, 5.6).
std::vector<std::string> with_exif_first(const Sources& sources, const char* exif_key,
                                         std::vector<std::string> reconciled_value, bool is_list) {
  const auto exif = exif_text(sources.exif, exif_key);
  if (!exif) {
    return reconciled_value;
  }
  std::vector<std::string> items;
  if (!is_list) {
    items.push_back(*exif);
    return items;
  }
  std::size_t start = 0;
  while (start <= exif->size()) {
    const std::size_t end = std::min(exif->find("; ", start), exif->size());
    if (std::string item = trimmed(exif->substr(start, end - start)); !item.empty()) {
      items.push_back(std::move(item));
    }
    start = end + 2;
  }
  return items;
}

// MWG 2.0 for the location: the IPTC Extension's LocationShown (its first location), else the
// legacy photoshop:/Iptc4xmpCore: property, against the IIM dataset.
std::optional<std::string> location_part(const Sources& sources, const char* shown_field,
                                         const char* legacy_key, std::string_view iim_key,
                                         std::size_t limit) {
  std::string xmp_key = std::string("Xmp.iptcExt.LocationShown[1]/Iptc4xmpExt:") + shown_field;
  if (xmp_items(sources.xmp, xmp_key).empty()) {
    xmp_key = legacy_key;
  }
  return first(reconciled(sources, xmp_key, iim_key, limit));
}

void read_description(const Sources& sources, EmbeddedMetadata& metadata) {
  // IIM limits (IPTC-IIM 4.2, record 2) are what a writer may have cut a value at.
  metadata.caption = first(with_exif_first(
      sources, "Exif.Image.ImageDescription",
      reconciled(sources, "Xmp.dc.description", "Iptc.Application2.Caption", 2000), false));
  metadata.creators =
      with_exif_first(sources, "Exif.Image.Artist",
                      reconciled(sources, "Xmp.dc.creator", "Iptc.Application2.Byline", 32), true);
  metadata.copyright = first(with_exif_first(
      sources, "Exif.Image.Copyright",
      reconciled(sources, "Xmp.dc.rights", "Iptc.Application2.Copyright", 128), false));
  metadata.keywords = reconciled(sources, "Xmp.dc.subject", "Iptc.Application2.Keywords", 64);
  metadata.title = first(reconciled(sources, "Xmp.dc.title", "Iptc.Application2.ObjectName", 64));
  metadata.headline =
      first(reconciled(sources, "Xmp.photoshop.Headline", "Iptc.Application2.Headline", 256));
  metadata.credit_line =
      first(reconciled(sources, "Xmp.photoshop.Credit", "Iptc.Application2.Credit", 32));
  metadata.source =
      first(reconciled(sources, "Xmp.photoshop.Source", "Iptc.Application2.Source", 32));
  metadata.city =
      location_part(sources, "City", "Xmp.photoshop.City", "Iptc.Application2.City", 32);
  metadata.sublocation = location_part(sources, "Sublocation", "Xmp.iptc.Location",
                                       "Iptc.Application2.SubLocation", 32);
  metadata.state = location_part(sources, "ProvinceState", "Xmp.photoshop.State",
                                 "Iptc.Application2.ProvinceState", 32);
  metadata.country = location_part(sources, "CountryName", "Xmp.photoshop.Country",
                                   "Iptc.Application2.CountryName", 64);
  // XMP only: IIM has no dataset for these.
  metadata.usage_terms = xmp_text(sources.xmp, "Xmp.xmpRights.UsageTerms");
  metadata.web_statement = xmp_text(sources.xmp, "Xmp.xmpRights.WebStatement");
  metadata.people_shown = xmp_items(sources.xmp, "Xmp.iptcExt.PersonInImage");
  metadata.event = xmp_text(sources.xmp, "Xmp.iptcExt.Event");
  metadata.alt_text = xmp_text(sources.xmp, "Xmp.iptc.AltTextAccessibility");
  metadata.hierarchical_keywords = xmp_items(sources.xmp, "Xmp.lr.hierarchicalSubject");
}

// The IIM record's character set: UTF-8 when CodedCharacterSet (1:90) says ESC % G, the
// Latin sets when it names one; without a declaration UTF-8 if every text dataset is valid
// UTF-8, else Windows-1252.
bool iim_is_utf8(const Exiv2::IptcData& iptc, EmbeddedMetadata& metadata,
                 const std::string& subject) {
  const auto declared = iptc.findKey(Exiv2::IptcKey("Iptc.Envelope.CharacterSet"));
  if (declared != iptc.end()) {
    const std::string value = declared->value().toString();
    if (value == "\x1b%G") {
      return true;
    }
    if (value != "\x1b.A" && value != "\x1b-A") {
      metadata.warnings.push_back(subject +
                                  ": IPTC CodedCharacterSet names a character set other than "
                                  "UTF-8 and Latin-1; text read as UTF-8 where valid");
    } else {
      return false;
    }
  }
  return std::all_of(iptc.begin(), iptc.end(), [](const Exiv2::Iptcdatum& datum) {
    return datum.typeId() != Exiv2::string || is_valid_utf8(datum.value().toString());
  });
}

// The IPTC digests of the file as Exiv2 opened it (JPEG: APP13; TIFF: tags 34377 and 33723).
IptcDigests digests_of(const Exiv2::Image& image, std::span<const std::byte> bytes) {
  if (image.imageType() == Exiv2::ImageType::jpeg) {
    return jpeg_iptc_digests(bytes);
  }
  const auto raw = [&image](const char* key) -> std::optional<std::vector<std::byte>> {
    const auto found = image.exifData().findKey(Exiv2::ExifKey(key));
    if (found == image.exifData().end()) {
      return std::nullopt;
    }
    std::vector<std::byte> data(static_cast<std::size_t>(found->size()));
    found->copy(reinterpret_cast<Exiv2::byte*>(data.data()), Exiv2::bigEndian);
    return data;
  };
  const auto resources = raw("Exif.Image.ImageResources");
  const auto iim = raw("Exif.Image.IPTCNAA");
  return iptc_digests(resources.value_or(std::vector<std::byte>()),
                      iim ? std::optional<std::span<const std::byte>>(*iim) : std::nullopt);
}

EmbeddedMetadata to_embedded_metadata(Exiv2::Image& image, std::span<const std::byte> bytes,
                                      const std::string& subject) {
  EmbeddedMetadata metadata;
  metadata.width = image.pixelWidth();
  metadata.height = image.pixelHeight();
  if ((metadata.width <= 0 || metadata.height <= 0) &&
      image.imageType() == Exiv2::ImageType::jpeg) {
    if (const auto size = jpeg_pixel_size(bytes)) {
      std::tie(metadata.width, metadata.height) = *size;
    }
  }
  Sources sources{image.exifData(), image.xmpData(), image.iptcData()};
  const IptcDigests digests = digests_of(image, bytes);
  sources.has_iim = !sources.iptc.empty() || digests.current.has_value();
  if (digests.resources_damaged) {
    metadata.warnings.push_back(subject +
                                ": its Photoshop resources (APP13) are damaged; IPTC-IIM in them "
                                "could not be read");
  }
  if (!sources.iptc.empty()) {
    sources.iim_is_utf8 = iim_is_utf8(sources.iptc, metadata, subject);
  }
  if (digests.stored && digests.current) {
    sources.xmp_in_step = *digests.stored == *digests.current;
    metadata.iptc_digest = sources.xmp_in_step ? EmbeddedMetadata::IptcDigest::matches
                                               : EmbeddedMetadata::IptcDigest::differs;
  }
  read_orientation(sources, metadata, subject);
  read_date_taken(sources, metadata, subject);
  read_exposure(sources, metadata);
  read_description(sources, metadata);
  return metadata;
}

}  // namespace

void initialize_metadata() {
  Exiv2::XmpParser::initialize();
  // HEIC's EXIF and XMP sit in ISO BMFF boxes; Exiv2 0.27 reads them only when asked to (its
  // command-line tool asks too). It cannot write them: credited copies of a HEIC are JPEGs.
  Exiv2::enableBMFF(true);
  Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
  Exiv2::LogMsg::setHandler(collect_exiv2_message);
}

namespace {

Result<EmbeddedMetadata> read_once(std::span<const std::byte> bytes, const std::string& subject) {
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
    EmbeddedMetadata metadata = to_embedded_metadata(*image, bytes, subject);
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
    if (error.code() == Exiv2::kerInvalidIccProfile) {
      return fail(Errc::corrupt_data, subject, "its ICC profile is broken");
    }
    return fail(Errc::corrupt_data, subject, std::string("cannot read metadata: ") + error.what());
  } catch (const std::exception& error) {
    return fail(Errc::corrupt_data, subject, std::string("cannot read metadata: ") + error.what());
  }
}

}  // namespace

// The largest XMP packet read. Exiv2 keeps each item of a packet as an object: an 8 MB packet
// of short bag items costs ~370 MB; real packets are a few KB, Lightroom's largest ~1 MB.
constexpr std::size_t k_max_xmp_bytes = 8U << 20U;

Result<EmbeddedMetadata> read_embedded_metadata(std::span<const std::byte> bytes,
                                                const std::string& subject) {
  // JPEG cannot hold a packet over 64 KB that Exiv2 reads (it skips extended XMP); TIFF can.
  if (auto without = tiff_without_large_xmp(bytes, k_max_xmp_bytes)) {
    auto metadata = read_once(without->file, subject);
    if (metadata) {
      metadata->warnings.push_back(subject + ": its XMP packet of " +
                                   std::to_string(without->xmp_bytes >> 20U) +
                                   " MB is over the 8 MB limit; ignored");
    }
    return metadata;
  }
  auto metadata = read_once(bytes, subject);
  // Exiv2 gives up on the whole file for a broken ICC profile; the other fields are still worth
  // having (the renderer ignores the profile too, with its own warning).
  if (!metadata && metadata.error().message == "its ICC profile is broken") {
    const std::vector<std::byte> without = jpeg_without_icc_profile(bytes);
    metadata = read_once(without, subject);
    if (metadata) {
      metadata->warnings.push_back(subject +
                                   ": its ICC profile is broken; metadata read without it");
    }
  }
  return metadata;
}

}  // namespace pressroom
