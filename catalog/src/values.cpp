#include "values.hpp"

#include "catalog/catalog.hpp"
#include "core/text.hpp"

namespace pressroom::catalog {

Result<std::string> clean_text(std::string_view value, std::string_view what, std::size_t max_bytes,
                               bool allow_empty) {
  const std::string subject(value.substr(0, 60));
  if (!is_clean_utf8(value)) {
    return fail(Errc::invalid_input, subject,
                std::string(what) + " is not UTF-8 text, or holds control characters");
  }
  std::string collapsed;
  collapsed.reserve(value.size());
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !collapsed.empty()) {
      collapsed.push_back(' ');
    }
    space = false;
    collapsed.push_back(c);
  }
  std::string text = to_nfc(collapsed);
  if (text.empty() && !allow_empty) {
    return fail(Errc::invalid_input, subject, std::string(what) + " is empty");
  }
  if (text.size() > max_bytes) {
    return fail(Errc::invalid_input, subject,
                std::string(what) + " is " + std::to_string(text.size()) +
                    " bytes long; the catalog keeps at most " + std::to_string(max_bytes));
  }
  return text;
}

std::vector<std::string> name_words(std::string_view folded) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : folded) {
    if (c == ' ' || k_name_separators.find(c) != std::string_view::npos) {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  return words;
}

std::string umlauts_written_back(std::string_view folded_word) {
  std::string out;
  out.reserve(folded_word.size());
  for (std::size_t i = 0; i < folded_word.size(); ++i) {
    const char c = folded_word[i];
    out.push_back(c);
    if ((c == 'a' || c == 'o' || c == 'u') && i + 1 < folded_word.size() &&
        folded_word[i + 1] == 'e') {
      ++i;
    }
  }
  return out;
}

std::vector<std::string> split_tag_path(std::string_view path) {
  std::vector<std::string> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = path.find('|', start);
    std::string_view level =
        path.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    while (!level.empty() && (level.front() == ' ' || level.front() == '\t')) {
      level.remove_prefix(1);
    }
    while (!level.empty() && (level.back() == ' ' || level.back() == '\t')) {
      level.remove_suffix(1);
    }
    levels.emplace_back(level);
    if (bar == std::string_view::npos) {
      return levels;
    }
    start = bar + 1;
  }
}

Result<std::vector<std::string>> clean_tag_path(std::string_view path) {
  const std::string subject(path.substr(0, 60));
  auto levels = split_tag_path(path);
  if (static_cast<int>(levels.size()) > k_max_tag_depth) {
    return fail(Errc::invalid_input, subject,
                "the tag has " + std::to_string(levels.size()) + " levels; at most " +
                    std::to_string(k_max_tag_depth) + " are kept");
  }
  for (auto& level : levels) {
    auto cleaned = clean_text(level, "a level of the tag", k_max_tag_level_bytes);
    if (!cleaned) {
      return fail(Errc::invalid_input, subject,
                  levels.size() > 1 && level.empty() ? "the tag has an empty level (\"a||b\")"
                                                     : cleaned.error().message);
    }
    level = std::move(*cleaned);
  }
  return levels;
}

}  // namespace pressroom::catalog
