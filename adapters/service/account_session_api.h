#pragma once
// The affiliates' sessions (rows of route_table.cc; docs/rules.md §13): an
// affiliate with a registered account signs in with its DNI or CUIL and
// password and gets the same kind of session as the providers' portal (an
// HttpOnly, SameSite=Strict cookie, a CSRF token for writes, 15 idle
// minutes). Every try is an event (AccountLoginCmd -> LOGIN_RECORDED): the
// engine counts failures and locks the account; the password is checked
// here against the account's scrypt hash, off the partition's thread.
// Through the session the affiliate acts as its credential (a titular, for
// its family group) on every affiliate route. Messages are in Spanish.
//
//   POST /v1/account/login {document | cuil, password} -> Session, Set-Cookie
//   GET  /v1/account/session                          -> Session (401 without one)
//   POST /v1/account/logout {everywhere?}             -> {} (everywhere: every session of the account)
//   POST /v1/account/password {current_password, new_password} (session) -> {status, message}; other sessions end
//   POST /v1/account/email {password, email}                   (session) -> {status, message}
// Session: {affiliate:{credential, document, cuil, email, name, titular, plan}, titular, csrf, idle_timeout_s}
// A change is an event (AccountUpdateCmd -> ACCOUNT_UPDATED) under the
// current password, which counts towards the lockout like a sign-in.
#include "adapters/service/route_table.h"

namespace autoriza::account_session_api {

void login(Service& service, const RouteCall& call, RouteDone done);
void session(Service& service, const RouteCall& call, RouteDone done);
void logout(Service& service, const RouteCall& call, RouteDone done);
void change_password(Service& service, const RouteCall& call, RouteDone done);
void change_email(Service& service, const RouteCall& call, RouteDone done);

}  // namespace autoriza::account_session_api
