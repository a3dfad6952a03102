#pragma once
// The affiliates' phone web app (issue 16; docs/rules.md §12-13): a static,
// installable single page served by `autoriza serve` under /afiliados/. An
// affiliate signs in through /v1/account/* (a session cookie) and then uses
// the affiliate routes of the same origin: cards, shares, tokens, history.
// It decides nothing the engine decides. No asset comes from outside the
// binary: the files of web/ are embedded at build time (adapters/embed.cmake).
//
//   /afiliados and /afiliados/   web/index.html
//   /afiliados/<file>            web/<file> (app.js, sw.js, compartida.html, icons...)
//
// The service worker (sw.js) is served from /afiliados/, so its scope is
// /afiliados/ without any extra header.
#include <optional>
#include <string_view>

#include "adapters/codec/static_asset.h"

namespace autoriza {

// path: the request's path; a query string is ignored. nullopt when path is
// no file of the app. Pure: no I/O.
std::optional<StaticAsset> affiliate_app_page(std::string_view path);

}  // namespace autoriza
