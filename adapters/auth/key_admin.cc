#include "adapters/auth/key_admin.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <tuple>
#include <cassert>
#include <fstream>
#include <sstream>

#include "engine/engine.h"

namespace autoriza::auth {

namespace {

#define TRY_STATUS(expr)            \
  do {                              \
    if (Status s_ = (expr); !s_) return s_; \
  } while (false)

constexpr size_t kDevKeysMax = 10'000;  // lines read from a dev-keys file

Status check_principal(const Reference& ref, const Principal& p) {
  if (p.name.empty() || p.name.size() > 128) return Status::invalid("principal name must have 1 to 128 characters", "principal");
  for (char c : p.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != '@') {
      return Status::invalid("principal name may hold letters, digits and - _ . @ only", "principal");
    }
  }
  if (p.role == Role::kProvider && !ref.provider(p.provider)) {
    return Status::invalid("role provider needs an existing provider id, got '" + p.provider + "'", "provider");
  }
  if (p.role == Role::kAffiliate) {
    const fb::AffiliateT* a = ref.affiliate(p.credential);
    if (!a || a->titular != p.credential) {
      return Status::invalid("role affiliate needs the credential of a family group's titular, got '" +
                                 p.credential + "'", "credential");
    }
  }
  return Status::ok();
}

Status upsert(const KeyChanges& write, std::vector<fb::ApiKeyT> records, Millis now) {
  std::vector<fb::ReferenceRecordUnion> unions;
  unions.reserve(records.size());
  for (auto& r : records) {
    fb::ReferenceRecordUnion u;
    u.Set(std::move(r));
    unions.push_back(std::move(u));
  }
  return write(std::move(unions), now);
}

Status write_dev_keys(const std::filesystem::path& csv, const std::vector<DevKey>& keys) {
  std::error_code ec;
  std::filesystem::create_directories(csv.parent_path(), ec);
  const std::filesystem::path tmp = csv.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::io_error("cannot write " + tmp.string());
    ::chmod(tmp.c_str(), 0600);  // before any key is written
    out << "principal,role,key\n";
    for (const auto& k : keys) out << k.principal << "," << k.role << "," << k.key << "\n";
    if (!out.flush()) return Status::io_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, csv, ec);
  if (ec) return Status::io_error("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace

KeyChanges into_store(Engine& engine) {
  return [&engine](std::vector<fb::ReferenceRecordUnion> records, Millis now) {
    ReferenceLoadStats stats;
    return engine.load_reference(records, &stats, now);
  };
}

Status add_key(const Reference& current, const KeyChanges& write, const Principal& principal, Millis now,
               std::string* key, std::string* key_id) {
  TRY_STATUS(check_principal(current, principal));
  *key = new_api_key();
  fb::ApiKeyT record = api_key_record(sha256_hex(*key), principal, false, now.value);
  *key_id = record.key_id;
  return upsert(write, {std::move(record)}, now);
}

Status add_key(Engine& engine, const Principal& principal, Millis now, std::string* key, std::string* key_id) {
  return add_key(*engine.reference(), into_store(engine), principal, now, key, key_id);
}

Status add_certificate(const Reference& current, const KeyChanges& write, const Principal& principal,
                       std::string_view certificate_der, Millis now, std::string* key_id) {
  TRY_STATUS(check_principal(current, principal));
  if (certificate_der.empty()) return Status::invalid("empty certificate", "certificate");
  fb::ApiKeyT record = api_key_record(sha256_hex(certificate_der), principal, true, now.value);
  *key_id = record.key_id;
  return upsert(write, {std::move(record)}, now);
}

Status add_certificate(Engine& engine, const Principal& principal, std::string_view certificate_der, Millis now,
                       std::string* key_id) {
  return add_certificate(*engine.reference(), into_store(engine), principal, certificate_der, now, key_id);
}

Status revoke_keys(Engine& engine, std::string_view key_id_or_principal, Millis now, size_t* revoked) {
  return revoke_keys(*engine.reference(), into_store(engine), key_id_or_principal, now, revoked);
}

Status revoke_keys(const Reference& current, const KeyChanges& write, std::string_view key_id_or_principal,
                   Millis now, size_t* revoked) {
  std::vector<fb::ApiKeyT> changes;
  bool matched = false;
  for (const auto& [id, k] : current.api_keys) {
    if (k.key_id != key_id_or_principal && k.principal != key_id_or_principal) continue;
    matched = true;
    if (k.revoked) continue;
    fb::ApiKeyT r = k;
    r.revoked = true;
    changes.push_back(std::move(r));
  }
  *revoked = changes.size();
  if (!matched) return Status::not_found("no key or principal '" + std::string(key_id_or_principal) + "'");
  if (changes.empty()) return Status::ok();
  return upsert(write, std::move(changes), now);
}

std::vector<fb::ApiKeyT> list_keys(const Reference& reference) {
  std::vector<fb::ApiKeyT> out;
  out.reserve(reference.api_keys.size());
  for (const auto& [id, k] : reference.api_keys) out.push_back(k);
  std::sort(out.begin(), out.end(), [](const fb::ApiKeyT& a, const fb::ApiKeyT& b) {
    return std::tie(a.principal, a.key_id) < std::tie(b.principal, b.key_id);
  });
  return out;
}

Status ensure_dev_keys(Engine& engine, const std::filesystem::path& csv, std::vector<DevKey>* out) {
  const ReferencePtr ref = engine.reference();
  if (!ref->api_keys.empty()) return read_dev_keys(csv, out);
  std::vector<Principal> principals;
  std::vector<std::string> providers;
  for (const auto& [id, p] : ref->providers) providers.push_back(id);
  std::sort(providers.begin(), providers.end());
  for (const auto& id : providers) principals.push_back(Principal{"provider-" + id, Role::kProvider, id, {}, {}});
  principals.push_back(Principal{"auditor", Role::kAuditor, {}, {}, {}});
  principals.push_back(Principal{"admin", Role::kOps, {}, {}, {}});
  std::vector<fb::ApiKeyT> records;
  out->clear();
  for (const auto& p : principals) {
    std::string key = new_api_key();
    records.push_back(api_key_record(sha256_hex(key), p, false, 0));
    out->push_back(DevKey{p.name, role_name(p.role), std::move(key)});
  }
  // The file first: a key recorded but never written down would be lost.
  TRY_STATUS(write_dev_keys(csv, *out));
  return upsert(into_store(engine), std::move(records), Millis{0});
}

Status read_dev_keys(const std::filesystem::path& csv, std::vector<DevKey>* out) {
  std::ifstream in(csv);
  if (!in) return Status::not_found("no " + csv.string());
  out->clear();
  std::string line;
  size_t number = 0;
  while (std::getline(in, line) && number < kDevKeysMax) {
    ++number;
    if (number == 1 || line.empty()) continue;  // header
    std::istringstream fields(line);
    DevKey k;
    if (!std::getline(fields, k.principal, ',') || !std::getline(fields, k.role, ',') || !std::getline(fields, k.key)) {
      return Status::invalid(csv.string() + ":" + std::to_string(number) + ": expected principal,role,key");
    }
    out->push_back(std::move(k));
  }
  return Status::ok();
}

const DevKey* find_dev_key(const std::vector<DevKey>& keys, std::string_view principal) {
  for (const auto& k : keys) {
    if (k.principal == principal) return &k;
  }
  return nullptr;
}

}  // namespace autoriza::auth
