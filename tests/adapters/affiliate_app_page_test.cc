// The affiliates' app's files (adapters/affiliate_app/page.h): which paths
// are files of the app, with which Content-Type; a service worker served
// from /afiliados/ (its scope), no folders, nothing outside /afiliados.
#include <gtest/gtest.h>

#include <string>

#include "adapters/affiliate_app/page.h"

namespace autoriza {
namespace {

TEST(AffiliateAppPage, RootAndSlashServeTheIndex) {
  for (const char* path : {"/afiliados", "/afiliados/", "/afiliados/?x=1", "/afiliados/index.html"}) {
    const auto page = affiliate_app_page(path);
    ASSERT_TRUE(page.has_value()) << path;
    EXPECT_EQ(page->content_type, "text/html; charset=utf-8") << path;
    EXPECT_NE(std::string(page->body).find("<html lang=\"es-AR\">"), std::string::npos) << path;
  }
}

TEST(AffiliateAppPage, EveryKindOfFileWithItsType) {
  const struct {
    const char* path;
    const char* type;
  } files[] = {{"/afiliados/app.js", "application/javascript; charset=utf-8"},
               {"/afiliados/sw.js", "application/javascript; charset=utf-8"},
               {"/afiliados/app.css", "text/css; charset=utf-8"},
               {"/afiliados/compartida.html", "text/html; charset=utf-8"},
               {"/afiliados/manifest.webmanifest", "application/manifest+json"},
               {"/afiliados/icon.svg", "image/svg+xml"},
               {"/afiliados/icon-192.png", "image/png"},
               {"/afiliados/icon-512.png", "image/png"}};
  for (const auto& f : files) {
    const auto page = affiliate_app_page(f.path);
    ASSERT_TRUE(page.has_value()) << f.path;
    EXPECT_EQ(page->content_type, f.type) << f.path;
    EXPECT_FALSE(page->body.empty()) << f.path;
  }
  // The PNGs are the images themselves, embedded byte for byte.
  EXPECT_EQ(affiliate_app_page("/afiliados/icon-512.png")->body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n"));
}

TEST(AffiliateAppPage, NothingElse) {
  for (const char* path : {"/afiliados/nada.js", "/afiliados/web/app.js", "/afiliados/../app.js", "/afiliadosapp.js",
                           "/afiliado/", "/prestadores/", "/afiliados/ultima-credencial.json"}) {
    EXPECT_FALSE(affiliate_app_page(path).has_value()) << path;
  }
}

}  // namespace
}  // namespace autoriza
