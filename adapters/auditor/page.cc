#include "adapters/auditor/page.h"

#include <cassert>

#include "adapters/auditor/web_assets.h"  // generated from web/ (adapters/embed.cmake)

namespace autoriza {
namespace {

constexpr std::string_view kHtmlType = "text/html; charset=utf-8";
// charset spelled out: the script and the style sheet hold Spanish text.
constexpr std::string_view kJsType = "application/javascript; charset=utf-8";
constexpr std::string_view kCssType = "text/css; charset=utf-8";

StaticAsset asset(std::string_view body, std::string_view content_type) {
  assert(!body.empty());
  return StaticAsset{body, content_type};
}

}  // namespace

std::optional<StaticAsset> auditor_page(std::string_view path) {
  path = path.substr(0, path.find('?'));
  // index.html refers to its script and style sheet by absolute paths, so
  // "/audit" without the slash can serve it too.
  if (path == "/audit/" || path == "/audit" || path == "/audit/index.html") {
    return asset(auditor_web::index_html(), kHtmlType);
  }
  if (path == "/audit/app.js") return asset(auditor_web::app_js(), kJsType);
  if (path == "/audit/app.css") return asset(auditor_web::app_css(), kCssType);
  return std::nullopt;
}

}  // namespace autoriza
