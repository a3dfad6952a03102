#include "adapters/auth/portal_users.h"

#include <sys/stat.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "engine/core/secrets.h"
#include "engine/engine.h"
#include "projections/outbox.h"  // portal_code_context

namespace autoriza::auth {

namespace {

constexpr size_t kDevUsersMax = 100;  // lines read from a dev-users file
constexpr size_t kUserNameMax = 64;
constexpr size_t kTextMax = 254;

size_t characters(std::string_view utf8) {
  return size_t(std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Status check_spec(const Reference& ref, const PortalUserSpec& s) {
  if (s.user.empty() || s.user.size() > kUserNameMax) return Status::invalid("el usuario debe tener de 1 a 64 caracteres", "user");
  for (char c : s.user) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return Status::invalid("el usuario admite letras, dígitos y - _ . solamente", "user");
    }
  }
  if (s.name.empty() || s.name.size() > kTextMax) return Status::invalid("el nombre es obligatorio", "name");
  if (s.email.size() > kTextMax || (!s.email.empty() && s.email.find('@') == std::string::npos)) {
    return Status::invalid("el correo electrónico no es válido", "email");
  }
  if (s.phone.size() > 40) return Status::invalid("el teléfono es demasiado largo", "phone");
  if (s.providers.empty()) return Status::invalid("el usuario necesita al menos un prestador", "providers");
  for (const std::string& p : s.providers) {
    if (!ref.provider(p)) return Status::invalid("no existe el prestador " + p, "providers");
  }
  return Status::ok();
}

Status check_password(std::string_view password) {
  if (characters(password) < kPortalPasswordMin) {
    return Status::invalid("la contraseña debe tener al menos " + std::to_string(kPortalPasswordMin) + " caracteres",
                           "password");
  }
  if (password.size() > kPortalPasswordMax) return Status::invalid("la contraseña es demasiado larga", "password");
  return Status::ok();
}

// Serializes every read-modify-write of a user: two requests at once (two
// wrong codes, a code and a profile change) must not lose an update.
std::mutex& users_mutex() {
  static std::mutex mutex;
  return mutex;
}

Status upsert(Engine& engine, fb::PortalUserT record, Millis now) {
  std::vector<fb::ReferenceRecordUnion> unions(1);
  unions[0].Set(std::move(record));
  ReferenceLoadStats stats;
  return engine.load_reference(unions, &stats, now);
}

// A copy of user's record to change, without the sealed code an earlier
// upsert carried: only the upsert that issues a code may carry it (the
// outbox mails every one it sees). Needs users_mutex() held.
std::optional<fb::PortalUserT> editable(const Engine& engine, std::string_view user) {
  const fb::PortalUserT* current = engine.reference()->portal_user(user);
  if (!current) return std::nullopt;
  fb::PortalUserT copy = *current;
  copy.recovery_sealed_code.clear();
  return copy;
}

void void_recovery(fb::PortalUserT& u) {
  u.recovery_code_hash.clear();
  u.recovery_key_id = 0;
  u.recovery_expires_ms = 0;
  u.recovery_tries = 0;
  u.recovery_sealed_code.clear();
}

// A change to an existing user, recorded as an upsert.
Status change(Engine& engine, std::string_view user, Millis now, const std::function<Status(fb::PortalUserT&)>& edit) {
  std::lock_guard lock(users_mutex());
  std::optional<fb::PortalUserT> next = editable(engine, user);
  if (!next) return Status::not_found("no existe el usuario " + std::string(user));
  if (Status s = edit(*next); !s) return s;
  return upsert(engine, std::move(*next), now);
}

const KeyRing* keys_of(const Engine& engine) {
  const KeyRing* keys = engine.options().keys.get();
  return keys && !keys->empty() ? keys : nullptr;
}

std::vector<uint8_t> bytes_of(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

std::string_view as_text(const std::vector<uint8_t>& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Whether code is u's pending code and still good (not expired, not void).
bool code_matches(const KeyRing& keys, const fb::PortalUserT& u, std::string_view code, Millis now) {
  if (u.recovery_code_hash.empty() || now.value >= u.recovery_expires_ms || u.recovery_tries >= kRecoveryTriesMax) {
    return false;
  }
  if (!keys.has(u.recovery_key_id) || code.size() != kRecoveryCodeDigits) return false;
  const std::string hash = keyed_hash_with(keys, u.recovery_key_id, portal_code_context(u.user), code);
  return equal_constant_time(hash, as_text(u.recovery_code_hash));
}

Status write_dev_users(const std::filesystem::path& csv, const std::vector<DevUser>& users) {
  std::error_code ec;
  std::filesystem::create_directories(csv.parent_path(), ec);
  const std::filesystem::path tmp = csv.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::io_error("cannot write " + tmp.string());
    ::chmod(tmp.c_str(), 0600);  // before any password is written
    out << "user,providers,password\n";
    for (const DevUser& u : users) out << u.user << "," << u.providers << "," << u.password << "\n";
    if (!out.flush()) return Status::io_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, csv, ec);
  return ec ? Status::io_error("cannot rename " + tmp.string() + ": " + ec.message()) : Status::ok();
}

Status read_dev_users(const std::filesystem::path& csv, std::vector<DevUser>* out) {
  out->clear();
  std::ifstream in(csv);
  if (!in) return Status::ok();  // users made elsewhere: nothing to show
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line) && out->size() < kDevUsersMax) {
    std::istringstream fields(line);
    DevUser u;
    if (std::getline(fields, u.user, ',') && std::getline(fields, u.providers, ',') &&
        std::getline(fields, u.password)) {
      out->push_back(std::move(u));
    }
  }
  return Status::ok();
}

}  // namespace

