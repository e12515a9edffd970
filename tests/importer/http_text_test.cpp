#include "http_text.hpp"

#include <gtest/gtest.h>

namespace pressroom::importer {
namespace {

using namespace std::chrono_literals;

TEST(HttpText, ParsesHttpUrlsAndKeysThemByHost) {
  const auto url = parse_url("https://WWW.Duesseldorf.de/medienportal/bild%201.jpg?x=1");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host_key, "https://www.duesseldorf.de:443");
  const auto v6 = parse_url("http://[::1]:8080/a.jpg");
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_key, "http://[::1]:8080");
  EXPECT_EQ(parse_url("ftp://example.org/a.jpg").error(),
            "ftp://example.org/a.jpg: only http and https URLs are fetched");
  EXPECT_FALSE(parse_url("www.example.org/a.jpg"));
  EXPECT_FALSE(parse_url(""));
}

TEST(HttpText, ParsesContentRange) {
  const auto range = parse_content_range("bytes 600-999/1000");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 600U);
  EXPECT_EQ(range->last, 999U);
  EXPECT_EQ(range->total, 1000U);
  EXPECT_EQ(parse_content_range("bytes 0-9/*")->total, 0U);
  EXPECT_FALSE(parse_content_range("bytes 600-999/900"));  // past the end
  EXPECT_FALSE(parse_content_range("bytes 9-1/100"));
  EXPECT_FALSE(parse_content_range("bytes */1000"));
  EXPECT_FALSE(parse_content_range("items 0-1/2"));
  EXPECT_FALSE(parse_content_range(""));
}

TEST(HttpText, ReadsRetryAfterAsSecondsOrAsADate) {
  constexpr std::time_t now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("120", now), 120s);
  EXPECT_EQ(parse_retry_after(" 0 ", now), 0s);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:29:30 GMT", now), 90s);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), 0s);  // in the past
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("-5", now));
}

TEST(HttpText, SaysWhatABodyThatIsNoImageLooksLike) {
  EXPECT_EQ(describe_non_image(""), "an empty body");
  EXPECT_EQ(describe_non_image("\n  <!DOCTYPE html><html>"), "an HTML page");
  EXPECT_EQ(describe_non_image("<?xml version=\"1.0\"?><svg xmlns="), "an SVG drawing");
  EXPECT_EQ(describe_non_image("{\"error\":\"forbidden\"}"), "a JSON document");
  EXPECT_EQ(describe_non_image("GIF89a\x01\x00"), "a GIF image");
  EXPECT_EQ(describe_non_image("Access denied\r\n"), "text (\"Access denied\")");
  EXPECT_EQ(describe_non_image(std::string("\x00\x01\x02\x03", 4)),
            "bytes 00 01 02 03 of no known type");
}

TEST(HttpText, SplitsAndLowersLists) {
  EXPECT_EQ(split_list(" localhost, .example.org,,10.0.0.1 "),
            (std::vector<std::string>{"localhost", ".example.org", "10.0.0.1"}));
  EXPECT_EQ(lower_case("WWW.Example.ORG"), "www.example.org");
}

}  // namespace
}  // namespace pressroom::importer
