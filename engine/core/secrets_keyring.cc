// KeyRing: master keys from "ID:HEX64[,ID:HEX64...]" and derived keys.
// Error messages name entries by position or id, never by key bytes.
#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <string>
#include <utility>

#include "engine/core/ascii.h"
#include "engine/core/secrets.h"

namespace autoriza {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A decimal id 1-255 ("7", "255"), or 0 when text is not one.
uint8_t parse_key_id(std::string_view text) {
  if (text.empty() || text.size() > 3) return 0;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 255 ? static_cast<uint8_t>(value) : 0;
}

// Decodes exactly 2 * out.size() hex digits into out; false otherwise.
template <size_t N>
bool parse_hex(std::string_view text, std::array<unsigned char, N>* out) {
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

Status KeyRing::parse(std::string_view spec, KeyRing* out) {
  assert(out != nullptr);
  spec = ascii::trim(spec);
  if (spec.empty()) return Status::invalid("no keys: expected ID:HEX64[,ID:HEX64...]");
  KeyRing ring;
  bool more = true;  // a trailing ',' announces one more (then empty, so bad) entry
  for (size_t position = 1; more; ++position) {
    if (position > kKeyRingKeysMax) return Status::invalid("more than " + std::to_string(kKeyRingKeysMax) + " keys");
    const size_t comma = spec.find(',');
    const std::string_view entry = ascii::trim(spec.substr(0, comma));
    more = comma != std::string_view::npos;
    spec = more ? spec.substr(comma + 1) : std::string_view{};
    const std::string where = "key entry " + std::to_string(position);
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos) return Status::invalid(where + ": expected ID:HEX64");
    Entry parsed;
    parsed.id = parse_key_id(ascii::trim(entry.substr(0, colon)));
    if (parsed.id == 0) return Status::invalid(where + ": id must be a number 1-255");
    const std::string name = "key " + std::to_string(parsed.id);
    if (ring.has(parsed.id)) return Status::invalid(name + ": duplicate id");
    const bool hex_ok = parse_hex(ascii::trim(entry.substr(colon + 1)), &parsed.key);
    ring.keys_.push_back(parsed);  // pushed before checking so the ring wipes it either way
    wipe_memory(parsed.key.data(), parsed.key.size());
    if (!hex_ok) return Status::invalid(name + ": expected 64 hex digits");
  }
  AUTORIZA_CHECK(!ring.empty() && ring.size() <= kKeyRingKeysMax);
  *out = std::move(ring);
  return Status::ok();
}

KeyRing KeyRing::from_environment(Status* status) {
  assert(status != nullptr);
  const char* spec = std::getenv(kSecretKeysEnv);
  if (spec == nullptr) {
    *status = Status::not_found(std::string(kSecretKeysEnv) + " is not set");
    return KeyRing();
  }
  KeyRing ring;
  const Status parsed = parse(spec, &ring);
  *status = parsed.is_ok() ? parsed : Status::invalid(parsed.message(), kSecretKeysEnv);
  assert(status->is_ok() != ring.empty());
  return ring;
}

KeyRing KeyRing::generate_dev() {
  std::string bytes = random_bytes(kMasterKeyBytes);
  Entry entry;
  entry.id = 1;
  std::copy(bytes.begin(), bytes.end(), entry.key.begin());
  wipe(&bytes);
  KeyRing ring;
  ring.keys_.push_back(entry);
  wipe_memory(entry.key.data(), entry.key.size());
  AUTORIZA_CHECK(ring.current_id() == 1);
  return ring;
}

std::string KeyRing::to_spec() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string spec;
  spec.reserve(keys_.size() * (4 + 2 * kMasterKeyBytes + 1));
  for (const Entry& entry : keys_) {
    if (!spec.empty()) spec.push_back(',');
    spec += std::to_string(entry.id);
    spec.push_back(':');
    for (unsigned char b : entry.key) {
      spec.push_back(kHex[b >> 4]);
      spec.push_back(kHex[b & 15]);
    }
  }
  return spec;
}

const KeyRing::Entry* KeyRing::find(uint8_t key_id) const {
  for (const Entry& entry : keys_) {
    if (entry.id == key_id) return &entry;
  }
  return nullptr;
}

bool KeyRing::has(uint8_t key_id) const {
  return find(key_id) != nullptr;
}

uint8_t KeyRing::current_id() const {
  AUTORIZA_CHECK(!keys_.empty());
  return keys_.front().id;
}

std::string KeyRing::derive(uint8_t key_id, std::string_view label) const {
  const Entry* entry = find(key_id);
  AUTORIZA_CHECK(entry != nullptr);
  AUTORIZA_CHECK(!label.empty());
  const std::string_view master(reinterpret_cast<const char*>(entry->key.data()), entry->key.size());
  std::string derived = hmac_sha256(master, label);
  AUTORIZA_CHECK(derived.size() == kDerivedKeyBytes);
  return derived;
}

}  // namespace autoriza
