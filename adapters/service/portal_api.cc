#include "adapters/service/portal_api.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/auth/portal_users.h"
#include "adapters/service/api_util.h"
#include "adapters/codec/codec.h"

namespace autoriza::portal_api {

namespace {

Json provider_json(const Reference& ref, const std::string& id) {
  const fb::ProviderT* p = ref.provider(id);
  if (!p) return {{"id", id}, {"name", nullptr}, {"center", nullptr}, {"kind", nullptr}};
  return {{"id", id}, {"name", p->name}, {"center", p->center}, {"kind", fb::EnumNameProviderKind(p->kind)}};
}

Reply session_reply(const Reference& ref, const PortalSession& s, std::string set_cookie = {}) {
  const fb::PortalUserT* u = ref.portal_user(s.user);
  Json providers = Json::array();
  if (u) {
    for (const std::string& id : u->providers) providers.push_back(provider_json(ref, id));
  }
  Json j = {{"user", s.user},
            {"name", u ? u->name : ""},
            {"email", u ? u->email : ""},
            {"phone", u ? u->phone : ""},
            {"provider", provider_json(ref, s.provider)},
            {"providers", providers},
            {"must_change_password", u && u->must_change_password},
            {"csrf", s.csrf},
            {"idle_timeout_s", PortalSessions::kIdleMs / 1000}};
  Reply r{200, j.dump()};
  r.set_cookie = std::move(set_cookie);
  return r;
}

std::string cookie(std::string_view token, bool https, bool clear = false) {
  return session_cookie(kSessionCookie, token, https, clear);
}

// The body's string fields; a missing one is a 400 naming it.
Status strings(std::string_view body, std::initializer_list<const char*> names, Json* out) {
  if (Status s = parse_json(body, out); !s) return Status::invalid("el cuerpo no es JSON válido", "");
  if (!out->is_object()) return Status::invalid("el cuerpo debe ser un objeto JSON", "");
  for (const char* name : names) {
    if (!out->contains(name) || !(*out)[name].is_string() || (*out)[name].get<std::string>().empty()) {
      return Status::invalid(std::string("falta ") + name, name);
    }
  }
  return Status::ok();
}

// The body's string fields for a person's form: a missing one is a 400
// naming it, with what to write (Spanish).
Status required(std::string_view body, std::initializer_list<std::pair<const char*, const char*>> fields, Json* out) {
  if (Status s = parse_json(body, out); !s) return Status::invalid("el cuerpo no es JSON válido", "");
  if (!out->is_object()) return Status::invalid("el cuerpo debe ser un objeto JSON", "");
  for (const auto& [name, message] : fields) {
    if (!out->contains(name) || !(*out)[name].is_string() || (*out)[name].get<std::string>().empty()) {
      return Status::invalid(message, name);
    }
  }
  return Status::ok();
}

// "1 minuto", "40 minutos": a wait rounded up to whole minutes.
std::string in_minutes(int64_t ms) {
  const int64_t minutes = std::max<int64_t>(1, (ms + 59'999) / 60'000);
  return std::to_string(minutes) + (minutes == 1 ? " minuto" : " minutos");
}

Reply message_reply(std::string_view message) { return Reply{200, Json{{"message", message}}.dump()}; }

// The caller's live session, or a 401.
std::optional<PortalSession> current(Service& service, const RouteCall& call, Reply* error) {
  std::optional<PortalSession> s = service.portal_sessions().touch(std::string(call.session), call.now);
  if (!s) *error = reply_for(Status::unauthenticated("no hay una sesión abierta: ingresá con tu usuario"));
  return s;
}

}  // namespace

void login(Service& service, const RouteCall& call, RouteDone done) {
  Json body;
  if (Status s = strings(call.body, {"user", "provider", "password"}, &body); !s) return done(reply_for(s));
  const std::string user = body["user"], provider = body["provider"], pass = body["password"];
  if (auto limited = service.over_auth_failures(call.address)) return done(std::move(*limited));  // before the password
  PortalSessions& sessions = service.portal_sessions();
  if (const int64_t until = sessions.locked_until(user, call.now); until > 0) {
    Reply r = reply_for(Status::rate_limited("usuario bloqueado por intentos fallidos: probá de nuevo en " +
                                             std::to_string((until - call.now.value) / 60000 + 1) + " minutos"));
    r.retry_after_s = (until - call.now.value) / 1000 + 1;
    return done(std::move(r));
  }
  const ReferencePtr ref = service.engine().reference();
  if (Status s = auth::check_portal_login(*ref, user, provider, pass); !s) {
    sessions.failed(user, call.now);
    service.auth_failures().failed(call.address);
    return done(reply_for(s));
  }
  sessions.succeeded(user);
  const std::string token = sessions.open(user, provider, call.now);
  done(session_reply(*ref, *sessions.touch(token, call.now), cookie(token, call.https)));
}

void session(Service& service, const RouteCall& call, RouteDone done) {
  Reply error;
  const std::optional<PortalSession> s = current(service, call, &error);
  done(s ? session_reply(*service.engine().reference(), *s) : error);
}

void logout(Service& service, const RouteCall& call, RouteDone done) {
  service.portal_sessions().close(std::string(call.session));
  Reply r{200, "{}"};
  r.set_cookie = cookie("", call.https, true);
  done(std::move(r));
}

void password(Service& service, const RouteCall& call, RouteDone done) {
  Reply error;
  const std::optional<PortalSession> s = current(service, call, &error);
  if (!s) return done(error);
  Json body;
  if (Status st = strings(call.body, {"current", "new"}, &body); !st) return done(reply_for(st));
  Engine& engine = service.engine();
  if (!auth::check_portal_login(*engine.reference(), s->user, s->provider, body["current"].get<std::string>())) {
    return done(reply_for(Status::invalid("la contraseña actual no es correcta", "current")));
  }
  if (body["new"] == body["current"]) return done(reply_for(Status::invalid("la contraseña nueva debe ser otra", "new")));
  if (Status st = auth::set_portal_password(engine, s->user, body["new"].get<std::string>(), call.now); !st) {
    if (st.field() == "password") st = Status::invalid(st.message(), "new");
    return done(reply_for(st));
  }
  service.portal_sessions().close_user(s->user, std::string(call.session));  // other browsers sign in again
  done(session_reply(*engine.reference(), *s));
}

void provider(Service& service, const RouteCall& call, RouteDone done) {
  Reply error;
  std::optional<PortalSession> s = current(service, call, &error);
  if (!s) return done(error);
  Json body;
  if (Status st = strings(call.body, {"provider"}, &body); !st) return done(reply_for(st));
  const std::string id = body["provider"];
  const ReferencePtr ref = service.engine().reference();
  const fb::PortalUserT* u = ref->portal_user(s->user);
  if (!u || std::find(u->providers.begin(), u->providers.end(), id) == u->providers.end()) {
    return done(reply_for(Status::forbidden("el usuario no atiende en el prestador " + id)));
  }
  service.portal_sessions().set_provider(std::string(call.session), id);
  s->provider = id;
  done(session_reply(*ref, *s));
}

void profile(Service& service, const RouteCall& call, RouteDone done) {
  Reply error;
  const std::optional<PortalSession> s = current(service, call, &error);
  if (!s) return done(error);
  Json body;
  if (Status st = strings(call.body, {}, &body); !st) return done(reply_for(st));
  const std::string email = body.value("email", ""), phone = body.value("phone", "");
  if (Status st = auth::set_portal_profile(service.engine(), s->user, email, phone, call.now); !st) {
    return done(reply_for(st));
  }
  done(session_reply(*service.engine().reference(), *s));
}

// The same answer for every name, existing or not, with an e-mail or not.
void recovery(Service& service, const RouteCall& call, RouteDone done) {
  Json body;
  if (Status s = required(call.body, {{"user", "escribí tu usuario"}}, &body); !s) return done(reply_for(s));
  const std::string user = body["user"];
  if (const int64_t until = service.portal_sessions().request_recovery(user, call.now); until > 0) {
    Reply r = reply_for(Status::rate_limited("ya se pidieron varios códigos para este usuario: probá de nuevo en " +
                                             in_minutes(until - call.now.value)));
    r.retry_after_s = (until - call.now.value) / 1000 + 1;
    return done(std::move(r));
  }
  bool issued = false;
  if (Status s = auth::start_portal_recovery(service.engine(), user, call.now, &issued); !s) return done(reply_for(s));
  // The mail with the code. The code is recorded whatever happens here; the
  // next catch-up of the outbox mails it.
  if (issued) {
    if (Status s = service.outbox().catch_up(); !s) spdlog::warn("outbox catch-up failed: {}", s.to_string());
  }
  done(message_reply("si el usuario existe y tiene un correo electrónico registrado, te enviamos a ese correo un código de " +
                     std::to_string(auth::kRecoveryCodeDigits) + " dígitos que vence en " +
                     std::to_string(auth::kRecoveryValidMs / 60000) + " minutos"));
}

void recovery_confirm(Service& service, const RouteCall& call, RouteDone done) {
  Json body;
  if (Status s = required(call.body,
                          {{"user", "escribí tu usuario"},
                           {"code", "escribí el código que te llegó por correo"},
                           {"new_password", "escribí la contraseña nueva"}},
                          &body);
      !s) {
    return done(reply_for(s));
  }
  if (auto limited = service.over_auth_failures(call.address)) return done(std::move(*limited));  // the code unchecked
  const std::string user = body["user"];
  Status s = auth::finish_portal_recovery(service.engine(), user, body["code"].get<std::string>(),
                                          body["new_password"].get<std::string>(), call.now);
  if (!s) {
    if (s.field() == "code") service.auth_failures().failed(call.address);  // a wrong code is a failed authentication
    if (s.field() == "password") s = Status::invalid(s.message(), "new_password");
    return done(reply_for(s));
  }
  PortalSessions& sessions = service.portal_sessions();
  sessions.succeeded(user);   // a locked user may sign in at once
  sessions.close_user(user);  // every browser signs in again, with the new password
  done(message_reply("listo: tu contraseña se cambió; ingresá con la contraseña nueva"));
}

}  // namespace autoriza::portal_api
