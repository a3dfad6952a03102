#include "adapters/affiliate_app/page.h"

#include "adapters/affiliate_app/web_assets.h"  // generated from web/ (adapters/embed.cmake)

namespace autoriza {

std::optional<StaticAsset> affiliate_app_page(std::string_view path) {
  path = path.substr(0, path.find('?'));
  constexpr std::string_view kRoot = "/afiliados";
  if (!path.starts_with(kRoot)) return std::nullopt;
  std::string_view file = path.substr(kRoot.size());
  // The page names its files by absolute paths, so "/afiliados" without the
  // slash can serve it too.
  if (file.empty() || file == "/") file = "/index.html";
  if (!file.starts_with('/') || file.find('/', 1) != std::string_view::npos) return std::nullopt;  // no folders
  const std::string_view name = file.substr(1);
  const std::optional<std::string_view> bytes = affiliate_app_web::find(name);
  if (!bytes) return std::nullopt;
  return StaticAsset{*bytes, content_type_of(name)};
}

}  // namespace autoriza
