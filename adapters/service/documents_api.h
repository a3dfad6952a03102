#pragma once
// The documents store over HTTP (rows of route_table.cc; the store is
// adapters/documents). Messages a person reads are in Spanish.
//
//   POST /v1/documents[?name=FILE]  body: the file's bytes; Content-Type: its
//        declared type. Role provider (owner: the key's or session's
//        provider) or ops (no owner). 201 {hash, type, size} when the bytes
//        are new, 200 when they were stored already (the provider is then
//        added to their owners); 400 for an empty file, one over 8 MB, of
//        another type than PDF, JPEG or PNG, or not the declared type.
//   GET  /v1/documents/{hash}  the bytes, with their type. A provider among
//        its owners, auditors, ops; a provider that is not an owner gets 404
//        as for an unknown hash (existence does not leak). 500 when the
//        stored bytes no longer match their hash.
#include <cstddef>

#include "adapters/documents/documents.h"
#include "adapters/service/route_table.h"

namespace autoriza::documents_api {

// The body POST /v1/documents takes: a document and room to say it is too
// large in JSON rather than by closing the connection.
inline constexpr size_t kDocumentBodyMaxBytes = documents::kDocumentMaxBytes + kBodyMaxBytes;
inline constexpr std::string_view kTooLarge = "El archivo supera el máximo de 8 MB";

Reply upload(Service& service, const RouteCall& call);
Reply download(Service& service, const RouteCall& call);

}  // namespace autoriza::documents_api
