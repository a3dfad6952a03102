#pragma once
// One compiled-in file of a web page (adapters/embed.cmake): its bytes and
// the Content-Type to serve them with. Shared by the pages (auditor, portal)
// and the service that answers them.
#include <string_view>

namespace autoriza {

struct StaticAsset {
  std::string_view body;
  std::string_view content_type;
};

// The Content-Type of a page file by its extension (".html", ".js", ".css",
// ".svg", ".png", ".json", ".webmanifest"); charset spelled out for text
// (the files hold Spanish). "application/octet-stream" for anything else.
std::string_view content_type_of(std::string_view file_name);

}  // namespace autoriza
