// The documents routes (adapters/service/documents_api.h) through
// Service::request, as every adapter calls them: who may upload and read,
// the answers, the headers of a document, the portal session's CSRF token,
// the per-route body limit, the OpenAPI document.
#include "adapters/service/documents_api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>

#include "adapters/auth/key_admin.h"
#include "adapters/auth/portal_users.h"
#include "adapters/codec/codec.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

constexpr const char* kDocsAt = "2026-11-02T11:00:00-03:00";
const std::string kXray = std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16) + "radiografia";
const std::string kOrder = "%PDF-1.7\n% orden medica\n%%EOF\n";

std::string header_of(const Reply& reply, std::string_view name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  return {};
}

class DocumentsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    add_key({"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}}, &lab127_);
    add_key({"provider-LAB200", auth::Role::kProvider, "LAB200", {}, {}}, &lab200_);
    add_key({"auditor", auth::Role::kAuditor, {}, {}, {}}, &auditor_);
    add_key({"analyst", auth::Role::kAnalyst, {}, {}, {}}, &analyst_);
  }
  void add_key(const auth::Principal& principal, std::string* key) {
    std::string key_id;
    ASSERT_TRUE(auth::add_key(h.engine(), principal, Millis{0}, key, &key_id).is_ok());
  }
  Reply call(const Caller& caller, const std::string& method, const std::string& target, std::string_view body = {}) {
    std::promise<Reply> promise;
    h.service().request(caller, method, target, body, *parse_instant(kDocsAt),
                        [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Reply upload(const std::string& key, std::string_view bytes, std::string_view type, const std::string& query = "") {
    Caller caller{key};
    caller.content_type = type;
    return call(caller, "POST", "/v1/documents" + query, bytes);
  }
  Reply download(const std::string& key, const std::string& hash) {
    return call(Caller{key}, "GET", "/v1/documents/" + hash);
  }
  static std::string message_of(const Reply& reply) { return Json::parse(reply.body)["error"]["message"]; }

  Harness h;
  std::string lab127_, lab200_, auditor_, analyst_;
};

TEST_F(DocumentsApi, AProviderUploadsAndReadsItsDocument) {
  const Reply created = upload(lab127_, kXray, "image/png", "?name=radiograf%C3%ADa%20panor%C3%A1mica.png");
  ASSERT_EQ(created.status, 201) << created.body;
  const Json doc = Json::parse(created.body);
  EXPECT_EQ(doc["hash"], documents::sha256_hex(kXray));
  EXPECT_EQ(doc["type"], "image/png");
  EXPECT_EQ(doc["size"], kXray.size());
  EXPECT_EQ(header_of(created, "Location"), "/v1/documents/" + doc["hash"].get<std::string>());
  const Reply again = upload(lab127_, kXray, "image/png");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, created.body);

  const Reply read = download(lab127_, doc["hash"]);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body, kXray);
  EXPECT_EQ(read.content_type, "image/png");
  EXPECT_EQ(header_of(read, "X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(header_of(read, "Content-Disposition").starts_with("inline"));
  EXPECT_NE(header_of(read, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_NE(header_of(read, "Content-Security-Policy").find("sandbox"), std::string::npos);
  EXPECT_NE(header_of(read, "Cache-Control").find("private"), std::string::npos);
  std::ifstream sidecar(h.service().documents().data_path(doc["hash"].get<std::string>()).string() + ".meta");
  const std::string text((std::istreambuf_iterator<char>(sidecar)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("owner LAB127 "), std::string::npos) << text;
  EXPECT_NE(text.find("radiografía panorámica.png"), std::string::npos) << text;
}

TEST_F(DocumentsApi, OnlyOwnersAuditorsAndOpsRead) {
  const Reply created = upload(lab127_, kOrder, "application/pdf");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string hash = Json::parse(created.body)["hash"];
  const Reply other = download(lab200_, hash);
  EXPECT_EQ(other.status, 404);  // as an unknown hash: existence does not leak
  EXPECT_EQ(message_of(other), "No existe el documento " + hash);
  const std::string unknown = documents::sha256_hex("nada");
  EXPECT_EQ(message_of(download(lab200_, unknown)), "No existe el documento " + unknown);
  const Reply auditor = download(auditor_, hash);
  EXPECT_EQ(auditor.status, 200);
  EXPECT_EQ(auditor.content_type, "application/pdf");
  EXPECT_EQ(header_of(auditor, "Content-Security-Policy").find("sandbox"), std::string::npos);  // Chromium's PDF viewer
  EXPECT_EQ(call(Caller{{}, &Service::internal_principal()}, "GET", "/v1/documents/" + hash).status, 200);  // ops
  EXPECT_EQ(download(analyst_, hash).status, 403);  // a role that reads no document, whatever the hash
  EXPECT_EQ(call(Caller{}, "GET", "/v1/documents/" + hash).status, 401);
  // The same bytes from LAB200: one document, two owners.
  EXPECT_EQ(upload(lab200_, kOrder, "application/pdf").status, 200);
  EXPECT_EQ(download(lab200_, hash).status, 200);
  EXPECT_EQ(download(lab127_, "ABC").status, 400);
  EXPECT_EQ(upload(auditor_, kOrder, "application/pdf").status, 403);  // auditors read, providers and ops upload
}

TEST_F(DocumentsApi, RefusalsAreInSpanish) {
  Reply r = upload(lab127_, "GIF89a\x01\x00", "image/gif");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "Tipo de archivo no permitido: solo PDF, JPEG o PNG");
  r = upload(lab127_, kXray, "application/pdf");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json::parse(r.body)["error"]["field"], "Content-Type");
  r = upload(lab127_, "", "application/pdf");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "El archivo está vacío");
  std::string big = kOrder;
  big.resize(documents::kDocumentMaxBytes + 1, ' ');
  r = upload(lab127_, big, "application/pdf");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "El archivo supera el máximo de 8 MB");
  big.resize(documents_api::kDocumentBodyMaxBytes + 1, ' ');
  r = upload(lab127_, big, "application/pdf");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "El archivo supera el máximo de 8 MB");
}

// Only the upload route takes a body over kBodyMaxBytes.
TEST_F(DocumentsApi, TheBodyLimitIsTheRoutes) {
  std::string bytes = kOrder;
  bytes.resize(kBodyMaxBytes * 2, ' ');
  EXPECT_EQ(upload(lab127_, bytes, "application/pdf").status, 201);
  const Reply other = call(Caller{{}, &Service::internal_principal()}, "POST", "/v1/admin/keys", bytes);
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(message_of(other), "body over 65536 bytes");
  EXPECT_EQ(route_body_max_bytes(), documents_api::kDocumentBodyMaxBytes);
  EXPECT_EQ(body_max_bytes(match_route("POST", "/v1/documents").row), documents_api::kDocumentBodyMaxBytes);
  EXPECT_EQ(body_max_bytes(match_route("POST", "/v1/authorize").row), kBodyMaxBytes);
  EXPECT_EQ(body_max_bytes(nullptr), kBodyMaxBytes);
}

TEST_F(DocumentsApi, ACorruptedDocumentIsAClearError) {
  const Reply created = upload(lab127_, kOrder, "application/pdf");
  const std::string hash = Json::parse(created.body)["hash"];
  std::ofstream(h.service().documents().data_path(hash), std::ios::binary) << "%PDF-1.7 something else";
  const Reply r = download(lab127_, hash);
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(message_of(r).find("está dañado"), std::string::npos) << r.body;
}

TEST_F(DocumentsApi, APortalSessionUploadsWithItsCsrfToken) {
  auth::PortalUserSpec spec{"maria", "María", "maria@example.org", "", {"LAB127"}};
  ASSERT_TRUE(auth::add_portal_user(h.engine(), spec, "clave-de-maria", false, Millis{0}, nullptr).is_ok());
  const Reply login =
      call(Caller{}, "POST", "/v1/portal/login", R"({"user":"maria","provider":"LAB127","password":"clave-de-maria"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string cookie = login.set_cookie.substr(16, login.set_cookie.find(';') - 16);
  const std::string csrf = Json::parse(login.body)["csrf"];
  Caller session;
  session.session = cookie;
  session.content_type = "image/png";
  EXPECT_EQ(call(session, "POST", "/v1/documents", kXray).status, 403);  // no CSRF token
  EXPECT_EQ(h.service().admit_header(session, "POST", "/v1/documents", *parse_instant(kDocsAt)).kind(),
            StatusKind::kForbidden);
  session.csrf = csrf;
  EXPECT_TRUE(h.service().admit_header(session, "POST", "/v1/documents", *parse_instant(kDocsAt)).is_ok());
  const Reply created = call(session, "POST", "/v1/documents", kXray);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string hash = Json::parse(created.body)["hash"];
  EXPECT_TRUE(h.service().documents().owned_by(hash, "LAB127"));
  EXPECT_EQ(call(session, "GET", "/v1/documents/" + hash).status, 200);
}

TEST_F(DocumentsApi, AdmitHeaderJudgesTheCallerWithoutTheBody) {
  const Millis now = *parse_instant(kDocsAt);
  EXPECT_TRUE(h.service().admit_header(Caller{lab127_}, "POST", "/v1/documents", now).is_ok());
  EXPECT_EQ(h.service().admit_header(Caller{}, "POST", "/v1/documents", now).kind(), StatusKind::kUnauthenticated);
  EXPECT_EQ(h.service().admit_header(Caller{"az_nope"}, "POST", "/v1/documents", now).kind(),
            StatusKind::kUnauthenticated);
  EXPECT_EQ(h.service().admit_header(Caller{auditor_}, "POST", "/v1/documents", now).kind(), StatusKind::kForbidden);
  EXPECT_EQ(h.service().admit_header(Caller{lab127_}, "POST", "/v1/nowhere/at/all", now).kind(), StatusKind::kNotFound);
}

TEST_F(DocumentsApi, TheOpenApiDocumentDescribesTheUpload) {
  const Json doc = Json::parse(openapi_document());
  const Json& post = doc["paths"]["/v1/documents"]["post"];
  EXPECT_TRUE(post["requestBody"]["content"].contains("image/jpeg"));
  EXPECT_TRUE(post["responses"].contains("201"));
  EXPECT_EQ(post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Document");
  const Json& get = doc["paths"]["/v1/documents/{hash}"]["get"];
  EXPECT_TRUE(get["responses"]["200"]["content"].contains("application/pdf"));
  EXPECT_EQ(get["x-roles"], Json::array({"provider", "auditor", "ops"}));
}

}  // namespace
}  // namespace autoriza::testing
