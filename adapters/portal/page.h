#pragma once
// The providers' portal (GENOS and InSSSeP screens): a static single page
// served by `autoriza serve` under /prestadores/. It signs users in through
// /v1/portal/* (a session cookie) and then uses the ordinary HTTP API of the
// same origin; it decides nothing the engine decides. No asset comes from
// outside the binary: the files of web/ are embedded at build time
// (adapters/embed.cmake).
//
//   /prestadores and /prestadores/   web/index.html
//   /prestadores/<file>              web/<file> (app.js, app.css, ...)
#include <optional>
#include <string_view>

#include "adapters/codec/static_asset.h"

namespace autoriza {

// path: the request's path; a query string is ignored. nullopt when path is
// no file of the portal. Pure: no I/O.
std::optional<StaticAsset> portal_page(std::string_view path);

}  // namespace autoriza
