#pragma once
// Users of the providers' portal: `autoriza users add|list|disable`, the ops
// API (/v1/admin/users) and the portal's own password and profile changes.
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

// Whether user may sign in for provider with password: the user exists, is
// enabled, acts for provider and the password matches. Slow on purpose
// (scrypt). One Spanish message for every failure, so a caller learns
// nothing of which part was wrong.
Status check_portal_login(const Reference& reference, std::string_view user, std::string_view provider,
                          std::string_view password);

// Users ordered by name.
std::vector<fb::PortalUserT> list_portal_users(const Reference& reference);

struct DevUser {
  std::string user, providers, password;
};
// With no portal user yet: makes the development users ("laboratorio" for
// LAB127, "odontologo" for DEN333 and MED410, those of them the reference
// has), writes csv, then records them. Otherwise reads csv (if any).
Status ensure_dev_users(Engine& engine, const std::filesystem::path& csv, Millis now, std::vector<DevUser>* out);

}  // namespace autoriza::auth
