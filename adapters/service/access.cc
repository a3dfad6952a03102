// The service's doors: authentication, rate limits and per-request
// permissions (roles in adapters/auth/auth.h) in front of the routes.
#include <cassert>

#include "adapters/codec/codec.h"
#include "adapters/print/comprobante.h"
#include "adapters/service/command_trace.h"  // command_provider
#include "adapters/service/route_table.h"
#include "adapters/service/service.h"

namespace autoriza {

namespace {

const auth::Principal kAnonymous{"anonymous", auth::Role::kAnalyst, {}, {}, {}};
const auth::Principal kInternal{"internal", auth::Role::kOps, {}, {}, {}};
const auth::Principal kUnauthenticatedOps{"no-auth", auth::Role::kOps, {}, {}, {}};

}  // namespace

const auth::Principal& Service::internal_principal() { return kInternal; }

void Service::set_access(const AccessOptions& options) {
  access_ = options;
  limiter_ = std::make_unique<auth::RateLimiter>(options.rate_per_s, options.rate_burst);
  auth_failures_.configure(options.auth_failures_max, std::chrono::seconds(options.auth_failures_window_s));
}

Status Service::check_auth_failures(std::string_view address, int64_t* retry_after_s) {
  int64_t retry = 0;
  if (!auth_failures_.limited(address, &retry)) return Status::ok();
  if (retry_after_s) *retry_after_s = retry;
  return Status::rate_limited(auth::FailureLimiter::message(retry));
}

std::optional<Reply> Service::over_auth_failures(std::string_view address) {
  int64_t retry_after_s = 0;
  const Status s = check_auth_failures(address, &retry_after_s);
  if (s) return std::nullopt;
  Reply r = reply_for(s);
  r.retry_after_s = retry_after_s;
  return r;
}

Status Service::admit_session(const Caller& caller, bool open_route, std::string_view method, Millis now,
                              auth::Principal* out) {
  const std::optional<PortalSession> session = portal_sessions_.touch(std::string(caller.session), now);
  if (!session) {
    if (open_route) return Status::ok();  // an expired cookie on an open page: anonymous
    return Status::unauthenticated("la sesión expiró o no existe: ingresá de nuevo");
  }
  if (method != "GET" && method != "HEAD" && caller.csrf != session->csrf) {
    return Status::forbidden("falta el código de seguridad de la sesión (X-CSRF-Token): recargá la página");
  }
  const fb::PortalUserT* user = engine_.reference()->portal_user(session->user);
  if (!user || user->disabled) {
    portal_sessions_.close(std::string(caller.session));
    return Status::unauthenticated("el usuario ya no puede ingresar");
  }
  if (user->must_change_password && !open_route) {
    return Status::forbidden("antes de seguir, cambiá la contraseña inicial");
  }
  *out = auth::Principal{"portal:" + session->user, auth::Role::kProvider, session->provider, {}, "session"};
  return Status::ok();
}

Status Service::admit_account_session(const Caller& caller, bool open_route, std::string_view method, Millis now,
                                      auth::Principal* out) {
  const std::optional<PortalSession> session = account_sessions_.touch(std::string(caller.account_session), now);
  if (!session) {
    if (open_route) return Status::ok();
    return Status::unauthenticated("la sesión expiró o no existe: ingresá de nuevo");
  }
  if (method != "GET" && method != "HEAD" && caller.csrf != session->csrf) {
    return Status::forbidden("falta el código de seguridad de la sesión (X-CSRF-Token): recargá la página");
  }
  // The affiliate acts for itself (and, a titular, for its family group).
  *out = auth::Principal{"afiliado:" + session->provider, auth::Role::kAffiliate, {}, session->provider, "session"};
  return Status::ok();
}

Status Service::authenticate(const Caller& caller, bool open_route, std::string_view method, Millis now,
                             auth::Principal* out, bool* limited, int64_t* retry_after_s) {
  assert(out != nullptr && limited != nullptr);
  *limited = false;
  if (caller.principal) {
    *out = *caller.principal;
  } else if (!caller.api_key.empty()) {
    if (Status s = check_auth_failures(caller.address, retry_after_s); !s) return s;
    if (Status s = auth::authenticate_key(*engine_.reference(), caller.api_key, out); !s) {
      auth_failures_.failed(caller.address);
      return s;
    }
  } else if (!caller.session.empty()) {
    *out = kAnonymous;
    if (Status s = admit_session(caller, open_route, method, now, out); !s) return s;
    if (out->name == kAnonymous.name) return Status::ok();
  } else if (!caller.account_session.empty()) {
    *out = kAnonymous;
    if (Status s = admit_account_session(caller, open_route, method, now, out); !s) return s;
    if (out->name == kAnonymous.name) return Status::ok();
  } else if (!access_.authentication) {
    *out = kUnauthenticatedOps;
  } else if (open_route) {
    *out = kAnonymous;
    return Status::ok();  // open routes are not rate limited per principal
  } else {
    return Status::unauthenticated("ingresá de nuevo: no hay una sesión abierta (las apps envían su clave: Authorization: Bearer KEY)");
  }
  *limited = !(out->name == kInternal.name && caller.principal == &kInternal);
  return Status::ok();
}

Status Service::admit(const Caller& caller, bool open_route, std::string_view method, Millis now,
                      auth::Principal* out, int64_t* retry_after_s) {
  bool limited = false;
  if (Status s = authenticate(caller, open_route, method, now, out, &limited, retry_after_s); !s || !limited) return s;
  if (!limiter_->admit(out->name, retry_after_s)) {
    return Status::rate_limited(out->name + " is over its rate of " + std::to_string(int64_t(access_.rate_per_s)) +
                                " requests/s; retry after " + std::to_string(*retry_after_s) + " s");
  }
  return Status::ok();
}

Status Service::admit_header(const Caller& caller, std::string_view method, std::string_view target, Millis now) {
  const std::string_view path = target.substr(0, target.find('?'));
  const RouteMatch match = match_route(method, path);
  if (!match.row) return Status::not_found("no resource at " + std::string(path));
  Caller who = caller;
  if (match.row->access & kNoSession) who.session = who.account_session = {};
  auth::Principal principal;
  bool limited = false;
  if (Status s = authenticate(who, match.row->access & kOpen, method, now, &principal, &limited, nullptr); !s) {
    return s;
  }
  return permit_route(principal, *match.row, match.params, *engine_.reference());
}

void Service::request(const Caller& caller, std::string_view method, std::string_view target, std::string_view body,
                      Millis now, std::function<void(Reply)> done) {
  const std::string_view path = target.substr(0, target.find('?'));
  RouteMatch match = match_route(method, path);
  if (!match.row) {
    if (!match.allow.empty()) {
      return done(error_reply(405, "METHOD_NOT_ALLOWED", std::string(method) + " not allowed on " + std::string(path)));
    }
    if (method == "POST" && path.starts_with("/v1/") && path.find('/', 4) == std::string_view::npos) {
      // An unknown command is bad input, as every command's (docs/rules.md).
      return done(error_reply(400, "INVALID_REQUEST", "unknown command '" + std::string(path.substr(4)) + "'", "command"));
    }
    return done(error_reply(404, "NOT_FOUND", "no resource at " + std::string(path)));
  }
  const RouteRow& row = *match.row;
  auth::Principal principal;
  int64_t retry_after_s = 0;
  Caller who = caller;
  if (row.access & kNoSession) who.session = who.account_session = {};
  Status s = admit(who, row.access & kOpen, method, now, &principal, &retry_after_s);
  if (s) s = permit_route(principal, row, match.params, *engine_.reference());
  if (!s) {
    Reply r = reply_for(s);
    r.retry_after_s = retry_after_s;
    return done(std::move(r));
  }
  if (body.size() > row.body_max_bytes) return done(error_reply(400, "INVALID_REQUEST", body_over_message(&row)));
  const RouteCall call{principal,   method,    target,           std::move(match.params), body,
                       now,         who.session, who.https, who.content_type,     who.account_session,
                       who.address};
  row.handler(*this, call, std::move(done));
}

namespace {

// Whose transaction it is: its command's provider; a verdict names none, it
// is the provider's of the SAP it decides (and of the order it issued).
std::string_view maker_of(const TransactionView& view) {
  if (view.sap && view.event.command.AsAuditVerdictCmd()) return view.sap->provider;
  return command_provider(view.event.command);
}

}  // namespace

Reply Service::get_transaction(const auth::Principal& principal, std::string_view id) {
  TransactionView view;
  Status s = engine_.transaction(id, &view);
  if (!s) return reply_for(s);
  if (principal.role == auth::Role::kProvider && maker_of(view) != principal.provider) {
    // Answer as if unknown: a provider learns nothing of others' transactions.
    return reply_for(Status::not_found("no transaction " + std::string(id)));
  }
  return Reply{200, encode_transaction(view).dump()};
}

Reply Service::get_comprobante(const auth::Principal& principal, std::string_view id, std::string_view format) {
  assert(format == "html" || format == "pdf");
  TransactionView view;
  Status s = engine_.transaction(id, &view);
  if (!s) return reply_for(s);
  if (principal.role == auth::Role::kProvider && maker_of(view) != principal.provider) {
    return reply_for(Status::not_found("no transaction " + std::string(id)));  // as get_transaction
  }
  std::unique_ptr<TransactionView> target;  // what an annulment names
  if (const fb::AnnulCmdT* annul = view.event.command.AsAnnulCmd()) {
    target = std::make_unique<TransactionView>();
    if (!engine_.transaction(annul->transaction, target.get())) target.reset();
  }
  print::Comprobante c;
  if (s = print::comprobante_of(view, target.get(), *engine_.reference(), &c); !s) return reply_for(s);
  if (format == "html") return Reply{200, print::comprobante_html(c), "text/html; charset=utf-8"};
  std::string pdf = print::comprobante_pdf(c);
  if (pdf.empty()) return error_reply(500, "INTERNAL", "the comprobante's PDF could not be drawn");
  return Reply{200, std::move(pdf), "application/pdf"};
}

}  // namespace autoriza
