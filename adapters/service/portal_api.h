#pragma once
// The providers' portal's own API (rows of route_table.cc): sign in and out,
// the session, password, profile, "Cambiar Prestador" and the forgotten
// password (a code by e-mail: adapters/auth/portal_users.h). Messages are in
// Spanish: a person reads them.
//
//   POST /v1/portal/login {user, provider, password} -> Session, Set-Cookie
//   GET  /v1/portal/session                          -> Session (401 without one)
//   POST /v1/portal/logout                           -> {}
//   POST /v1/portal/password {current, new}          -> Session
//   POST /v1/portal/provider {provider}              -> Session
//   POST /v1/portal/profile {email, phone}           -> Session
//   POST /v1/portal/recovery {user}                  -> {message}: the same whether or not
//                                                       the user exists; 429 after 3 codes an hour
//   POST /v1/portal/recovery/confirm {user, code, new_password}
//                                                    -> {message}; 400 naming the field
// Session: {user, name, email, phone, provider:{id,name,center,kind},
//           providers:[...], must_change_password, csrf, idle_timeout_s}
#include "adapters/service/route_table.h"

namespace autoriza::portal_api {

void login(Service& service, const RouteCall& call, RouteDone done);
void session(Service& service, const RouteCall& call, RouteDone done);
void logout(Service& service, const RouteCall& call, RouteDone done);
void password(Service& service, const RouteCall& call, RouteDone done);
void provider(Service& service, const RouteCall& call, RouteDone done);
void profile(Service& service, const RouteCall& call, RouteDone done);
void recovery(Service& service, const RouteCall& call, RouteDone done);
void recovery_confirm(Service& service, const RouteCall& call, RouteDone done);

}  // namespace autoriza::portal_api
