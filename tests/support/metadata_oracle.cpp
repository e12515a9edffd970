#include "metadata_oracle.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "test_support.hpp"

namespace pressroom::testing {
namespace {

// The tags read, by exiftool's family-1 group names (-G1).
const std::vector<std::string> k_tags = {"File:ImageWidth",
                                         "File:ImageHeight",
                                         "PNG:ImageWidth",
                                         "PNG:ImageHeight",
                                         "IFD0:Orientation",
                                         "XMP-tiff:Orientation",
                                         "MWG:DateTimeOriginal",
                                         "IFD0:Make",
                                         "IFD0:Model",
                                         "ExifIFD:LensModel",
                                         "XMP-exifEX:LensModel",
                                         "XMP-aux:Lens",
                                         "ExifIFD:ExposureTime",
                                         "XMP-exif:ExposureTime",
                                         "ExifIFD:FNumber",
                                         "XMP-exif:FNumber",
                                         "ExifIFD:ISO",
                                         "XMP-exif:ISO",
                                         "ExifIFD:FocalLength",
                                         "XMP-exif:FocalLength",
                                         "Composite:GPSLatitude",
                                         "Composite:GPSLongitude",
                                         "XMP-exif:GPSLatitude",
                                         "XMP-exif:GPSLongitude",
                                         "Composite:GPSAltitude",
                                         "GPS:GPSAltitude",
                                         "MWG:Description",
                                         "MWG:Creator",
                                         "MWG:Copyright",
                                         "MWG:Keywords",
                                         "MWG:City",
                                         "MWG:Location",
                                         "MWG:State",
                                         "MWG:Country",
                                         "XMP-dc:Title",
                                         "IPTC:ObjectName",
                                         "XMP-photoshop:Headline",
                                         "IPTC:Headline",
                                         "XMP-photoshop:Credit",
                                         "IPTC:Credit",
                                         "XMP-photoshop:Source",
                                         "IPTC:Source",
                                         "XMP-xmpRights:UsageTerms",
                                         "XMP-xmpRights:WebStatement",
                                         "XMP-iptcExt:PersonInImage",
                                         "XMP-iptcExt:Event",
                                         "XMP-iptcCore:AltTextAccessibility",
                                         "XMP-lr:HierarchicalSubject",
                                         "IPTC:CodedCharacterSet",
                                         "Photoshop:IPTCDigest",
                                         "File:CurrentIPTCDigest"};

std::vector<nlohmann::json> run_exiftool(const std::vector<std::filesystem::path>& files,
                                         const std::vector<std::string>& charset_options) {
  const TempDir dir;
  const auto list = dir / "files.txt";
  {
    std::ofstream out(list);
    for (const auto& file : files) {
      out << file.string() << '\n';
    }
  }
  std::vector<std::string> command{"/usr/bin/exiftool", "-json", "-n", "-G1", "-use", "MWG"};
  command.insert(command.end(), charset_options.begin(), charset_options.end());
  for (const auto& tag : k_tags) {
    command.push_back("-" + tag);
  }
  command.insert(command.end(), {"-@", list.string()});
  const ProcessResult result = run_process(command, {}, 600);
  const auto parsed = nlohmann::json::parse(result.out, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return {};
  }
  return parsed.get<std::vector<nlohmann::json>>();
}

// exiftool writes numeric-looking text as a JSON number; the fields compared are text.
std::string as_text(const nlohmann::json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && blank(text.back())) {
    text.pop_back();
  }
  const auto start = std::find_if_not(text.begin(), text.end(), blank);
  return {start, text.end()};
}

std::vector<std::string> as_list(const nlohmann::json* value) {
  std::vector<std::string> items;
  if (value == nullptr) {
    return items;
  }
  if (value->is_array()) {
    for (const auto& item : *value) {
      items.push_back(as_text(item));
    }
  } else {
    items.push_back(as_text(*value));
  }
  std::erase_if(items, [](const std::string& item) { return item.empty(); });
  return items;
}

const nlohmann::json* tag(const nlohmann::json& object, const std::string& name) {
  const auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

// The MWG rule for fields exiftool has no MWG tag for (title, headline, credit, source):
// what its MWG composites do for Description, applied to its readings of the two tags.
std::vector<std::string> mwg_choice(const nlohmann::json& object, const std::string& xmp_tag,
                                    const std::string& iim_tag, std::size_t limit) {
  auto xmp = as_list(tag(object, xmp_tag));
  const auto* current = tag(object, "File:CurrentIPTCDigest");
  const auto* stored = tag(object, "Photoshop:IPTCDigest");
  if (current == nullptr ||
      (!xmp.empty() && (stored == nullptr || as_text(*stored) == as_text(*current)))) {
    return xmp;
  }
  auto iim = as_list(tag(object, iim_tag));
  for (std::size_t i = 0; i < iim.size() && i < xmp.size(); ++i) {
    if (iim[i].size() == limit && xmp[i].size() > limit &&
        xmp[i].compare(0, iim[i].size(), iim[i]) == 0) {
      iim[i] = xmp[i];
    }
  }
  return iim;
}

void put_text(nlohmann::json& out, const char* field, const std::vector<std::string>& items) {
  if (!items.empty()) {
    out[field] = items.front();
  }
}

void put_list(nlohmann::json& out, const char* field, const std::vector<std::string>& items) {
  if (!items.empty()) {
    out[field] = items;
  }
}

void put_number(nlohmann::json& out, const char* field, const nlohmann::json& object,
                std::initializer_list<const char*> tags) {
  for (const char* name : tags) {
    const auto* value = tag(object, name);
    if (value != nullptr && value->is_number()) {
      out[field] = *value;
      return;
    }
  }
}

// exiftool's MWG DateTimeOriginal, "2021:10:20 21:01:01.25+02:00", as our local time and offset.
void put_date(nlohmann::json& out, const nlohmann::json& object) {
  const auto* value = tag(object, "MWG:DateTimeOriginal");
  if (value == nullptr || !value->is_string()) {
    return;
  }
  std::string text = value->get<std::string>();
  if (text.size() < 19 || text.compare(0, 4, "0000") == 0 || text[13] != ':') {
    return;  // a bare date is not a moment (deliberate difference, see the header)
  }
  std::string local = text.substr(0, 19);
  local[4] = '-';
  local[7] = '-';
  local[10] = 'T';
  out["date_taken"] = local;
  std::string rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    rest.erase(0, rest.find_first_not_of("0123456789", 1));
  }
  if (rest == "Z") {
    rest = "+00:00";
  }
  if (rest.size() == 6) {
    out["date_taken_offset"] = rest;
  }
}

nlohmann::json fields_of(const nlohmann::json& object) {
  nlohmann::json out = nlohmann::json::object();
  put_number(out, "width", object, {"File:ImageWidth", "PNG:ImageWidth"});
  put_number(out, "height", object, {"File:ImageHeight", "PNG:ImageHeight"});
  int orientation = 1;
  for (const char* name : {"IFD0:Orientation", "XMP-tiff:Orientation"}) {
    if (const auto* value = tag(object, name); value != nullptr && value->is_number()) {
      orientation = value->get<int>();
      break;
    }
  }
  out["orientation"] = orientation >= 1 && orientation <= 8 ? orientation : 1;
  put_date(out, object);
  put_text(out, "camera_make", as_list(tag(object, "IFD0:Make")));
  put_text(out, "camera_model", as_list(tag(object, "IFD0:Model")));
  for (const char* name : {"ExifIFD:LensModel", "XMP-exifEX:LensModel", "XMP-aux:Lens"}) {
    if (const auto lens = as_list(tag(object, name)); !lens.empty()) {
      out["lens"] = lens.front();
      break;
    }
  }
  put_number(out, "exposure_time", object, {"ExifIFD:ExposureTime", "XMP-exif:ExposureTime"});
  put_number(out, "f_number", object, {"ExifIFD:FNumber", "XMP-exif:FNumber"});
  put_number(out, "iso", object, {"ExifIFD:ISO", "XMP-exif:ISO"});
  put_number(out, "focal_length", object, {"ExifIFD:FocalLength", "XMP-exif:FocalLength"});
  const auto* latitude = tag(object, "Composite:GPSLatitude");
  const auto* longitude = tag(object, "Composite:GPSLongitude");
  if (latitude != nullptr && latitude->is_number() && longitude != nullptr &&
      longitude->is_number()) {
    put_number(out, "gps_latitude", object, {"Composite:GPSLatitude"});
    put_number(out, "gps_longitude", object, {"Composite:GPSLongitude"});
  } else {
    put_number(out, "gps_latitude", object, {"XMP-exif:GPSLatitude"});
    put_number(out, "gps_longitude", object, {"XMP-exif:GPSLongitude"});
  }
  put_number(out, "gps_altitude", object, {"Composite:GPSAltitude", "GPS:GPSAltitude"});
  put_text(out, "caption", as_list(tag(object, "MWG:Description")));
  put_list(out, "creators", as_list(tag(object, "MWG:Creator")));
  put_text(out, "copyright", as_list(tag(object, "MWG:Copyright")));
  put_list(out, "keywords", as_list(tag(object, "MWG:Keywords")));
  // LocationShown may hold several locations; we keep the first (deliberate, see the header).
  put_text(out, "city", as_list(tag(object, "MWG:City")));
  put_text(out, "sublocation", as_list(tag(object, "MWG:Location")));
  put_text(out, "state", as_list(tag(object, "MWG:State")));
  put_text(out, "country", as_list(tag(object, "MWG:Country")));
  put_text(out, "title", mwg_choice(object, "XMP-dc:Title", "IPTC:ObjectName", 64));
  put_text(out, "headline", mwg_choice(object, "XMP-photoshop:Headline", "IPTC:Headline", 256));
  put_text(out, "credit_line", mwg_choice(object, "XMP-photoshop:Credit", "IPTC:Credit", 32));
  put_text(out, "source", mwg_choice(object, "XMP-photoshop:Source", "IPTC:Source", 32));
  put_text(out, "usage_terms", as_list(tag(object, "XMP-xmpRights:UsageTerms")));
  put_text(out, "web_statement", as_list(tag(object, "XMP-xmpRights:WebStatement")));
  put_list(out, "people_shown", as_list(tag(object, "XMP-iptcExt:PersonInImage")));
  put_text(out, "event", as_list(tag(object, "XMP-iptcExt:Event")));
  put_text(out, "alt_text", as_list(tag(object, "XMP-iptcCore:AltTextAccessibility")));
  put_list(out, "hierarchical_keywords", as_list(tag(object, "XMP-lr:HierarchicalSubject")));
  const auto* current = tag(object, "File:CurrentIPTCDigest");
  const auto* stored = tag(object, "Photoshop:IPTCDigest");
  if (current != nullptr && stored != nullptr) {
    out["iptc_digest"] = as_text(*current) == as_text(*stored) ? "matches" : "differs";
  }
  return out;
}

std::size_t question_marks(const nlohmann::json& value) {
  const std::string text = value.dump();
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '?'));
}

}  // namespace

