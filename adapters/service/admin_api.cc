// The ops API over keys (role ops only: rows of adapters/service/route_table.cc):
//   GET  /v1/admin/keys                -> {"items":[{key_id, principal, role, provider, credential,
//                                           certificate, revoked, created (null: a development key)}], "next": null}
//   POST /v1/admin/keys {"principal","role","provider"?,"credential"?,"certificate"?}
//                                      -> {"key","key_id","principal","role","certificate":false}  (the key is shown once)
//                                         with "certificate" (a client certificate, PEM): no "key"; TLS
//                                         clients presenting it act as the principal
//   POST /v1/admin/keys/{id|principal}/revoke -> {"revoked": N}
//
// And over the providers' portal's users, with the functions of `autoriza
// users` (adapters/auth/portal_users.h); a user is never answered with a hash:
//   GET  /v1/admin/users               -> {"items":[User], "next": null}
//   POST /v1/admin/users {"user","name","email"?,"phone"?,"providers":[...],"password"?}
//                                      -> User, plus "password" when it was generated (shown once);
//                                         creates or replaces; the password must be changed at the
//                                         first sign-in; the user's sessions end
//   POST /v1/admin/users/{user}/disable        -> User; its sessions end
//   POST /v1/admin/users/{user}/reset-password -> User + "password" (a new random initial one, shown
//                                                 once); its sessions end, a lockout and a pending
//                                                 recovery code are void
// User: {user, name, email, phone, providers, must_change_password, disabled,
//        locked_until (ISO-8601, null when not locked out: PortalSessions), created}
// Each change is a reference event (adapters/auth/key_admin.h, portal_users.h).
//
//   POST /v1/admin/backup {"to": "/abs/folder"} -> {to, files, bytes, seconds}: a backup of the
//                                      served store (engine/backup.h) on the server's file system,
//                                      taken while commands go on; one at a time (409 meanwhile)
#include "adapters/service/admin_api.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "engine/backup.h"

#include "adapters/auth/key_admin.h"
#include "adapters/auth/portal_users.h"
#include "adapters/codec/codec.h"
#include "adapters/service/api_util.h"

