#include "adapters/portal/page.h"

#include "adapters/portal/web_assets.h"  // generated from web/ (adapters/embed.cmake)

namespace autoriza {

std::optional<StaticAsset> portal_page(std::string_view path) {
  path = path.substr(0, path.find('?'));
  constexpr std::string_view kRoot = "/prestadores";
  if (!path.starts_with(kRoot)) return std::nullopt;
  std::string_view file = path.substr(kRoot.size());
  // The page refers to its files by absolute paths, so "/prestadores"
  // without the slash can serve it too.
  if (file.empty() || file == "/") file = "/index.html";
  if (file.find('/', 1) != std::string_view::npos) return std::nullopt;  // no folders
  const std::string_view name = file.substr(1);
  const std::optional<std::string_view> bytes = portal_web::find(name);
  if (!bytes) return std::nullopt;
  return StaticAsset{*bytes, content_type_of(name)};
}

}  // namespace autoriza
