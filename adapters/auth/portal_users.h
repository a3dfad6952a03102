#pragma once
// Users of the providers' portal: `autoriza users add|list|disable|reset-password`,
// the ops API (/v1/admin/users), the portal's own password and profile
// changes and the forgotten password (a code by e-mail, through the outbox).
// Every change is a PortalUser upsert on the reference stream (an event), so
// replay and every follower see it; only a scrypt hash of a password is kept.
//
// STORE/dev-users.csv (written by `serve` on a store with the sample
// providers and no user yet): "user,providers,password", providers joined
// by ';', mode 0600 — development only.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/reference.h"
#include "engine/core/status.h"

namespace autoriza {
class Engine;
}

namespace autoriza::auth {

inline constexpr size_t kPortalPasswordMin = 8;    // characters
inline constexpr size_t kPortalPasswordMax = 128;  // bytes (scrypt's input bound is larger)

struct PortalUserSpec {
  std::string user, name, email, phone;
  std::vector<std::string> providers;
};

// Adds (or replaces) a user. password empty: a random one is made. The user
// must change it at the first sign-in unless must_change is false (the
// development users). *password: the clear password, shown once.
// kInvalidRequest (field named, Spanish message) for a bad name, e-mail or
// an unknown provider.
Status add_portal_user(Engine& engine, const PortalUserSpec& spec, std::string password, bool must_change, Millis now,
                       std::string* password_out);
// The user's own change (clears must_change_password); kInvalidRequest for a
// password shorter than kPortalPasswordMin characters.
Status set_portal_password(Engine& engine, std::string_view user, std::string_view password, Millis now);
Status set_portal_profile(Engine& engine, std::string_view user, std::string_view email, std::string_view phone,
                          Millis now);
Status disable_portal_user(Engine& engine, std::string_view user, Millis now);

// The ops' reset: a new random initial password (*password_out, shown once)
// that must be changed at the first sign-in; voids a pending recovery code.
// kNotFound for an unknown user.
Status reset_portal_password(Engine& engine, std::string_view user, Millis now, std::string* password_out);

// --- Forgotten password ------------------------------------------------------
//
// A code of kRecoveryCodeDigits digits, drawn here (the validator draws
// nothing), good for kRecoveryValidMs and until kRecoveryTriesMax wrong
// tries. The user's record keeps only its keyed hash (secrets.h
// keyed_hash_with, context portal_code_context(user) of projections/outbox.h)
// with the key id, its expiry and the wrong tries; the upsert that issues it
// also carries it sealed (seal(), same context), which the outbox opens and
// mails to the user's e-mail. Every later upsert clears the sealed code, so a
// code is mailed once. A new code replaces the pending one; the user's own
// password change, an ops reset and disabling the user void it.
inline constexpr size_t kRecoveryCodeDigits = 6;
inline constexpr int64_t kRecoveryValidMs = 15 * 60 * 1000;
inline constexpr int32_t kRecoveryTriesMax = 5;

// Issues a code when user exists, is enabled and has an e-mail; for any
// other name does nothing and still returns ok, so the caller answers the
// same (no account enumeration). *issued (optional): whether a code was
// issued, for tests; never tell it to the caller. kUnavailable without master
// keys (EngineOptions::keys).
Status start_portal_recovery(Engine& engine, std::string_view user, Millis now, bool* issued = nullptr);

// Sets password when code is user's pending code (before its expiry, fewer
// than kRecoveryTriesMax wrong tries): the code is void afterwards and
// must_change_password cleared. kInvalidRequest, field "password", for a
// password against the rules (checked first: no try is counted); field
// "code" for every other failure, with one message whatever the cause
// (unknown or disabled user, no code, expired, void, wrong), so the answer
// tells nothing of the account. A wrong code counts a try (recorded); the
// kRecoveryTriesMax-th voids the code. kUnavailable without master keys.
Status finish_portal_recovery(Engine& engine, std::string_view user, std::string_view code, std::string_view password,
                              Millis now);

// Whether user may sign in for provider with password: the user exists, is
// enabled, acts for provider and the password matches. Slow on purpose
// (scrypt). One Spanish message for every failure, so a caller learns
// nothing of which part was wrong.
Status check_portal_login(const Reference& reference, std::string_view user, std::string_view provider,
                          std::string_view password);

// Users ordered by name. The records hold hashes: show only chosen fields.
std::vector<fb::PortalUserT> list_portal_users(const Reference& reference);

struct DevUser {
  std::string user, providers, password;
};
// With no portal user yet: makes the development users ("laboratorio" for
// LAB127, "odontologo" for DEN333 and MED410, those of them the reference
// has), writes csv, then records them. Otherwise reads csv (if any).
Status ensure_dev_users(Engine& engine, const std::filesystem::path& csv, Millis now, std::vector<DevUser>* out);

}  // namespace autoriza::auth
