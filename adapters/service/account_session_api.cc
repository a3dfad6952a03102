#include "adapters/service/account_session_api.h"

#include <algorithm>

#include "adapters/codec/codec.h"
#include "adapters/service/api_util.h"
#include "engine/core/csv.h"  // utf8_length

namespace autoriza::account_session_api {

namespace {

constexpr std::string_view kWrong = "Documento o contraseña incorrectos";

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') out.push_back(c);
    else if (c != '.' && c != '-' && c != ' ') return {};  // not a number as people write it
  }
  return out;
}

std::string without_leading_zeros(const std::string& digits) {
  const size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? std::string() : digits.substr(first);
}

// The document a sign-in names: {document} as typed ("26.111.222"), or the
// DNI inside {cuil} ("20-26111222-3": digits 3 to 10). Empty: neither.
Status document_of(const Json& body, std::string* document) {
  const bool by_cuil = body.contains("cuil");
  const Json& given = by_cuil ? body["cuil"] : body.value("document", Json());
  const std::string digits = given.is_string() ? digits_of(given.get<std::string>()) : std::string();
  if (by_cuil && digits.size() != 11) return Status::invalid("escribí el CUIL con sus 11 números", "cuil");
  if (!by_cuil && (digits.size() < 6 || digits.size() > 9)) {
    return Status::invalid("escribí el número de documento (DNI)", "document");
  }
  *document = by_cuil ? digits.substr(2, 8) : digits;
  return Status::ok();
}

// The account of a document, also written without leading zeros.
bool find_account(const Engine& engine, std::string* document, fb::AccountStateT* account) {
  if (engine.account(*document, account).is_ok()) return true;
  const std::string bare = without_leading_zeros(*document);
  if (bare == *document || !engine.account(bare, account).is_ok()) return false;
  *document = bare;
  return true;
}

Reply session_reply(const Engine& engine, const PortalSession& s, std::string set_cookie = {}) {
  const ReferencePtr ref = engine.reference();
  const fb::AffiliateT* a = ref->affiliate(s.provider);
  Json affiliate = {{"credential", s.provider}, {"document", s.user}};
  if (a) {
    affiliate["name"] = display_name(*a);
    affiliate["plan"] = a->plan;
    affiliate["titular"] = a->titular;
    affiliate["cuil"] = a->cuil;
  }
  // The account's own e-mail (where recovery codes go), as last committed.
  if (fb::AccountStateT account; engine.account(s.user, &account).is_ok()) affiliate["email"] = account.email;
  Json j = {{"affiliate", affiliate},
            {"titular", a != nullptr && a->titular == s.provider},
            {"csrf", s.csrf},
            {"idle_timeout_s", PortalSessions::kIdleMs / 1000}};
  Reply r{200, j.dump()};
  r.set_cookie = std::move(set_cookie);
  return r;
}

// What the engine recorded of the try, as the affiliate reads it. A try
// refused (wrong password, locked account) counts against address.
void answer(Service& service, Millis now, bool https, const std::string& document, int64_t locked_until_ms,
            const std::string& address, const Outcome& o, RouteDone& done) {
  const auto result = result_of(o);
  if (!o.status || !result) return done(reply_for(o.status ? Status::unavailable("no pudimos leer la respuesta: probá de nuevo") : o.status));
  const fb::ResultT& r = *result;
  if (r.status == fb::Status::ACCEPTED && r.affiliate) {
    PortalSessions& sessions = service.account_sessions();
    const std::string token = sessions.open(document, r.affiliate->credential, now);
    return done(session_reply(service.engine(), *sessions.touch(token, now),
                              session_cookie(kAccountCookie, token, https)));
  }
  service.auth_failures().failed(address);
  if (r.status == fb::Status::REFUSED) {  // locked out
    Reply reply = reply_for(Status::rate_limited(r.message));
    reply.retry_after_s = std::max<int64_t>(1, (locked_until_ms - now.value) / 1000 + 1);
    return done(std::move(reply));
  }
  done(reply_for(Status::unauthenticated(r.message.empty() ? std::string(kWrong) : r.message)));
}

}  // namespace

