// The browser-facing headers of every answer (adapters/service/security_headers.h):
// which policy each kind of answer gets, and that a route's own is kept.
#include "adapters/service/security_headers.h"

#include <gtest/gtest.h>

#include <string>

namespace autoriza {
namespace {

std::string header(const Reply& reply, std::string_view name) {
  for (const auto& [n, v] : reply.headers) {
    if (n == name) return v;
  }
  return {};
}

Reply with_headers(std::string_view path, std::string content_type) {
  Reply reply{200, "x", std::move(content_type)};
  add_security_headers(path, &reply);
  return reply;
}

TEST(SecurityHeaders, PagesTheirFilesAndTheAffiliatesWorkerGetThePagePolicy) {
  for (const char* path : {"/audit", "/audit/", "/prestadores/", "/prestadores/core.js", "/afiliados/",
                           "/afiliados/index.html?x=1", "/afiliados/compartida.html"}) {
    const Reply page = with_headers(path, "text/html; charset=utf-8");
    EXPECT_EQ(header(page, "Content-Security-Policy"), kPageSecurityPolicy) << path;
    EXPECT_EQ(header(page, "X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(header(page, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header(page, "Referrer-Policy"), "no-referrer") << path;
  }
  // A service worker runs under its script's policy: it may fetch the origin.
  const Reply worker = with_headers("/afiliados/sw.js", "application/javascript");
  EXPECT_EQ(header(worker, "Content-Security-Policy"), kPageSecurityPolicy);
  EXPECT_EQ(header(worker, "X-Frame-Options"), "");
  EXPECT_EQ(header(with_headers("/prestadores/app.css", "text/css"), "Content-Security-Policy"), kPageSecurityPolicy);
  EXPECT_NE(kPageSecurityPolicy.find("worker-src 'self'"), std::string_view::npos);
  EXPECT_NE(kPageSecurityPolicy.find("manifest-src 'self'"), std::string_view::npos);
  EXPECT_EQ(kPageSecurityPolicy.find("unsafe"), std::string_view::npos);  // no inline script or style
}

TEST(SecurityHeaders, OtherHtmlAndSvgAreDocumentsThatRunNothing) {
  for (const char* path : {"/v1/transactions/T-0-1/comprobante.html", "/v1/affiliates/1/card.html",
                           "/v1/affiliates/1/tokens.html", "/v1/providers/LAB127/register?format=html",
                           "/auditoria/", "/afiliadosx/"}) {
    const Reply document = with_headers(path, "text/html; charset=utf-8");
    EXPECT_EQ(header(document, "Content-Security-Policy"), kDocumentSecurityPolicy) << path;
    EXPECT_EQ(header(document, "X-Frame-Options"), "DENY") << path;
  }
  EXPECT_EQ(header(with_headers("/v1/insurer/logo.svg", "image/svg+xml"), "Content-Security-Policy"),
            kDocumentSecurityPolicy);
  EXPECT_NE(kDocumentSecurityPolicy.find("default-src 'none'"), std::string_view::npos);
  EXPECT_EQ(kDocumentSecurityPolicy.find("script-src"), std::string_view::npos);
}

TEST(SecurityHeaders, EveryAnswerIsNosniffAndNoReferrerAndARoutesOwnPolicyStays) {
  const Reply json = with_headers("/v1/audits", "application/json");
  EXPECT_EQ(header(json, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(json, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(header(json, "Content-Security-Policy"), "");
  const Reply refused = with_headers("", "application/json");  // a request that could not be read
  EXPECT_EQ(header(refused, "X-Content-Type-Options"), "nosniff");

  Reply stored{200, "x", "text/html"};
  stored.headers = {{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'"},
                    {"X-Content-Type-Options", "nosniff"}};
  add_security_headers("/v1/documents/ab", &stored);
  EXPECT_EQ(stored.headers.size(), 3u);  // Referrer-Policy added; nothing twice
  EXPECT_EQ(header(stored, "Content-Security-Policy"), "default-src 'none'; frame-ancestors 'self'");
  EXPECT_EQ(header(stored, "X-Frame-Options"), "");  // the route decides its framing
}

}  // namespace
}  // namespace autoriza
