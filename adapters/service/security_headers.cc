// The browser-facing headers of every answer (see security_headers.h).
#include "adapters/service/security_headers.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <string>

namespace autoriza {
namespace {

// Header names compare without case (RFC 9110 section 5.1).
bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_header(const Reply& reply, std::string_view name) {
  return std::any_of(reply.headers.begin(), reply.headers.end(),
                     [name](const auto& header) { return same_name(header.first, name); });
}

void add_missing(Reply* reply, std::string_view name, std::string_view value) {
  if (!has_header(*reply, name)) reply->headers.emplace_back(std::string(name), std::string(value));
}

// The media type of a Content-Type ("text/html; charset=utf-8" -> text/html).
std::string_view media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  return content_type;
}

}  // namespace

bool is_page_path(std::string_view path) {
  path = path.substr(0, path.find('?'));
  for (std::string_view root : {"/audit", "/prestadores", "/afiliados"}) {
    if (path.starts_with(root) && (path.size() == root.size() || path[root.size()] == '/')) return true;
  }
  return false;
}

void add_security_headers(std::string_view path, Reply* reply) {
  assert(reply != nullptr);
  add_missing(reply, "X-Content-Type-Options", "nosniff");
  add_missing(reply, "Referrer-Policy", "no-referrer");
  const std::string_view type = media_type(reply->content_type);
  const bool framable = same_name(type, "text/html") || same_name(type, "image/svg+xml");
  const bool page_code = same_name(type, "application/javascript") || same_name(type, "text/javascript") ||
                         same_name(type, "text/css");
  if (!framable && !page_code) return;
  if (has_header(*reply, "Content-Security-Policy")) return;  // the route's own, framing included
  const bool page = is_page_path(path);
  add_missing(reply, "Content-Security-Policy", page ? kPageSecurityPolicy : kDocumentSecurityPolicy);
  if (framable) add_missing(reply, "X-Frame-Options", "DENY");
}

}  // namespace autoriza
