#pragma once
// Managing API keys and client certificates: `autoriza keys add|list|revoke`
// and the ops API (/v1/admin/keys). Every change is an ApiKey upsert on the
// reference stream (an event), so replay and every follower see it.
//
// STORE/dev-keys.csv (written by `serve` on an empty store and by the
// scenario runner): "principal,role,key", one line per key, mode 0600 —
// development only; production keys are added one by one and shown once.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "adapters/auth/auth.h"
#include "engine/core/clock.h"

namespace autoriza {
class Engine;
}

namespace autoriza::auth {

// Where key changes go: a store (Engine::load_reference: the overloads
// taking an Engine) or, in Kafka mode, autoriza.reference (app/keys_cmd.cc),
// which every role follows. The changes are checked against `current`.
using KeyChanges = std::function<Status(std::vector<fb::ReferenceRecordUnion> records, Millis now)>;
KeyChanges into_store(Engine& engine);
Status add_key(const Reference& current, const KeyChanges& write, const Principal& principal, Millis now,
               std::string* key, std::string* key_id);
Status add_certificate(const Reference& current, const KeyChanges& write, const Principal& principal,
                       std::string_view certificate_der, Millis now, std::string* key_id);
Status revoke_keys(const Reference& current, const KeyChanges& write, std::string_view key_id_or_principal,
                   Millis now, size_t* revoked);

// Adds a key for principal; *key is the clear key (shown once), *key_id
// its id. kInvalidRequest when the principal is incomplete (a provider
// role without an existing provider, an affiliate role without an existing
// titular credential...).
Status add_key(Engine& engine, const Principal& principal, Millis now, std::string* key, std::string* key_id);
// Adds a client certificate (its DER bytes) for principal.
Status add_certificate(Engine& engine, const Principal& principal, std::string_view certificate_der, Millis now,
                       std::string* key_id);
// Revokes a key by id, or every key of a principal by its name. kNotFound
// when nothing matches; *revoked counts the keys revoked now.
Status revoke_keys(Engine& engine, std::string_view key_id_or_principal, Millis now, size_t* revoked);
// Every key record, revoked ones included, ordered by principal then id.
std::vector<fb::ApiKeyT> list_keys(const Reference& reference);

struct DevKey {
  std::string principal;
  std::string role;
  std::string key;
};
// When the store has no key at all: one key per provider of the reference
// ("provider-<id>"), one "auditor", one "admin" (ops); writes them to csv
// with mode 0600. Otherwise reads csv (kNotFound when missing).
Status ensure_dev_keys(Engine& engine, const std::filesystem::path& csv, std::vector<DevKey>* out);
Status read_dev_keys(const std::filesystem::path& csv, std::vector<DevKey>* out);
// The key of a principal in a list, or null.
const DevKey* find_dev_key(const std::vector<DevKey>& keys, std::string_view principal);

}  // namespace autoriza::auth
