#include "core/credited_copy.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <string_view>

#include <exiv2/exiv2.hpp>

#include "core/text.hpp"
#include "jpeg_segments.hpp"

namespace pressroom {
namespace {

std::unique_ptr<Exiv2::Image> open_image(std::span<const std::byte> bytes) {
  // 0.27 returns std::auto_ptr and 0.28 std::unique_ptr; release() fits both.
  std::unique_ptr<Exiv2::Image> image(
      Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                static_cast<long>(bytes.size()))
          .release());
  image->readMetadata();
  return image;
}

void erase_xmp(Exiv2::XmpData& xmp, const std::string& key) {
  for (auto found = xmp.findKey(Exiv2::XmpKey(key)); found != xmp.end();
       found = xmp.findKey(Exiv2::XmpKey(key))) {
    xmp.erase(found);
  }
}

void set_xmp_text(Exiv2::XmpData& xmp, const std::string& key, const std::string& text) {
  erase_xmp(xmp, key);
  xmp[key] = text;
}

// A language alternative with the text as its x-default.
void set_xmp_lang_alt(Exiv2::XmpData& xmp, const std::string& key, const std::string& text) {
  erase_xmp(xmp, key);
  const auto value = Exiv2::Value::create(Exiv2::langAlt);
  value->read("lang=\"x-default\" " + text);
  xmp.add(Exiv2::XmpKey(key), value.get());
}

void set_xmp_list(Exiv2::XmpData& xmp, const std::string& key, Exiv2::TypeId type,
                  const std::vector<std::string>& items) {
  erase_xmp(xmp, key);
  const auto value = Exiv2::Value::create(type);
  for (const auto& item : items) {
    value->read(item);  // each read appends an item to a bag or seq
  }
  xmp.add(Exiv2::XmpKey(key), value.get());
}

// The longest start of `text` of at most `limit` bytes that ends on a character boundary.
std::string cut_utf8(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  return text.substr(0, end);
}

struct IimWriter {
  Exiv2::IptcData& iptc;
  std::vector<std::string>& shortened;

  void erase(const char* key) {
    for (auto found = iptc.findKey(Exiv2::IptcKey(key)); found != iptc.end();
         found = iptc.findKey(Exiv2::IptcKey(key))) {
      iptc.erase(found);
    }
  }

  void add(const char* key, const char* name, const std::string& text, std::size_t limit) {
    std::string value = cut_utf8(text, limit);
    if (value.size() < text.size()) {
      shortened.push_back(std::string("IIM ") + name + " shortened to " + std::to_string(limit) +
                          " bytes: \"" + value + "\"");
    }
    Exiv2::Iptcdatum datum{Exiv2::IptcKey(key)};
    datum.setValue(value);
    iptc.add(datum);
  }

  void set(const char* key, const char* name, const std::string& text, std::size_t limit) {
    erase(key);
    add(key, name, text, limit);
  }

  void set_all(const char* key, const char* name, const std::vector<std::string>& items,
               std::size_t limit) {
    erase(key);
    for (const auto& item : items) {
      add(key, name, item, limit);
    }
  }
};

// IIM text already in the file, made UTF-8 before the record is declared UTF-8: the same rule
// as the reader's (declared UTF-8 stays; otherwise valid UTF-8 stays, the rest is
// Windows-1252).
void iim_to_utf8(Exiv2::IptcData& iptc) {
  const auto declared = iptc.findKey(Exiv2::IptcKey("Iptc.Envelope.CharacterSet"));
  if (declared != iptc.end() && declared->value().toString() == "\x1b%G") {
    return;
  }
  const bool all_utf8 = std::all_of(iptc.begin(), iptc.end(), [](const Exiv2::Iptcdatum& datum) {
    return datum.typeId() != Exiv2::string || is_valid_utf8(datum.value().toString());
  });
  if (all_utf8) {
    return;
  }
  for (auto& datum : iptc) {
    if (datum.typeId() == Exiv2::string) {
      datum.setValue(windows_1252_to_utf8(datum.value().toString()));
    }
  }
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    out.append(out.empty() ? "" : separator).append(item);
  }
  return out;
}

