#include "codecs.hpp"

#include <array>

#include <dlfcn.h>

namespace pressroom::thumbs {
namespace {

using DecodeFunction = int (*)(const cv::Mat*, int, cv::Mat*, char*, std::size_t);
using EncodeFunction = int (*)(const char*, const cv::Mat*, const std::vector<int>*,
                               std::vector<unsigned char>*, char*, std::size_t);

struct CodecsModule {
  DecodeFunction decode = nullptr;
  EncodeFunction encode = nullptr;
  std::string error;  // why the module is not there
};

CodecsModule load() {
  CodecsModule module;
  // Never closed: the module lives as long as the process.
  void* handle = ::dlopen(PRESSROOM_CODECS_MODULE, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): runs once, under the static's initialisation lock
    const char* reason = ::dlerror();
    module.error = std::string("cannot load the image codecs: ") +
                   (reason != nullptr ? reason : PRESSROOM_CODECS_MODULE);
    return module;
  }
  // dlsym returns void*; POSIX guarantees it converts to a function pointer.
  module.decode = reinterpret_cast<DecodeFunction>(::dlsym(handle, "pressroom_codecs_decode"));
  module.encode = reinterpret_cast<EncodeFunction>(::dlsym(handle, "pressroom_codecs_encode"));
  if (module.decode == nullptr || module.encode == nullptr) {
    module.error =
        std::string("the image codecs module ") + PRESSROOM_CODECS_MODULE + " lacks its functions";
  }
  return module;
}

const CodecsModule& codecs() {
  static const CodecsModule module = load();  // C++11: initialised once, thread-safe
  return module;
}

}  // namespace

tl::expected<cv::Mat, std::string> imdecode(const cv::Mat& input, int flags) {
  const CodecsModule& module = codecs();
  if (!module.error.empty()) {
    return tl::make_unexpected(module.error);
  }
  std::array<char, 512> error{};
  cv::Mat output;
  if (module.decode(&input, flags, &output, error.data(), error.size()) != 0) {
    return tl::make_unexpected(std::string(error.data()));
  }
  return output;
}

tl::expected<std::vector<unsigned char>, std::string> imencode(const char* extension,
                                                               const cv::Mat& image,
                                                               const std::vector<int>& parameters) {
  const CodecsModule& module = codecs();
  if (!module.error.empty()) {
    return tl::make_unexpected(module.error);
  }
  std::array<char, 512> error{};
  std::vector<unsigned char> output;
  if (module.encode(extension, &image, &parameters, &output, error.data(), error.size()) != 0) {
    return tl::make_unexpected(std::string(error.data()));
  }
  return output;
}

}  // namespace pressroom::thumbs
