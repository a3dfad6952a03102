// The ops API over keys (role ops only: rows of adapters/service/route_table.cc):
//   GET  /v1/admin/keys                -> {"items":[{key_id, principal, role, provider, credential,
//                                           certificate, revoked, created}], "next": null}
//   POST /v1/admin/keys {"principal","role","provider"?,"credential"?}
//                                      -> {"key","key_id","principal","role"}  (the key is shown once)
//   POST /v1/admin/keys/{id|principal}/revoke -> {"revoked": N}
// Each change is a reference event (adapters/auth/key_admin.h).
#include "adapters/service/admin_api.h"

#include "adapters/service/api_util.h"
#include "adapters/codec/codec.h"
#include "adapters/auth/key_admin.h"

namespace autoriza {

namespace {

Json key_json(const fb::ApiKeyT& k) {
  return {{"key_id", k.key_id},         {"principal", k.principal},     {"role", k.role},
          {"provider", k.provider},     {"credential", k.credential},   {"certificate", k.certificate},
          {"revoked", k.revoked},       {"created", format_instant(Millis{k.created_ms})}};
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
  std::string key, key_id;
  if (s) s = auth::add_key(engine, principal, now, &key, &key_id);
  if (!s) return reply_for(s);
  return Reply{200, Json{{"key", key}, {"key_id", key_id}, {"principal", principal.name},
                         {"role", auth::role_name(principal.role)}}.dump()};
}

Reply revoke_keys(Engine& engine, const std::string& id_or_principal, Millis now) {
  size_t revoked = 0;
  if (Status s = auth::revoke_keys(engine, id_or_principal, now, &revoked); !s) return reply_for(s);
  return Reply{200, Json{{"revoked", revoked}}.dump()};
}

}  // namespace admin_api
}  // namespace autoriza
