#pragma once
// What a browser is told about every answer (issue 17), written once for
// every HTTP answer (the HTTP adapter adds them as it writes):
//   every answer       X-Content-Type-Options: nosniff (a JSON error or an
//                      upload is never taken for a page or a script) and
//                      Referrer-Policy: no-referrer (ids in a page's address
//                      never travel to another site);
//   HTML and SVG       Content-Security-Policy and X-Frame-Options: DENY;
//   scripts, styles    Content-Security-Policy (a service worker runs under
//                      the policy of its script's answer).
// The policy of a people's page (paths under /audit, /prestadores,
// /afiliados) is kPageSecurityPolicy; any other HTML or SVG (comprobantes,
// card, token sheets, registers and billings as HTML, QR codes, logos) gets
// kDocumentSecurityPolicy. An answer that names its own
// Content-Security-Policy (a stored document, documents_api.cc) keeps it
// and decides its own framing.
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza {

// The pages load their own files only: scripts and style sheets from files
// (the pages have no inline script, style element or style attribute),
// images also as data: (icons, the affiliates' QR) and blob: (a document the
// auditors' page fetched with its key), calls to the same origin, the
// affiliates' app's service worker and manifest; no plugin, no <base>, no
// form posted elsewhere, never framed.
inline constexpr std::string_view kPageSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// A printable document runs nothing and loads nothing but its own inline
// <style> element (how its layout travels with it when saved or printed);
// images from the same origin only (a browser's icon request).
inline constexpr std::string_view kDocumentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// Whether path is one of the people's pages or their files.
bool is_page_path(std::string_view path);

// Adds to reply the headers above it does not have yet. path: the request's
// target (its query ignored); empty when the request could not be read.
void add_security_headers(std::string_view path, Reply* reply);

}  // namespace autoriza
