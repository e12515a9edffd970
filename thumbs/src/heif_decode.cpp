#include "heif_decode.hpp"

#include <libheif/heif.h>

namespace pressroom::thumbs {
namespace {

struct ContextDeleter {
  void operator()(heif_context* context) const { heif_context_free(context); }
};
struct HandleDeleter {
  void operator()(heif_image_handle* handle) const { heif_image_handle_release(handle); }
};
struct ImageDeleter {
  void operator()(heif_image* image) const { heif_image_release(image); }
};
struct OptionsDeleter {
  void operator()(heif_decoding_options* options) const { heif_decoding_options_free(options); }
};
struct NclxDeleter {
  void operator()(heif_color_profile_nclx* nclx) const { heif_nclx_color_profile_free(nclx); }
};

bool failed(const heif_error& error) {
  return error.code != heif_error_Ok;
}

std::string reason(const heif_error& error) {
  return error.message != nullptr && *error.message != '\0' ? error.message : "libheif failed";
}

}  // namespace

struct HeifReader::State {
  std::unique_ptr<heif_context, ContextDeleter> context;
  std::unique_ptr<heif_image_handle, HandleDeleter> handle;
  std::unique_ptr<heif_image, ImageDeleter> image;  // after decode_rgb()
};

HeifReader::HeifReader(std::unique_ptr<State> state) : m_state(std::move(state)) {}
HeifReader::~HeifReader() = default;
HeifReader::HeifReader(HeifReader&&) noexcept = default;
HeifReader& HeifReader::operator=(HeifReader&&) noexcept = default;

Result<HeifReader> HeifReader::open(std::span<const std::byte> bytes, const std::string& subject) {
  auto state = std::make_unique<State>();
  state->context.reset(heif_context_alloc());
  if (!state->context) {
    return fail(Errc::corrupt_data, subject, "cannot decode HEIC: libheif is out of memory");
  }
  // One thread: a phone's HEIC is a grid of tiles that libheif would otherwise decode on its own
  // threads, and renditions already run one photo per core (--jobs).
  heif_context_set_max_decoding_threads(state->context.get(), 0);
  if (const heif_error read = heif_context_read_from_memory_without_copy(
          state->context.get(), bytes.data(), bytes.size(), nullptr);
      failed(read)) {
    return fail(Errc::corrupt_data, subject, "not a readable HEIC: " + reason(read));
  }
  heif_image_handle* handle = nullptr;
  if (const heif_error primary =
          heif_context_get_primary_image_handle(state->context.get(), &handle);
      failed(primary)) {
    return fail(Errc::corrupt_data, subject, "HEIC without a usable image: " + reason(primary));
  }
  state->handle.reset(handle);
  return HeifReader(std::move(state));
}

int HeifReader::width() const {
  return heif_image_handle_get_width(m_state->handle.get());
}

int HeifReader::height() const {
  return heif_image_handle_get_height(m_state->handle.get());
}

bool HeifReader::has_alpha() const {
  return heif_image_handle_has_alpha_channel(m_state->handle.get()) != 0;
}

std::vector<std::byte> HeifReader::icc_profile() const {
  const heif_image_handle* handle = m_state->handle.get();
  const heif_color_profile_type type = heif_image_handle_get_color_profile_type(handle);
  if (type != heif_color_profile_type_prof && type != heif_color_profile_type_rICC) {
    return {};
  }
  std::vector<std::byte> profile(heif_image_handle_get_raw_color_profile_size(handle));
  if (profile.empty() || failed(heif_image_handle_get_raw_color_profile(handle, profile.data()))) {
    return {};
  }
  return profile;
}

std::string HeifReader::colour_warning() const {
  const heif_image_handle* handle = m_state->handle.get();
  if (heif_image_handle_get_color_profile_type(handle) != heif_color_profile_type_nclx) {
    return {};
  }
  heif_color_profile_nclx* read = nullptr;
  if (failed(heif_image_handle_get_nclx_color_profile(handle, &read))) {
    return {};
  }
  const std::unique_ptr<heif_color_profile_nclx, NclxDeleter> nclx(read);
  const auto primaries = static_cast<int>(nclx->color_primaries);
  if (primaries == heif_color_primaries_ITU_R_BT_709_5 ||
      primaries == heif_color_primaries_unspecified) {
    return {};
  }
  return "its nclx colour primaries (" + std::to_string(primaries) +
         ", ITU-T H.273) are not converted; the colours are taken as sRGB";
}

Result<cv::Mat> HeifReader::decode_rgb(const std::string& subject) {
  const std::unique_ptr<heif_decoding_options, OptionsDeleter> options(
      heif_decoding_options_alloc());
  if (!options) {
    return fail(Errc::corrupt_data, subject, "cannot decode HEIC: libheif is out of memory");
  }
  options->ignore_transformations = 0;  // irot, imir and clap are how the image is shown
  options->convert_hdr_to_8bit = 1;
  const bool alpha = has_alpha();
  heif_image* decoded = nullptr;
  if (const heif_error error = heif_decode_image(
          m_state->handle.get(), &decoded, heif_colorspace_RGB,
          alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, options.get());
      failed(error)) {
    return fail(Errc::corrupt_data, subject, "cannot decode HEIC: " + reason(error));
  }
  m_state->image.reset(decoded);
  int stride = 0;
  std::uint8_t* plane = heif_image_get_plane(decoded, heif_channel_interleaved, &stride);
  const int width = heif_image_get_width(decoded, heif_channel_interleaved);
  const int height = heif_image_get_height(decoded, heif_channel_interleaved);
  if (plane == nullptr || width <= 0 || height <= 0) {
    return fail(Errc::corrupt_data, subject, "cannot decode HEIC: libheif returned no pixels");
  }
  return cv::Mat(height, width, alpha ? CV_8UC4 : CV_8UC3, plane, static_cast<std::size_t>(stride));
}

}  // namespace pressroom::thumbs
