#pragma once
// The ops API over API keys and the providers' portal's users (admin_api.cc
// says what each answers).
#include <string>
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza::admin_api {

Reply list_keys(Engine& engine);                                               // GET /v1/admin/keys
Reply add_key(Engine& engine, std::string_view body, Millis now);              // POST /v1/admin/keys
Reply revoke_keys(Engine& engine, const std::string& id_or_principal, Millis now);  // POST .../{id}/revoke

Reply list_users(Service& service, Millis now);                                    // GET /v1/admin/users
Reply add_user(Service& service, std::string_view body, Millis now);               // POST /v1/admin/users
Reply disable_user(Service& service, const std::string& user, Millis now);         // POST .../{user}/disable
Reply reset_user_password(Service& service, const std::string& user, Millis now);  // POST .../{user}/reset-password
// POST /v1/admin/backup {"to"}: done is called from a thread of its own.
void backup(Service& service, std::string_view body, std::function<void(Reply)> done);

}  // namespace autoriza::admin_api
