#include "adapters/service/documents_api.h"

#include <cassert>

#include "adapters/codec/codec.h"
#include "adapters/service/api_util.h"

namespace autoriza::documents_api {
namespace {

// Who owns what a principal uploads: its provider, or nobody (ops).
std::string_view owner_of(const auth::Principal& principal) {
  return principal.role == auth::Role::kProvider ? std::string_view(principal.provider) : std::string_view();
}

// "pdf" for application/pdf...: the extension of the name a browser saves.
std::string_view extension_of(std::string_view type) {
  if (type == documents::kPdf) return "pdf";
  if (type == documents::kJpeg) return "jpg";
  return "png";
}

// A document is shown, never run: no script, no plugin, no form; it may be
// framed only by the portal and the auditors' page (same origin). PDFs go
// without "sandbox", under which Chromium refuses to start its PDF viewer;
// their viewer runs apart from the page anyway. Images may carry a
// sandbox, and do. The inline style lets a browser lay out its own viewer.
std::string security_policy(std::string_view type) {
  std::string policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
  if (type != documents::kPdf) policy += "; sandbox";
  return policy;
}

}  // namespace

Reply upload(Service& service, const RouteCall& call) {
  // A full disk: the same 503 STORE_FULL as a command (the document would
  // be written next to the store).
  if (const StoreHealthReport store = service.engine().store_health(); !store.writable) {
    Reply refused = reply_for(Status::store_full(store.reason));
    refused.retry_after_s = retry_after_s(StatusKind::kStoreFull);
    return refused;
  }
  const std::string name = documents::sanitize_name(url_decode(query_param(call.target, "name")));
  documents::StoredDocument doc;
  bool created = false;
  const Status s =
      service.documents().put(call.body, call.content_type, owner_of(call.principal), call.now, &doc, name, &created);
  if (!s) return reply_for(s);
  assert(documents::hash_well_formed(doc.hash));
  Reply reply{created ? 201 : 200, Json{{"hash", doc.hash}, {"type", doc.type}, {"size", doc.size}}.dump()};
  reply.headers.emplace_back("Location", "/v1/documents/" + doc.hash);
  return reply;
}

Reply download(Service& service, const RouteCall& call) {
  assert(call.params.size() == 1);
  const std::string& hash = call.params[0];
  if (!documents::hash_well_formed(hash)) {
    return reply_for(
        Status::invalid("El identificador de un documento son 64 dígitos hexadecimales en minúscula", "hash"));
  }
  const std::string_view owner = owner_of(call.principal);
  if (call.principal.role == auth::Role::kProvider && !service.documents().owned_by(hash, owner)) {
    return reply_for(Status::not_found("No existe el documento " + hash));  // as an unknown hash
  }
  std::string bytes;
  documents::StoredDocument doc;
  if (Status s = service.documents().get(hash, &bytes, &doc); !s) return reply_for(s);
  Reply reply{200, std::move(bytes), doc.type};
  reply.headers = {
      {"Content-Disposition",
       "inline; filename=\"documento-" + hash.substr(0, 12) + "." + std::string(extension_of(doc.type)) + "\""},
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy", security_policy(doc.type)},
      // The bytes of a hash never change; only who may read them matters.
      {"Cache-Control", "private, max-age=31536000, immutable"},
      {"ETag", "\"" + hash + "\""},
  };
  return reply;
}

}  // namespace autoriza::documents_api
