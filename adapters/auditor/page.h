#pragma once
// The auditors' web page (GENOS "Auditoría"): a static, self-contained
// single page served by `autoriza serve` under /audit/. It lists the audit
// queue (GET /v1/audits), shows one SAP (GET /v1/audits/{sap}) and sends
// verdicts through the ordinary command (POST /v1/audit_verdict). It holds no
// state of its own and reaches nothing outside the same origin (no CDN, no
// web fonts): the network of an insurer's auditors is closed.
//
//   /audit/ (and /audit)  web/index.html  text/html; charset=utf-8
//   /audit/app.js         web/app.js      the page's script (vanilla JS, no build step)
//   /audit/app.css        web/app.css     its style sheet
//
// The three files are real files of this folder, embedded into the binary at
// build time (adapters/embed.cmake). Element ids and data-testid attributes
// of the markup are a contract with tests/e2e/auditor_page_test.cc, which
// drives the page in headless Chromium.
#include <optional>
#include <string_view>

#include "adapters/codec/static_asset.h"

namespace autoriza {

// path: the request's path; a query string ("?sap=...") is ignored. Returns
// the asset, or nullopt when path is no asset of the page (the caller answers
// 404 or routes it elsewhere). Pure: no I/O, the assets are compiled in.
std::optional<StaticAsset> auditor_page(std::string_view path);

}  // namespace autoriza