Status add_portal_user(Engine& engine, const PortalUserSpec& spec, std::string password, bool must_change, Millis now,
                       std::string* password_out) {
  if (Status s = check_spec(*engine.reference(), spec); !s) return s;
  if (password.empty()) password = base64url_encode(random_bytes(9));  // 12 characters
  if (Status s = check_password(password); !s) return s;
  fb::PortalUserT record;
  record.user = spec.user, record.name = spec.name, record.email = spec.email, record.phone = spec.phone;
  record.providers = spec.providers;
  record.password_hash = password_hash(password);
  record.must_change_password = must_change;
  record.created_ms = now.value;
  if (password_out) *password_out = password;
  wipe(&password);
  std::lock_guard lock(users_mutex());
  return upsert(engine, std::move(record), now);
}

Status set_portal_password(Engine& engine, std::string_view user, std::string_view password, Millis now) {
  if (Status s = check_password(password); !s) return s;
  return change(engine, user, now, [&](fb::PortalUserT& u) {
    u.password_hash = password_hash(password);
    u.must_change_password = false;
    void_recovery(u);
    return Status::ok();
  });
}

Status reset_portal_password(Engine& engine, std::string_view user, Millis now, std::string* password_out) {
  std::string password = base64url_encode(random_bytes(9));  // 12 characters
  Status s = change(engine, user, now, [&](fb::PortalUserT& u) {
    u.password_hash = password_hash(password);
    u.must_change_password = true;
    void_recovery(u);
    return Status::ok();
  });
  if (s && password_out) *password_out = password;
  wipe(&password);
  return s;
}

Status start_portal_recovery(Engine& engine, std::string_view user, Millis now, bool* issued) {
  if (issued) *issued = false;
  const KeyRing* keys = keys_of(engine);
  if (!keys) return Status::unavailable("la recuperación de contraseñas necesita las claves maestras (AUTORIZA_SECRET_KEYS)");
  std::lock_guard lock(users_mutex());
  std::optional<fb::PortalUserT> next = editable(engine, user);
  if (!next || next->disabled || next->email.empty()) return Status::ok();  // answered as if sent
  std::string code = random_digits(kRecoveryCodeDigits);
  assert(code.size() == kRecoveryCodeDigits);
  const std::string context = portal_code_context(next->user);
  next->recovery_code_hash = bytes_of(keyed_hash(*keys, context, code));
  assert(next->recovery_code_hash.size() == kKeyedHashBytes);
  next->recovery_key_id = keys->current_id();
  next->recovery_expires_ms = now.value + kRecoveryValidMs;
  next->recovery_tries = 0;
  next->recovery_sealed_code = bytes_of(seal(*keys, code, context));
  wipe(&code);
  if (Status s = upsert(engine, std::move(*next), now); !s) return s;
  if (issued) *issued = true;
  return Status::ok();
}