void login(Service& service, const RouteCall& call, RouteDone done) {
  Json body;
  if (Status s = parse_json(call.body, &body); !s || !body.is_object()) {
    return done(reply_for(Status::invalid("el cuerpo debe ser un objeto JSON", "")));
  }
  std::string document;
  if (Status s = document_of(body, &document); !s) return done(reply_for(s));
  const Json& given = body.value("password", Json());
  if (!given.is_string() || given.get<std::string>().empty()) {
    return done(reply_for(Status::invalid("escribí tu contraseña", "password")));
  }
  if (auto limited = service.over_auth_failures(call.address)) return done(std::move(*limited));  // before scrypt
  std::string password = given.get<std::string>();
  fb::AccountStateT account;
  const bool found = find_account(service.engine(), &document, &account);
  const bool locked = found && account.locked_until_ms > call.now.value;
  // Slow on purpose (scrypt), and skipped while locked: the engine refuses then anyway.
  const bool matched = found && !locked && account.status == fb::Status::REGISTERED &&
                       password_verify(password, account.password_hash);
  wipe(&password);
  fb::AccountLoginCmdT cmd;
  cmd.request_id = "login-" + random_digits(20);  // every try is its own event
  cmd.document = document;
  cmd.password_ok = matched;
  fb::CommandUnion command;
  command.Set(std::move(cmd));
  const int64_t locked_until = account.locked_until_ms;
  service.submit(Service::internal_principal(), std::move(command), call.now, "http",
                 [&service, now = call.now, https = call.https, document, locked_until,
                  address = std::string(call.address), done = std::move(done)](Outcome o) mutable {
                   answer(service, now, https, document, locked_until, address, o, done);
                 });
}

namespace {

// The session a change is made through: the route admitted the cookie (and
// its CSRF token) as principal "session"; an app key cannot change an account.
std::optional<PortalSession> change_session(Service& service, const RouteCall& call, Reply* error) {
  std::optional<PortalSession> s;
  if (call.principal.key_id == "session") s = service.account_sessions().touch(std::string(call.account_session), call.now);
  if (!s) *error = reply_for(Status::unauthenticated("para cambiar tu contraseña o e-mail ingresá con tu DNI y contraseña"));
  return s;
}

// Submits an account change under the current password (checked here, like
// a sign-in); on PASSWORD_CHANGED the account's other sessions end.
void submit_change(Service& service, const RouteCall& call, const PortalSession& session, std::string current,
                   fb::AccountUpdateCmdT cmd, RouteDone done) {
  fb::AccountStateT account;
  std::string document = session.user;
  const bool found = find_account(service.engine(), &document, &account);
  const bool locked = found && account.locked_until_ms > call.now.value;
  cmd.request_id = "account-" + random_digits(20);
  cmd.document = document;
  cmd.password_ok = found && !locked && password_verify(current, account.password_hash);
  wipe(&current);
  fb::CommandUnion command;
  command.Set(std::move(cmd));
  const int64_t locked_until = account.locked_until_ms;
  service.submit(Service::internal_principal(), std::move(command), call.now, "http",
                 [&service, now = call.now, document, locked_until, token = std::string(call.account_session),
                  done = std::move(done)](Outcome o) {
                   const auto result = result_of(o);
                   if (!o.status || !result) {
                     return done(reply_for(o.status ? Status::unavailable("no pudimos leer la respuesta: probá de nuevo") : o.status));
                   }
                   const fb::ResultT& r = *result;
                   if (r.status == fb::Status::REFUSED) {
                     Reply reply = reply_for(Status::rate_limited(r.message));
                     reply.retry_after_s = std::max<int64_t>(1, (locked_until - now.value) / 1000 + 1);
                     return done(std::move(reply));
                   }
                   if (r.status == fb::Status::REJECTED) return done(reply_for(Status::invalid(r.message, "current_password")));
                   if (r.status == fb::Status::PASSWORD_CHANGED) service.account_sessions().close_user(document, token);
                   done(Reply{200, Json{{"status", fb::EnumNameStatus(r.status)}, {"message", r.message}}.dump()});
                 });
}

Status string_field(const Json& body, const char* name, const char* missing, std::string* out) {
  const Json& v = body.value(name, Json());
  if (!v.is_string() || v.get<std::string>().empty()) return Status::invalid(missing, name);
  *out = v.get<std::string>();
  return Status::ok();
}

}  // namespace

