#pragma once
// The documents store: files providers attach to audit requests,
// consumptions and answers to the auditor (an X-ray, a medical order as
// PDF). Content-addressed by SHA-256: a command names a document by its
// hash, so the journal carries 64 characters, never the bytes.
//
// On disk, under dir (<store>/documents; in Kafka cluster mode every gateway
// must see the same directory, README.md):
//
//   dir/ab/<hash>        the bytes, exactly as uploaded ("ab": the hash's
//                        first two hex digits, so no folder holds more than
//                        1/256 of the files)
//   dir/ab/<hash>.meta   the sidecar: type, size, owners (sidecar.h)
//   dir/ab/.lock         flock(2)ed around every change to the folder's
//                        sidecars, by threads and processes alike
//   dir/ab/.tmp-*        a file being written (then fsynced and renamed)
//
// Every path is dir, two hex digits and a hash that hash_well_formed()
// accepted: nothing a client sends is ever part of a path.
//
// Thread-safe: any number of threads (and processes sharing dir) may call
// any method at once. A file is written to a temporary name, fsynced,
// renamed over its final name and its folder fsynced, so a reader sees the
// whole old file or the whole new one, and a crash loses nothing put()
// answered. The sidecar is written after the bytes: it is the commit point.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "engine/core/status.h"

namespace autoriza::documents {

// The largest document: an X-ray or a scanned order of a few pages fits; a
// whole study does not belong in an authorization. The HTTP route allows a
// body this big (kDocumentBodyMaxBytes), every other route kBodyMaxBytes.
inline constexpr size_t kDocumentMaxBytes = 8 * 1024 * 1024;  // "8 MB" in messages
// The types a document may have, decided by its first bytes.
inline constexpr std::string_view kPdf = "application/pdf";
inline constexpr std::string_view kJpeg = "image/jpeg";
inline constexpr std::string_view kPng = "image/png";
// Bytes of the original file name kept in the sidecar (sanitize_name).
inline constexpr size_t kNameMaxBytes = 120;
// Bytes of an owner id (a provider id).
inline constexpr size_t kOwnerMaxBytes = 64;

struct StoredDocument {
  std::string hash;   // SHA-256 of the bytes, 64 lowercase hex digits
  std::string type;   // kPdf, kJpeg or kPng
  uint64_t size = 0;  // bytes
};

// Whether hash is 64 lowercase hex digits (the only text a path is built from).
bool hash_well_formed(std::string_view hash);

// The lowercase hex SHA-256 of bytes.
std::string sha256_hex(std::string_view bytes);

// The type of bytes by their magic numbers: "%PDF-", FF D8 FF, or the
// 8-byte PNG signature; empty for anything else.
std::string_view type_of(std::string_view bytes);

// kOk when bytes may be stored as a document whose client declared
// declared_type (a Content-Type, parameters and case ignored; empty or
// application/octet-stream declare nothing; image/jpg is image/jpeg), and
// sets *type to the type the bytes have. kInvalidRequest, in Spanish, when
// bytes are empty, over kDocumentMaxBytes, of no allowed type, or of
// another type than declared.
Status check_document(std::string_view bytes, std::string_view declared_type, std::string_view* type);

// A client's file name fit for the sidecar: its last path component,
// without control characters or invalid UTF-8, trimmed, at most
// kNameMaxBytes (cut on a character boundary); may come back empty.
std::string sanitize_name(std::string_view name);

// Whether owner may own documents: empty (an upload by ops), or 1 to
// kOwnerMaxBytes of [A-Za-z0-9._-] other than "-" (a provider id).
bool owner_well_formed(std::string_view owner);

class DocumentStore {
 public:
  // dir need not exist yet (the first put() makes it). sync false skips
  // the fsyncs (tests, as EngineOptions::sync).
  explicit DocumentStore(std::filesystem::path dir, bool sync = true);
  DocumentStore(const DocumentStore&) = delete;
  DocumentStore& operator=(const DocumentStore&) = delete;

  // Stores bytes uploaded by owner (a provider id; empty for ops) at now,
  // with the client's declared_type and original file name (optional,
  // sanitized). Errors: check_document()'s kInvalidRequest; kInvalidRequest
  // for a malformed owner; kIoError. The same bytes again: the same hash,
  // stored once, owner added to its owners (a corrupted or missing copy is
  // rewritten). *created: whether the bytes were new to the store.
  Status put(std::string_view bytes, std::string_view declared_type, std::string_view owner, Millis now,
             StoredDocument* out, std::string_view name = {}, bool* created = nullptr);

  // Whether hash is stored and owner (non-empty) is one of its owners.
  bool owned_by(std::string_view hash, std::string_view owner) const;

  // The bytes and what is known of them, after checking they still hash to
  // hash. kNotFound when absent (or hash malformed); kCorruption, in
  // Spanish, when the stored bytes no longer match; kIoError.
  Status get(std::string_view hash, std::string* bytes, StoredDocument* meta) const;
  // What is known of a stored document, without reading its bytes.
  Status meta(std::string_view hash, StoredDocument* meta) const;

  const std::filesystem::path& dir() const { return dir_; }
  // Where the bytes of a well-formed hash live (tests corrupt them).
  std::filesystem::path data_path(std::string_view hash) const;

 private:
  std::filesystem::path shard_of(std::string_view hash) const;
  // Writes the bytes of hash unless an intact copy is there already.
  Status store_bytes(const std::filesystem::path& shard, std::string_view hash, std::string_view bytes, bool* written);

  std::filesystem::path dir_;
  bool sync_ = true;
};

}  // namespace autoriza::documents