void write_fields(Exiv2::Image& image, const CreditedFields& fields,
                  std::vector<std::string>& shortened) {
  Exiv2::XmpData& xmp = image.xmpData();
  Exiv2::ExifData& exif = image.exifData();
  Exiv2::IptcData& iptc = image.iptcData();
  iim_to_utf8(iptc);
  IimWriter iim{iptc, shortened};
  iim.set("Iptc.Envelope.CharacterSet", "CodedCharacterSet", "\x1b%G", 32);
  // IIM limits in bytes: IPTC-IIM 4.2, record 2.
  if (!fields.caption.empty()) {
    set_xmp_lang_alt(xmp, "Xmp.dc.description", fields.caption);
    iim.set("Iptc.Application2.Caption", "Caption (2:120)", fields.caption, 2000);
    exif["Exif.Image.ImageDescription"] = fields.caption;
  }
  if (fields.headline && !fields.headline->empty()) {
    set_xmp_text(xmp, "Xmp.photoshop.Headline", *fields.headline);
    iim.set("Iptc.Application2.Headline", "Headline (2:105)", *fields.headline, 256);
  }
  if (!fields.creators.empty()) {
    set_xmp_list(xmp, "Xmp.dc.creator", Exiv2::xmpSeq, fields.creators);
    iim.set_all("Iptc.Application2.Byline", "By-line (2:80)", fields.creators, 32);
    exif["Exif.Image.Artist"] = joined(fields.creators, "; ");  // MWG 2.0: "; " between names
  }
  if (!fields.credit_line.empty()) {
    set_xmp_text(xmp, "Xmp.photoshop.Credit", fields.credit_line);
    iim.set("Iptc.Application2.Credit", "Credit (2:110)", fields.credit_line, 32);
  }
  if (!fields.copyright.empty()) {
    set_xmp_lang_alt(xmp, "Xmp.dc.rights", fields.copyright);
    iim.set("Iptc.Application2.Copyright", "Copyright Notice (2:116)", fields.copyright, 128);
    exif["Exif.Image.Copyright"] = fields.copyright;
    set_xmp_text(xmp, "Xmp.xmpRights.Marked", "True");
  }
  if (!fields.usage_terms.empty()) {
    set_xmp_lang_alt(xmp, "Xmp.xmpRights.UsageTerms", fields.usage_terms);
  }
  if (!fields.people.empty()) {
    set_xmp_list(xmp, "Xmp.iptcExt.PersonInImage", Exiv2::xmpBag, fields.people);
  }
  if (!fields.keywords.empty()) {
    set_xmp_list(xmp, "Xmp.dc.subject", Exiv2::xmpBag, fields.keywords);
    iim.set_all("Iptc.Application2.Keywords", "Keywords (2:25)", fields.keywords, 64);
  }
  if (!fields.hierarchical_keywords.empty()) {
    set_xmp_list(xmp, "Xmp.lr.hierarchicalSubject", Exiv2::xmpBag, fields.hierarchical_keywords);
  }
  if (fields.source_url) {
    set_xmp_text(xmp, "Xmp.dc.source", *fields.source_url);
  }
}

void carry_over(Exiv2::Image& image, std::span<const std::byte> original) {
  const auto source = open_image(original);
  image.setExifData(source->exifData());
  image.setIptcData(source->iptcData());
  image.setXmpData(source->xmpData());
  Exiv2::ExifData& exif = image.exifData();
  Exiv2::ExifThumb(exif).erase();
  exif["Exif.Image.Orientation"] = static_cast<std::uint16_t>(1);
  for (const char* key : {"Exif.Photo.PixelXDimension", "Exif.Photo.PixelYDimension"}) {
    if (const auto found = exif.findKey(Exiv2::ExifKey(key)); found != exif.end()) {
      exif.erase(found);
    }
  }
  erase_xmp(image.xmpData(), "Xmp.tiff.Orientation");
}

}  // namespace

Result<CreditedCopy> credited_copy(std::span<const std::byte> image, const CreditedFields& fields,
                                   const std::string& subject,
                                   std::optional<std::span<const std::byte>> metadata_from) {
  try {
    auto target = open_image(image);
    if (metadata_from) {
      carry_over(*target, *metadata_from);
    }
    CreditedCopy copy;
    write_fields(*target, fields, copy.shortened);
    target->writeMetadata();
    Exiv2::BasicIo& io = target->io();
    io.seek(0, Exiv2::BasicIo::beg);
    const Exiv2::DataBuf written = io.read(static_cast<long>(io.size()));
    const auto* data = reinterpret_cast<const std::byte*>(written.pData_);
    copy.bytes.assign(data, data + written.size_);
    if (target->imageType() == Exiv2::ImageType::jpeg) {
      update_jpeg_iptc_digest(copy.bytes);
    }
    return copy;
  } catch (const Exiv2::AnyError& error) {
    if (error.code() == Exiv2::kerMemoryContainsUnknownImageType) {
      return fail(Errc::unsupported_format, subject, "cannot write metadata into this format");
    }
    return fail(Errc::corrupt_data, subject, std::string("cannot write metadata: ") + error.what());
  } catch (const std::exception& error) {
    return fail(Errc::corrupt_data, subject, std::string("cannot write metadata: ") + error.what());
  }
}

}  // namespace pressroom
