#pragma once
// The ops API over API keys (admin_api.cc says what each answers).
#include <string>
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza::admin_api {

Reply list_keys(Engine& engine);                                               // GET /v1/admin/keys
Reply add_key(Engine& engine, std::string_view body, Millis now);              // POST /v1/admin/keys
Reply revoke_keys(Engine& engine, const std::string& id_or_principal, Millis now);  // POST .../{id}/revoke

}  // namespace autoriza::admin_api