Status finish_portal_recovery(Engine& engine, std::string_view user, std::string_view code, std::string_view password,
                              Millis now) {
  if (Status s = check_password(password); !s) return s;
  const KeyRing* keys = keys_of(engine);
  if (!keys) return Status::unavailable("la recuperación de contraseñas necesita las claves maestras (AUTORIZA_SECRET_KEYS)");
  const Status refused = Status::invalid("el código no es correcto o ya no vale: revisalo o pedí uno nuevo", "code");
  std::lock_guard lock(users_mutex());
  std::optional<fb::PortalUserT> next = editable(engine, user);
  if (!next || next->disabled || next->recovery_code_hash.empty()) return refused;
  assert(next->recovery_tries < kRecoveryTriesMax);  // the last wrong try voided the code (its hash)
  if (!code_matches(*keys, *next, code, now)) {
    if (now.value >= next->recovery_expires_ms) return refused;  // nothing left to count
    if (++next->recovery_tries >= kRecoveryTriesMax) void_recovery(*next);
    if (Status s = upsert(engine, std::move(*next), now); !s) return s;
    return refused;
  }
  void_recovery(*next);
  next->password_hash = password_hash(password);
  next->must_change_password = false;
  assert(next->recovery_sealed_code.empty() && next->recovery_code_hash.empty());
  return upsert(engine, std::move(*next), now);
}

Status set_portal_profile(Engine& engine, std::string_view user, std::string_view email, std::string_view phone,
                          Millis now) {
  return change(engine, user, now, [&](fb::PortalUserT& u) {
    PortalUserSpec spec{u.user, u.name, std::string(email), std::string(phone), u.providers};
    if (Status s = check_spec(*engine.reference(), spec); !s) return s;
    u.email = spec.email, u.phone = spec.phone;
    return Status::ok();
  });
}

Status disable_portal_user(Engine& engine, std::string_view user, Millis now) {
  return change(engine, user, now, [](fb::PortalUserT& u) {
    u.disabled = true;
    void_recovery(u);
    return Status::ok();
  });
}

Status check_portal_login(const Reference& reference, std::string_view user, std::string_view provider,
                          std::string_view password) {
  const fb::PortalUserT* u = reference.portal_user(user);
  const bool acts_for = u && std::find(u->providers.begin(), u->providers.end(), provider) != u->providers.end();
  // The hash is checked whatever else failed, so the time taken tells nothing either.
  const bool matches = password_verify(password, u ? u->password_hash : password_hash("-"));
  if (!u || u->disabled || !acts_for || !matches) {
    return Status::unauthenticated("usuario, lugar de atención o contraseña incorrectos");
  }
  return Status::ok();
}

std::vector<fb::PortalUserT> list_portal_users(const Reference& reference) {
  std::vector<fb::PortalUserT> out;
  for (const auto& [name, u] : reference.portal_users) out.push_back(u);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.user < b.user; });
  return out;
}

Status ensure_dev_users(Engine& engine, const std::filesystem::path& csv, Millis now, std::vector<DevUser>* out) {
  const ReferencePtr ref = engine.reference();
  if (!ref->portal_users.empty()) return read_dev_users(csv, out);
  struct Sample {
    const char* user;
    const char* name;
    std::vector<std::string> providers;
  };
  const Sample samples[] = {{"laboratorio", "Laboratorio de prueba", {"LAB127"}},
                            {"odontologo", "Odontólogo de prueba", {"DEN333", "MED410"}}};
  std::vector<std::pair<PortalUserSpec, std::string>> users;
  out->clear();
  for (const Sample& s : samples) {
    PortalUserSpec spec{s.user, s.name, std::string(s.user) + "@example.org", "", {}};
    for (const std::string& p : s.providers) {
      if (ref->provider(p)) spec.providers.push_back(p);
    }
    if (spec.providers.empty()) continue;
    std::string password = base64url_encode(random_bytes(9));
    std::string joined;
    for (const std::string& p : spec.providers) joined += (joined.empty() ? "" : ";") + p;
    out->push_back(DevUser{spec.user, joined, password});
    users.emplace_back(std::move(spec), std::move(password));
  }
  // The file first: a password recorded but never written down would be lost.
  if (Status s = write_dev_users(csv, *out); !s) return s;
  for (auto& [spec, password] : users) {
    if (Status s = add_portal_user(engine, spec, password, false, now, nullptr); !s) return s;
  }
  return Status::ok();
}

}  // namespace autoriza::auth
