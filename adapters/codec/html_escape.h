#pragma once
// Escaping text for HTML, shared by every page and export we render (the
// affiliate card and token sheet, the register's HTML export, the benchmark's
// SVG charts).
#include <string>
#include <string_view>

namespace autoriza {

// `text` with & < > " ' replaced by entities, safe inside element content and
// inside single- or double-quoted attribute values (HTML and SVG). Never fails.
std::string html_escape(std::string_view text);

}  // namespace autoriza
