// SPDX-License-Identifier: MIT
// event/endpoint: URL splitting and id folding.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "analyzer/event/endpoint.hpp"

namespace bdata = boost::unit_test::data;
using analyzer::event::fold_ids;
using analyzer::event::split_url;

namespace {

struct url_case {
  const char* url;
  const char* host;
  const char* path;
};
std::ostream& operator<<(std::ostream& os, const url_case& c) {
  return os << '"' << c.url << '"';
}

const url_case urls[] = {
    {"https://api-singapore.klingai.com/v1/videos/text2video",
     "api-singapore.klingai.com", "/v1/videos/text2video"},
    {"https://api.klingai.com/v1/videos/text2video?page=1&size=30",
     "api.klingai.com", "/v1/videos/text2video"},
    {"https://api.klingai.com/v1/videos/text2video#frag", "api.klingai.com",
     "/v1/videos/text2video"},
    {"https://api.klingai.com/tasks?task_ids=tv_01ZA9XM2GSRPM5058HFV4D2W30",
     "api.klingai.com", "/tasks"},
    {"https://api.klingai.com:8443/v1/images/generations", "api.klingai.com",
     "/v1/images/generations"},
    {"http://127.0.0.1:8788/index.html", "127.0.0.1", "/index.html"},
    {"https://user:secret@api.klingai.com/v1/videos/image2video",
     "api.klingai.com", "/v1/videos/image2video"},
    {"https://user:secret@api.klingai.com:443/v1", "api.klingai.com", "/v1"},
    {"https://api.klingai.com", "api.klingai.com", "/"},
    {"https://api.klingai.com/", "api.klingai.com", "/"},
    {"https://api.klingai.com?x=1", "api.klingai.com", "/"},
    {"/v1/videos/text2video?x=1", "", "/v1/videos/text2video"},
    {"/text-to-video/kling-2.6", "", "/text-to-video/kling-2.6"},
    {"", "", "/"},
};

struct fold_case {
  const char* path;
  const char* folded;
};
std::ostream& operator<<(std::ostream& os, const fold_case& c) {
  return os << '"' << c.path << '"';
}

const fold_case folds[] = {
    // Legacy task ids: long numbers.
    {"/v1/videos/text2video/8734512093", "/v1/videos/text2video/{id}"},
    {"/v1/videos/image2video/372215588571964782", "/v1/videos/image2video/{id}"},
    // Task ids mixing letters and digits (16+ characters).
    {"/v1/videos/text2video/CjhMfGdnXAoAAAAAAB2Ytw",
     "/v1/videos/text2video/{id}"},
    {"/tasks/tv_01ZA9XM2GSRPM5058HFV4D2W30", "/tasks/{id}"},
    // ...or of letters alone, in both cases (no digit in 22 characters).
    {"/v1/videos/text2video/CjzkstoqNFEASzvIljnqoY", "/v1/videos/text2video/{id}"},
    {"/v1/videos/text2video/CjzZhaX_aAxwpIMppjboVv", "/v1/videos/text2video/{id}"},
    {"/v1/videos/text2video/8f3a9c0e1b2d4f6a", "/v1/videos/text2video/{id}"},
    {"/v1/videos/text2video/8f3a9c0e-1b2d-4f6a", "/v1/videos/text2video/{id}"},
    // UUIDs.
    {"/v1/tasks/550e8400-e29b-41d4-a716-446655440000", "/v1/tasks/{id}"},
    {"/v1/tasks/550E8400-E29B-41D4-A716-446655440000/result",
     "/v1/tasks/{id}/result"},
    // Numbers of 4+ digits anywhere, several ids in one path.
    {"/v1/users/1234/tasks/98765", "/v1/users/{id}/tasks/{id}"},
    // Left alone: short numbers, words, versions, model names in the path.
    {"/v1/videos/text2video/123", "/v1/videos/text2video/123"},
    {"/v1/videos/text2video", "/v1/videos/text2video"},
    {"/v1/videos/image2video", "/v1/videos/image2video"},
    {"/v1/images/generations", "/v1/images/generations"},
    {"/text-to-video/kling-2.6", "/text-to-video/kling-2.6"},
    {"/image-to-video/kling-2.6", "/image-to-video/kling-2.6"},
    {"/v1/videos/lip-sync", "/v1/videos/lip-sync"},
    {"/v1/images/kolors-virtual-try-on", "/v1/images/kolors-virtual-try-on"},
    {"/v1/videos/generateVideoFromImage", "/v1/videos/generateVideoFromImage"},
    {"/v1/videos/AVeryLongEndpointName", "/v1/videos/AVeryLongEndpointName"},
    {"/tasks", "/tasks"},
    {"/", "/"},
    {"", "/"},
    // Trailing slash: the id before it is still folded, the slash is kept.
    {"/v1/videos/text2video/8734512093/", "/v1/videos/text2video/{id}/"},
    {"/v1/videos/text2video/", "/v1/videos/text2video/"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(endpoint_test)

BOOST_DATA_TEST_CASE(split_url_host_and_path, bdata::make(urls), c) {
  auto parts = split_url(c.url);
  BOOST_TEST(parts.host == std::string_view(c.host));
  BOOST_TEST(parts.path == std::string_view(c.path));
}

BOOST_DATA_TEST_CASE(fold_ids_replaces_id_segments, bdata::make(folds), c) {
  std::string out = "left over from the previous call";
  fold_ids(c.path, out);
  BOOST_TEST(out == c.folded);
}

// Kling's real create endpoints whose names mix letters and digits and are
// 16+ characters long must not be mistaken for task ids.
BOOST_AUTO_TEST_CASE(fold_ids_keeps_multi_image_endpoint_names) {
  std::string out;
  fold_ids("/v1/videos/multi-image2video", out);
  BOOST_TEST(out == "/v1/videos/multi-image2video");
  fold_ids("/v1/images/multi-image2image", out);
  BOOST_TEST(out == "/v1/images/multi-image2image");
  // ...while their task queries still fold the id.
  fold_ids("/v1/videos/multi-image2video/CjhMfGdnXAoAAAAAAB2Ytw", out);
  BOOST_TEST(out == "/v1/videos/multi-image2video/{id}");
}

BOOST_AUTO_TEST_SUITE_END()