// Text without a declared character set: exiftool reads undeclared IIM, and EXIF here, as
// Windows-1252 ("Latin"); we read it as UTF-8 when it is valid UTF-8 (issue 6). So exiftool
// reads every file twice, once with Latin and once with UTF-8 for IIM and EXIF; where the two
// readings of a field differ, the UTF-8 one is the oracle unless it has more '?' (exiftool's
// mark for bytes that are not UTF-8), in which case the text was not UTF-8 and the Latin one is.
std::map<std::filesystem::path, nlohmann::json> exiftool_metadata(
    const std::vector<std::filesystem::path>& files) {
  const auto latin = run_exiftool(files, {"-charset", "iptc=Latin", "-charset", "exif=Latin"});
  const auto utf8 = run_exiftool(files, {"-charset", "iptc=UTF8", "-charset", "exif=UTF8"});
  std::map<std::filesystem::path, nlohmann::json> by_file;
  std::map<std::string, nlohmann::json> utf8_by_file;
  for (const auto& object : utf8) {
    utf8_by_file[object.value("SourceFile", "")] = fields_of(object);
  }
  for (const auto& object : latin) {
    const std::string file = object.value("SourceFile", "");
    nlohmann::json fields = fields_of(object);
    const auto other = utf8_by_file.find(file);
    if (other != utf8_by_file.end()) {
      for (const auto& [name, value] : other->second.items()) {
        if (!fields.contains(name) || fields[name] != value) {
          if (!fields.contains(name) || question_marks(value) <= question_marks(fields[name])) {
            fields[name] = value;
          }
        }
      }
    }
    by_file[file] = fields;
  }
  return by_file;
}

