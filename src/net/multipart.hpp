#pragma once
// multipart/form-data (RFC 7578) bodies, as uploads arrive from wechatpy (Python requests),
// go-workwx (Go's mime/multipart), curl and browsers.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::net {

struct MultipartPart {
  std::string name;                     // form field name
  std::optional<std::string> filename;  // UTF-8; from filename*=UTF-8''... (RFC 5987, preferred)
                                        // or filename="..."
  std::string content_type;             // "" when the part has none
  std::string_view data;                // points into the body passed to ParseMultipart
};

// The boundary of a Content-Type header value such as `multipart/form-data; boundary="abc"`
// (case-insensitive type and parameter names, quoted or not); nullopt when it is not
// multipart/form-data or has no usable boundary (1-70 characters).
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// The parts of `body`; kInvalidArgument with a short message on malformed input (no opening
// boundary, a part without headers end, no closing boundary, too many parts, a header line over
// 8 KiB). At most `max_parts` parts. Runs in time linear in the body's size.
core::Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body,
                                                        std::string_view boundary,
                                                        std::size_t max_parts = 16);

}  // namespace corphub::net
