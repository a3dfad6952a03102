#include "page.h"

#include <cassert>
#include <string>

#include "page_assets.h"

namespace autoriza {
namespace {

constexpr std::string_view kHtmlType = "text/html; charset=utf-8";
// charset spelled out: the script and the style sheet hold Spanish text.
constexpr std::string_view kJsType = "application/javascript; charset=utf-8";
constexpr std::string_view kCssType = "text/css; charset=utf-8";

Reply asset(std::string_view body, std::string_view content_type) {
  assert(!body.empty());
  return Reply{200, std::string(body), std::string(content_type)};
}

}  // namespace

std::optional<Reply> auditor_page(std::string_view path) {
  path = path.substr(0, path.find('?'));
  // index.html refers to its script and style sheet by absolute paths, so
  // "/audit" without the slash can serve it too.
  if (path == "/audit/" || path == "/audit" || path == "/audit/index.html") {
    return asset(auditor_assets::kIndexHtml, kHtmlType);
  }
  if (path == "/audit/app.js") return asset(auditor_assets::kAppJs, kJsType);
  if (path == "/audit/app.css") return asset(auditor_assets::kAppCss, kCssType);
  return std::nullopt;
}

}  // namespace autoriza