nlohmann::json to_json(const EmbeddedMetadata& metadata) {
  nlohmann::json out = nlohmann::json::object();
  const auto text = [&out](const char* field, const std::optional<std::string>& value) {
    if (value) {
      out[field] = *value;
    }
  };
  const auto list = [&out](const char* field, const std::vector<std::string>& value) {
    if (!value.empty()) {
      out[field] = value;
    }
  };
  const auto number = [&out](const char* field, const auto& value) {
    if (value) {
      out[field] = *value;
    }
  };
  if (metadata.width > 0 && metadata.height > 0) {
    out["width"] = metadata.width;
    out["height"] = metadata.height;
  }
  out["orientation"] = metadata.orientation;
  text("date_taken", metadata.date_taken);
  text("date_taken_offset", metadata.date_taken_offset);
  text("camera_make", metadata.camera_make);
  text("camera_model", metadata.camera_model);
  text("lens", metadata.lens);
  number("exposure_time", metadata.exposure_time);
  number("f_number", metadata.f_number);
  number("iso", metadata.iso);
  number("focal_length", metadata.focal_length);
  number("gps_latitude", metadata.gps_latitude);
  number("gps_longitude", metadata.gps_longitude);
  number("gps_altitude", metadata.gps_altitude);
  text("title", metadata.title);
  text("headline", metadata.headline);
  text("caption", metadata.caption);
  list("keywords", metadata.keywords);
  list("hierarchical_keywords", metadata.hierarchical_keywords);
  list("creators", metadata.creators);
  text("credit_line", metadata.credit_line);
  text("copyright", metadata.copyright);
  text("usage_terms", metadata.usage_terms);
  text("web_statement", metadata.web_statement);
  text("source", metadata.source);
  text("city", metadata.city);
  text("sublocation", metadata.sublocation);
  text("state", metadata.state);
  text("country", metadata.country);
  list("people_shown", metadata.people_shown);
  text("event", metadata.event);
  text("alt_text", metadata.alt_text);
  if (metadata.iptc_digest != EmbeddedMetadata::IptcDigest::absent) {
    out["iptc_digest"] =
        metadata.iptc_digest == EmbeddedMetadata::IptcDigest::matches ? "matches" : "differs";
  }
  return out;
}

std::vector<std::string> metadata_differences(const nlohmann::json& ours,
                                              const nlohmann::json& oracle) {
  std::vector<std::string> differences;
  std::vector<std::string> fields;
  for (const auto& [name, value] : ours.items()) {
    fields.push_back(name);
  }
  for (const auto& [name, value] : oracle.items()) {
    if (!ours.contains(name)) {
      fields.push_back(name);
    }
  }
  for (const auto& name : fields) {
    const nlohmann::json mine = ours.value(name, nlohmann::json());
    const nlohmann::json theirs = oracle.value(name, nlohmann::json());
    bool same = mine == theirs;
    if (!same && mine.is_number() && theirs.is_number()) {
      const double a = mine.get<double>();
      const double b = theirs.get<double>();
      same = std::abs(a - b) <= 1e-6 * std::max({1.0, std::abs(a), std::abs(b)});
    }
    if (!same) {
      differences.push_back(name + ": ours " + mine.dump() + ", exiftool " + theirs.dump());
    }
  }
  return differences;
}

}  // namespace pressroom::testing
