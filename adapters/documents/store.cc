// DocumentStore: the files of documents.h's header, their locks and checks.
#include <cassert>

#include "adapters/documents/documents.h"
#include "adapters/documents/durable_file.h"
#include "adapters/documents/sidecar.h"

namespace autoriza::documents {
namespace {

constexpr std::string_view kSidecarSuffix = ".meta";
// A sidecar of kOwnersMax owners with long names stays well under this.
constexpr size_t kSidecarMaxBytes = 4 * 1024 * 1024;

std::string sidecar_name(std::string_view hash) {
  return std::string(hash) + std::string(kSidecarSuffix);
}

// Spanish: the portal and the auditors' page show it.
Status missing(std::string_view hash) {
  if (!hash_well_formed(hash)) return Status::not_found("No existe el documento");  // never echo junk
  return Status::not_found("No existe el documento " + std::string(hash));
}

Status damaged(std::string_view hash, std::string_view what) {
  return Status::corruption("El documento " + std::string(hash) + " está dañado en el servidor (" + std::string(what) +
                            "): hay que volver a subirlo");
}

// The sidecar of hash in shard: kNotFound when absent, kCorruption when it
// does not decode, kIoError.
Status read_sidecar(const std::filesystem::path& shard, std::string_view hash, Sidecar* out) {
  std::string text;
  if (Status s = read_file(shard / sidecar_name(hash), kSidecarMaxBytes, &text); !s) return s;
  return decode_sidecar(text, out);
}

}  // namespace

DocumentStore::DocumentStore(std::filesystem::path dir, bool sync) : dir_(std::move(dir)), sync_(sync) {
  AUTORIZA_CHECK(!dir_.empty());
}

std::filesystem::path DocumentStore::shard_of(std::string_view hash) const {
  AUTORIZA_CHECK(hash_well_formed(hash));  // the only text a path is built from
  return dir_ / std::string(hash.substr(0, 2));
}

std::filesystem::path DocumentStore::data_path(std::string_view hash) const {
  return shard_of(hash) / std::string(hash);
}

Status DocumentStore::store_bytes(const std::filesystem::path& shard, std::string_view hash, std::string_view bytes,
                                  bool* written) {
  assert(written != nullptr && sha256_hex(bytes) == hash);
  std::string existing;
  // Any copy that is not exactly bytes (missing, cut short, damaged) is rewritten.
  if (read_file(shard / std::string(hash), kDocumentMaxBytes, &existing).is_ok() && existing == bytes) {
    *written = false;
    return Status::ok();
  }
  *written = true;
  return write_file_durably(shard, hash, bytes, sync_);
}

Status DocumentStore::put(std::string_view bytes, std::string_view declared_type, std::string_view owner, Millis now,
                          StoredDocument* out, std::string_view name, bool* created) {
  AUTORIZA_CHECK(out != nullptr);
  if (!owner_well_formed(owner))
    return Status::invalid("owner '" + std::string(owner.substr(0, 80)) + "' is no provider id", "owner");
  std::string_view type;
  if (Status s = check_document(bytes, declared_type, &type); !s) return s;
  const std::string hash = sha256_hex(bytes);
  const std::filesystem::path shard = shard_of(hash);
  if (Status s = ensure_dir(dir_, sync_); !s) return s;
  if (Status s = ensure_dir(shard, sync_); !s) return s;

  FolderLock lock;  // the read-modify-write of the sidecar, across threads and processes
  if (Status s = lock.acquire(shard); !s) return s;
  Sidecar sidecar;
  Status s = read_sidecar(shard, hash, &sidecar);
  if (!s && s.kind() == StatusKind::kIoError) return s;
  const bool known = s.is_ok();
  bool changed = !known || sidecar.type != type || sidecar.size != bytes.size();
  if (!known) sidecar = Sidecar{std::string(type), bytes.size(), now, {}};  // new, or its sidecar was unreadable
  sidecar.type = std::string(type);
  sidecar.size = bytes.size();

  bool written = false;
  if (s = store_bytes(shard, hash, bytes, &written); !s) return s;
  changed = sidecar.add_owner(owner, now, name) || changed;
  if (changed) {  // after the bytes: the sidecar is the commit point
    if (s = write_file_durably(shard, sidecar_name(hash), encode_sidecar(sidecar), sync_); !s) return s;
  }
  *out = StoredDocument{hash, std::string(type), bytes.size()};
  if (created) *created = !known;
  return Status::ok();
}

bool DocumentStore::owned_by(std::string_view hash, std::string_view owner) const {
  if (owner.empty() || !hash_well_formed(hash)) return false;
  Sidecar sidecar;
  return read_sidecar(shard_of(hash), hash, &sidecar).is_ok() && sidecar.owned_by(owner);
}

Status DocumentStore::meta(std::string_view hash, StoredDocument* meta) const {
  AUTORIZA_CHECK(meta != nullptr);
  if (!hash_well_formed(hash)) return missing(hash);
  Sidecar sidecar;
  Status s = read_sidecar(shard_of(hash), hash, &sidecar);
  if (s.kind() == StatusKind::kNotFound) return missing(hash);
  if (s.kind() == StatusKind::kCorruption) return damaged(hash, "sus datos no se pueden leer");
  if (!s) return s;
  *meta = StoredDocument{std::string(hash), sidecar.type, sidecar.size};
  return Status::ok();
}

Status DocumentStore::get(std::string_view hash, std::string* bytes, StoredDocument* meta) const {
  AUTORIZA_CHECK(bytes != nullptr && meta != nullptr);
  if (Status s = this->meta(hash, meta); !s) return s;
  Status s = read_file(data_path(hash), kDocumentMaxBytes, bytes);
  if (s.kind() == StatusKind::kNotFound) return damaged(hash, "falta su archivo");
  if (!s) return s;
  if (bytes->size() != meta->size || sha256_hex(*bytes) != hash) {
    bytes->clear();
    return damaged(hash, "su contenido ya no coincide con su hash");
  }
  return Status::ok();
}

}  // namespace autoriza::documents
