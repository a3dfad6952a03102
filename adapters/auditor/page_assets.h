#pragma once
// The three assets of the auditors' page, compiled in as raw string literals
// (one file each: page_index_html.cc, page_app_js.cc, page_app_css.cc).
// Internal to adapters/auditor; the public entry is auditor_page() in page.h.
#include <string_view>

namespace autoriza::auditor_assets {

extern const std::string_view kIndexHtml;
extern const std::string_view kAppJs;
extern const std::string_view kAppCss;

}  // namespace autoriza::auditor_assets