namespace autoriza {

namespace {

Json key_json(const fb::ApiKeyT& k) {
  return {{"key_id", k.key_id},         {"principal", k.principal},     {"role", k.role},
          {"provider", k.provider},     {"credential", k.credential},   {"certificate", k.certificate},
          {"revoked", k.revoked},
          // Development keys have no creation time (they exist before any command): null, not 1969.
          {"created", k.created_ms > 0 ? Json(format_instant(Millis{k.created_ms})) : Json(nullptr)}};
}

Status principal_from(const Json& body, auth::Principal* p) {
  if (!body.is_object()) return Status::invalid("body must be a JSON object");
  for (const char* field : {"principal", "role"}) {
    if (!body.contains(field) || !body[field].is_string()) return Status::invalid(std::string(field) + " is required (a string)", field);
  }
  for (const char* field : {"provider", "credential"}) {
    if (body.contains(field) && !body[field].is_string()) return Status::invalid(std::string(field) + " must be a string", field);
  }
  p->name = body["principal"].get<std::string>();
  if (Status s = auth::parse_role(body["role"].get<std::string>(), &p->role); !s) return s;
  p->provider = body.value("provider", "");
  p->credential = body.value("credential", "");
  return Status::ok();
}

Json user_json(const fb::PortalUserT& u, PortalSessions& sessions, Millis now) {
  const int64_t locked_until = sessions.locked_until(u.user, now);
  return {{"user", u.user},
          {"name", u.name},
          {"email", u.email},
          {"phone", u.phone},
          {"providers", u.providers},
          {"must_change_password", u.must_change_password},
          {"disabled", u.disabled},
          {"locked_until", locked_until > 0 ? Json(format_instant(Millis{locked_until})) : Json(nullptr)},
          {"created", format_instant(Millis{u.created_ms})}};
}

// The optional string field name of body into *out; kInvalidRequest naming it otherwise.
Status optional_string(const Json& body, const char* name, std::string* out) {
  if (!body.contains(name) || body[name].is_null()) return Status::ok();
  if (!body[name].is_string()) return Status::invalid(std::string(name) + " must be a string", name);
  *out = body[name].get<std::string>();
  return Status::ok();
}

Status user_from(const Json& body, auth::PortalUserSpec* spec, std::string* password) {
  if (!body.is_object()) return Status::invalid("body must be a JSON object");
  for (const char* field : {"user", "name"}) {
    if (!body.contains(field) || !body[field].is_string()) return Status::invalid(std::string(field) + " is required (a string)", field);
  }
  spec->user = body["user"].get<std::string>();
  spec->name = body["name"].get<std::string>();
  Status s = optional_string(body, "email", &spec->email);
  if (s) s = optional_string(body, "phone", &spec->phone);
  if (s) s = optional_string(body, "password", password);
  if (!s) return s;
  if (!body.contains("providers") || !body["providers"].is_array()) {
    return Status::invalid("providers is required (an array of provider ids)", "providers");
  }
  for (const Json& p : body["providers"]) {
    if (!p.is_string()) return Status::invalid("providers must hold provider ids (strings)", "providers");
    spec->providers.push_back(p.get<std::string>());
  }
  return Status::ok();
}

// The user's record as answered after a change; with password when not empty.
Reply user_reply(Service& service, const std::string& user, Millis now, const std::string& password = {}) {
  const fb::PortalUserT* u = service.engine().reference()->portal_user(user);
  if (!u) return reply_for(Status::not_found("no user " + user));
  Json j = user_json(*u, service.portal_sessions(), now);
  if (!password.empty()) j["password"] = password;
  return Reply{200, j.dump()};
}

}  // namespace

namespace admin_api {

Reply list_keys(Engine& engine) {
  Json items = Json::array();
  for (const auto& k : auth::list_keys(*engine.reference())) items.push_back(key_json(k));
  return Reply{200, Json{{"items", items}, {"next", nullptr}}.dump()};
}

Reply add_key(Engine& engine, std::string_view body, Millis now) {
  Json json;
  auth::Principal principal;
  Status s = parse_json(body, &json);
  if (s) s = principal_from(json, &principal);
  if (s && json.contains("certificate") && !json["certificate"].is_string()) {
    s = Status::invalid("certificate must be a string (PEM)", "certificate");
  }
  const bool certificate = s && json.contains("certificate");
  std::string key, key_id, der;
  if (s && certificate) {
    s = auth::certificate_der_from_pem(json["certificate"].get<std::string>(), &der);
    if (s) s = auth::add_certificate(engine, principal, der, now, &key_id);
  } else if (s) {
    s = auth::add_key(engine, principal, now, &key, &key_id);
  }
  if (!s) return reply_for(s);
  Json answer{{"key_id", key_id}, {"principal", principal.name}, {"role", auth::role_name(principal.role)},
              {"certificate", certificate}};
  if (!certificate) answer["key"] = key;
  return Reply{200, answer.dump()};
}

Reply revoke_keys(Engine& engine, const std::string& id_or_principal, Millis now) {
  size_t revoked = 0;
  if (Status s = auth::revoke_keys(engine, id_or_principal, now, &revoked); !s) return reply_for(s);
  return Reply{200, Json{{"revoked", revoked}}.dump()};
}

Reply list_users(Service& service, Millis now) {
  Json items = Json::array();
  for (const auto& u : auth::list_portal_users(*service.engine().reference())) {
    items.push_back(user_json(u, service.portal_sessions(), now));
  }
  return Reply{200, Json{{"items", items}, {"next", nullptr}}.dump()};
}

Reply add_user(Service& service, std::string_view body, Millis now) {
  Json json;
  auth::PortalUserSpec spec;
  std::string chosen, password;
  Status s = parse_json(body, &json);
  if (s) s = user_from(json, &spec, &chosen);
  const bool generated = chosen.empty();
  if (s) s = auth::add_portal_user(service.engine(), spec, chosen, true, now, &password);
  wipe(&chosen);
  if (!s) return reply_for(s);
  service.portal_sessions().close_user(spec.user);  // a replaced user signs in again
  Reply r = user_reply(service, spec.user, now, generated ? password : std::string());
  wipe(&password);
  return r;
}

Reply disable_user(Service& service, const std::string& user, Millis now) {
  if (Status s = auth::disable_portal_user(service.engine(), user, now); !s) return reply_for(s);
  service.portal_sessions().close_user(user);
  return user_reply(service, user, now);
}

Reply reset_user_password(Service& service, const std::string& user, Millis now) {
  std::string password;
  if (Status s = auth::reset_portal_password(service.engine(), user, now, &password); !s) return reply_for(s);
  service.portal_sessions().close_user(user);
  service.portal_sessions().succeeded(user);  // the new password opens at once
  Reply r = user_reply(service, user, now, password);
  wipe(&password);
  return r;
}

}  // namespace admin_api
namespace admin_api {

void backup(Service& service, std::string_view body, std::function<void(Reply)> done) {
  static std::atomic<bool> running{false};
  Json j;
  if (!parse_json(body, &j) || !j.is_object() || !j.value("to", Json()).is_string()) {
    return done(error_reply(400, "INVALID_REQUEST", "body must be {\"to\": \"/absolute/folder\"}", "to"));
  }
  const std::filesystem::path to = j["to"].get<std::string>();
  if (!to.is_absolute()) return done(error_reply(400, "INVALID_REQUEST", "to must be an absolute path on the server", "to"));
  if (running.exchange(true)) return done(error_reply(409, "CONFLICT", "a backup is already running: wait for it"));
  // Off the HTTP threads: a checkpoint flushes memtables and documents are linked one by one.
  std::thread([&service, to, done = std::move(done)] {
    const auto start = std::chrono::steady_clock::now();
    BackupReport report;
    const Status s = backup_store(service.engine().journal(), service.engine().options().store, to, &report,
                                  [&to](const std::string& step) { spdlog::info("backup {}: {}", to.string(), step); });
    running = false;
    if (!s) return done(reply_for(s));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("backup {}: {} files, {} bytes in {:.2f} s", to.string(), report.files, report.bytes, seconds);
    done(Reply{200, Json{{"to", to.string()}, {"files", report.files}, {"bytes", report.bytes}, {"seconds", seconds}}.dump()});
  }).detach();
}

}  // namespace admin_api

}  // namespace autoriza