void change_password(Service& service, const RouteCall& call, RouteDone done) {
  Reply error;
  const std::optional<PortalSession> s = change_session(service, call, &error);
  if (!s) return done(std::move(error));
  Json body;
  std::string current, next;
  Status st = parse_json(call.body, &body);
  if (!st || !body.is_object()) st = Status::invalid("el cuerpo debe ser un objeto JSON", "");
  if (st) st = string_field(body, "current_password", "escribí tu contraseña actual", &current);
  if (st) st = string_field(body, "new_password", "escribí la contraseña nueva", &next);
  if (st && (utf8_length(next) < 8 || utf8_length(next) > 128)) st = Status::invalid("la contraseña nueva debe tener de 8 a 128 caracteres", "new_password");
  if (st && next == current) st = Status::invalid("la contraseña nueva debe ser distinta de la actual", "new_password");
  if (!st) return done(reply_for(st));
  fb::AccountUpdateCmdT cmd{};
  cmd.password_hash = password_hash(next);
  wipe(&next);
  submit_change(service, call, *s, std::move(current), std::move(cmd), std::move(done));
}

void change_email(Service& service, const RouteCall& call, RouteDone done) {
  Reply error;
  const std::optional<PortalSession> s = change_session(service, call, &error);
  if (!s) return done(std::move(error));
  Json body;
  std::string current, email;
  Status st = parse_json(call.body, &body);
  if (!st || !body.is_object()) st = Status::invalid("el cuerpo debe ser un objeto JSON", "");
  if (st) st = string_field(body, "password", "escribí tu contraseña actual", &current);
  if (st) st = string_field(body, "email", "escribí el e-mail nuevo", &email);
  const size_t at = email.find('@');
  if (st && (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
             email.find_first_of(" \t\r\n<>") != std::string::npos)) {
    st = Status::invalid("el e-mail no parece una dirección válida (nombre@dominio.com)", "email");
  }
  if (!st) return done(reply_for(st));
  fb::AccountUpdateCmdT cmd{};
  cmd.email = email;
  submit_change(service, call, *s, std::move(current), std::move(cmd), std::move(done));
}

void session(Service& service, const RouteCall& call, RouteDone done) {
  const std::optional<PortalSession> s = service.account_sessions().touch(std::string(call.account_session), call.now);
  if (!s) return done(reply_for(Status::unauthenticated("no hay una sesión abierta: ingresá con tu DNI y contraseña")));
  done(session_reply(service.engine(), *s));
}

void logout(Service& service, const RouteCall& call, RouteDone done) {
  PortalSessions& sessions = service.account_sessions();
  const std::string token(call.account_session);
  const std::optional<PortalSession> s = sessions.touch(token, call.now);
  Json body;
  const bool everywhere = parse_json(call.body, &body).is_ok() && body.is_object() && body.value("everywhere", false);
  if (s && everywhere) sessions.close_user(s->user);
  sessions.close(token);
  Reply r{200, "{}"};
  r.set_cookie = session_cookie(kAccountCookie, "", call.https, true);
  done(std::move(r));
}

}  // namespace autoriza::account_session_api
