#include "adapters/service/route_table.h"

#include <algorithm>
#include <cassert>

#include "adapters/affiliate_app/page.h"
#include "adapters/auditor/page.h"
#include "adapters/portal/page.h"
#include "adapters/codec/codec.h"
#include "adapters/service/account_session_api.h"
#include "adapters/service/admin_api.h"
#include "adapters/service/api_util.h"
#include "adapters/service/documents_api.h"
#include "adapters/service/handlers.h"
#include "adapters/service/portal_api.h"

#include "adapters/service/projection_api.h"
#include "adapters/service/query_api.h"

namespace autoriza {
namespace {

// A few handler shapes repeat: a synchronous Reply of (service, call).
template <Reply (*F)(Service&, const RouteCall&)>
void sync(Service& service, const RouteCall& call, RouteDone done) {
  done(F(service, call));
}

Reply portal_asset(Service&, const RouteCall& call) {
  const std::optional<StaticAsset> page = portal_page(call.target);
  if (!page) return error_reply(404, "NOT_FOUND", "no file " + std::string(call.target) + " in the providers' portal");
  return Reply{200, std::string(page->body), std::string(page->content_type)};
}

Reply affiliate_app_asset(Service&, const RouteCall& call) {
  const std::optional<StaticAsset> page = affiliate_app_page(call.target);
  if (!page) {
    return error_reply(404, "NOT_FOUND", "No existe el archivo " + std::string(call.target) + " en la app de afiliados");
  }
  return Reply{200, std::string(page->body), std::string(page->content_type)};
}

Reply auditor_asset(Service&, const RouteCall& call) {
  const std::optional<StaticAsset> page = auditor_page(call.target);
  assert(page.has_value());  // every /audit row names an asset of the page
  return Reply{200, std::string(page->body), std::string(page->content_type)};
}

void command(Service& service, const RouteCall& call, RouteDone done) {
  const std::string_view path = call.target.substr(0, call.target.find('?'));
  const Caller caller{{}, &call.principal, true};
  service.post(caller, path.substr(path.rfind('/') + 1), call.body, call.now, std::move(done));
}

void card(Service& service, const RouteCall& call, RouteDone done, const char* format) {
  get_card_route(service, call.params[0], format, call.now, std::move(done));
}

void token_sheet(Service& service, const RouteCall& call, RouteDone done, bool pdf) {
  account_api::get_token_sheet(service, call.params[0], query_param(call.target, "request_id"), pdf, call.now,
                               std::move(done));
}

void account(Service& service, const RouteCall& call, RouteDone done, const char* route) {
  account_api::post_account(service, route, call.body, call.now, std::string(call.address), std::move(done));
}

constexpr uint8_t kReaders = kByAuditor | kByAnalyst;

// The provider a provider's key is limited to; empty for every other role.
std::string own_provider(const RouteCall& call) {
  return call.principal.role == auth::Role::kProvider ? call.principal.provider : std::string();
}
constexpr std::string_view kHtml = "text/html; charset=utf-8";

const RouteRow kRows[] = {
    // Health, documents and pages.
    {"GET", "/healthz", kOpen, RouteScope::kNone,
     sync<[](Service& s, const RouteCall&) { return s.health(); }>, "Whether the node is up; partitions and queue depth",
     {.answer = "Health"}},
    {"GET", "/openapi.json", kOpen, RouteScope::kNone,
     sync<[](Service&, const RouteCall&) { return Reply{200, openapi_document()}; }>,
     "This document: every route of the HTTP API (OpenAPI 3.1)"},
    {"GET", "/favicon.ico", kOpen, RouteScope::kNone,
     sync<[](Service&, const RouteCall&) { return Reply{204, "", "image/x-icon"}; }>,
     "No icon: an empty answer keeps browsers' consoles clean", {.types = ""}},
    {"GET", "/metrics", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall&) {
       return Reply{200, s.metrics_page(), "text/plain; version=0.0.4; charset=utf-8"};
     }>,
     "Prometheus metrics (ops/observability.md)", {.types = "text/plain"}},
    {"GET", "/audit", kOpen, RouteScope::kNone, sync<auditor_asset>, "The auditors' page", {.types = kHtml}},
    {"GET", "/audit/", kOpen, RouteScope::kNone, sync<auditor_asset>, "The auditors' page", {.types = kHtml}},
    {"GET", "/audit/index.html", kOpen, RouteScope::kNone, sync<auditor_asset>, "The auditors' page",
     {.types = kHtml}},
    {"GET", "/audit/app.js", kOpen, RouteScope::kNone, sync<auditor_asset>, "The auditors' page's script",
     {.types = "application/javascript"}},
    {"GET", "/audit/app.css", kOpen, RouteScope::kNone, sync<auditor_asset>, "The auditors' page's style sheet",
     {.types = "text/css"}},
    {"GET", "/prestadores", kOpen, RouteScope::kNone, sync<portal_asset>, "The providers' portal", {.types = kHtml}},
    {"GET", "/prestadores/", kOpen, RouteScope::kNone, sync<portal_asset>, "The providers' portal", {.types = kHtml}},
    {"GET", "/prestadores/{file}", kOpen, RouteScope::kNone, sync<portal_asset>,
     "A file of the providers' portal (script, style sheet, icons)",
     {.types = "text/html,application/javascript,text/css,image/svg+xml"}},
    {"GET", "/afiliados", kOpen, RouteScope::kNone, sync<affiliate_app_asset>, "The affiliates' app", {.types = kHtml}},
    {"GET", "/afiliados/", kOpen, RouteScope::kNone, sync<affiliate_app_asset>, "The affiliates' app",
     {.types = kHtml}},
    {"GET", "/afiliados/{file}", kOpen, RouteScope::kNone, sync<affiliate_app_asset>,
     "A file of the affiliates' app (script, style sheet, manifest, service worker, icons, the shared card's page)",
     {.types = "text/html,application/javascript,text/css,application/manifest+json,image/svg+xml,image/png"}},

    // Commands (docs/rules.md). Provider ids and family groups are checked
    // on the decoded command (auth::permit_command).
    {"POST", "/v1/eligibility", kByProvider, RouteScope::kNone, command, "Is the affiliate eligible today?",
     {.request = "EligibilityRequest", .answer = "CommandAnswer"}},
    {"POST", "/v1/authorize", kByProvider, RouteScope::kNone, command,
     "Validate, authorize or send to audit an order of practices",
     {.request = "AuthorizeRequest", .answer = "CommandAnswer"}},
    {"POST", "/v1/consume", kByProvider, RouteScope::kNone, command, "Consume items of an authorized order",
     {.request = "ConsumeRequest", .answer = "CommandAnswer"}},
    {"POST", "/v1/annul", kByProvider, RouteScope::kNone, command, "Annul an order, consumption or audit request",
     {.request = "AnnulRequest", .answer = "CommandAnswer"}},
    {"POST", "/v1/audit_verdict", kByAuditor, RouteScope::kNone, command, "An auditor's verdict on an audit request",
     {.request = "AuditVerdictRequest", .answer = "CommandAnswer"}},
    {"POST", "/v1/audit_answer", kByProvider, RouteScope::kNone, command,
     "The provider's answer to a request for documents: the audit request returns to the auditor",
     {.request = "AuditAnswerRequest", .answer = "CommandAnswer"}},
    {"POST", "/v1/token_issue", kByAffiliate, RouteScope::kNone, command,
     "Issue a dynamic token or a month of pre-printed tokens",
     {.request = "TokenIssueRequest", .answer = "CommandAnswer"}},

    // Transactions, practices, the read side.
    {"GET", "/v1/transactions/{id}", kByProvider | kReaders, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return s.get_transaction(c.principal, c.params[0]); }>,
     "The whole recorded transaction: command, answer, current order, consumption or audit request",
     {.answer = "Transaction"}},
    {"GET", "/v1/transactions/{id}/comprobante.html", kByProvider | kReaders, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return s.get_comprobante(c.principal, c.params[0], "html"); }>,
     "The printable comprobante of an order, audit request, consumption or annulment (print view)",
     {.types = kHtml}},
    {"GET", "/v1/transactions/{id}/comprobante.pdf", kByProvider | kReaders, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return s.get_comprobante(c.principal, c.params[0], "pdf"); }>,
     "The comprobante of an order, audit request, consumption or annulment as PDF", {.types = "application/pdf"}},
    {"GET", "/v1/practices", kByAnyRole, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return search_practices(s.engine(), c.target); }>,
     "Practice search by code or words, accent- and case-insensitive; ?provider= keeps what it may perform",
     {.query = "q,provider,after,limit"}},
    {"GET", "/v1/diagnoses", kByAnyRole, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return search_diagnoses(s.engine(), c.target); }>,
     "The CIE-10 catalog by code or words, accent- and case-insensitive", {.query = "q,limit"}},
    {"GET", "/v1/prescribers/{kind}/{license}", kByAnyRole, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return get_prescriber(s.engine(), c.params[0], c.params[1]); }>,
     "A prescriber by kind (MD, OD) and licence: the name to show"},
    {"GET", "/v1/providers/{provider}/register", kByProvider | kByAnalyst, RouteScope::kOwnProvider,
     sync<[](Service& s, const RouteCall& c) {
       return projection_api::provider_reply(s.engine(), s.projections(), c.params[0], "", c.target);
     }>,
     "A provider's register of transactions, paged",
     {.query = "from,to,annulled,transaction,credential,order_by,order,format,after,limit",
      .types = "application/json,text/csv,text/html,application/pdf,text/plain"}},
    {"GET", "/v1/providers/{provider}/billing/{month}", kByProvider | kByAnalyst, RouteScope::kOwnProvider,
     sync<[](Service& s, const RouteCall& c) {
       return projection_api::provider_reply(s.engine(), s.projections(), c.params[0], c.params[1], c.target);
     }>,
     "A provider's billing of a month: consumed, non-annulled items and totals",
     {.query = "format", .types = "application/json,text/csv,text/html,application/pdf,text/plain"}},
    {"POST", "/v1/providers/{provider}/billing/{month}/close", kByProvider, RouteScope::kOwnProvider,
     sync<[](Service& s, const RouteCall& c) {
       return close_billing_period(s.engine(), c.params[0], c.params[1], c.now);
     }>,
     "Close a provider's billing month (no later consumption is billed in it)"},
    {"GET", "/v1/audits", kByProvider | kReaders, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) {
       return projection_api::audits_reply(s.projections(), c.target, own_provider(c));
     }>,
     "The audit queue, paged (a provider's key: its own requests only)",
     {.query = "status,provider,from,to,after,limit"}},
    {"GET", "/v1/audits/{sap}", kByProvider | kReaders, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) {
       return projection_api::audit_reply(s.projections(), c.params[0], own_provider(c));
     }>,
     "One audit request with its items and verdicts (a provider's key: its own only)"},
    {"GET", "/v1/projections", kByAnalyst, RouteScope::kNone,
     sync<[](Service& s, const RouteCall&) { return projection_api::positions_reply(s.projections()); }>,
     "Each projection's position and lag"},

    // Documents attached to audit requests, consumptions and answers to the
    // auditor (documents_api.h): the upload is the one body over kBodyMaxBytes.
    {"POST", "/v1/documents", kByProvider, RouteScope::kNone, sync<documents_api::upload>,
     "Upload a document (PDF, JPEG or PNG, at most 8 MB): the body is the file, Content-Type its type; "
     "the answer names it by its SHA-256",
     {.query = "name", .answer = "Document", .request_types = "application/pdf,image/jpeg,image/png", .created = true},
     documents_api::kDocumentBodyMaxBytes, documents_api::kTooLarge},
    {"GET", "/v1/documents/{hash}", kByProvider | kByAuditor, RouteScope::kNone, sync<documents_api::download>,
     "A document's bytes (a provider's key or session: the documents it uploaded only)",
     {.types = "application/pdf,image/jpeg,image/png"}},

    // The affiliates' app.
    {"GET", "/v1/affiliates/{credential}/history", kByAffiliate | kByAnalyst, RouteScope::kOwnFamily,
     sync<[](Service& s, const RouteCall& c) {
       return projection_api::history_reply(s.engine(), s.projections(), c.params[0], c.target);
     }>,
     "Orders, consumptions and token uses (a titular's include the family group)", {.query = "family,after,limit"}},
    {"GET", "/v1/affiliates/{credential}/card", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { card(s, c, std::move(d), "json"); },
     "The digital credential with its rotating code and signed QR", {.answer = "Card"}},
    {"GET", "/v1/affiliates/{credential}/card.json", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { card(s, c, std::move(d), "json"); },
     "The digital credential (JSON)", {.answer = "Card"}},
    {"GET", "/v1/affiliates/{credential}/card.svg", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { card(s, c, std::move(d), "svg"); },
     "The digital credential's QR as SVG", {.types = "image/svg+xml"}},
    {"GET", "/v1/affiliates/{credential}/card.png", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { card(s, c, std::move(d), "png"); },
     "The digital credential's QR as PNG", {.types = "image/png"}},
    {"GET", "/v1/affiliates/{credential}/card.html", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { card(s, c, std::move(d), "html"); },
     "The digital credential as a page", {.types = kHtml}},
    {"GET", "/v1/affiliates/{credential}/cards", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { get_family_cards_route(s, c.params[0], c.now, std::move(d)); },
     "The cards of a titular's family group"},
    {"GET", "/v1/affiliates/{credential}/tokens.html", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { token_sheet(s, c, std::move(d), false); },
     "The printable sheet of a month's pre-printed tokens", {.query = "request_id", .types = kHtml}},
    {"GET", "/v1/affiliates/{credential}/tokens.pdf", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) { token_sheet(s, c, std::move(d), true); },
     "The sheet of a month's pre-printed tokens as PDF", {.query = "request_id", .types = "application/pdf"}},
    {"POST", "/v1/affiliates/{credential}/shares", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) {
       account_api::post_share(s, c.params[0], {}, c.body, c.now, std::move(d));
     },
     "Share the card with one DNI for 24 hours: answers the link and the absolute url of the page that opens it",
     {.request = "ShareRequest"}},
    {"GET", "/v1/affiliates/{credential}/shares", kByAffiliate, RouteScope::kOwnFamily,
     sync<[](Service& s, const RouteCall& c) { return account_api::list_shares(s, c.params[0], c.now); }>,
     "The card's shares still open (neither expired nor revoked), oldest first", {.answer = "ShareList"}},
    {"POST", "/v1/affiliates/{credential}/shares/{link}/revoke", kByAffiliate, RouteScope::kOwnFamily,
     [](Service& s, const RouteCall& c, RouteDone d) {
       account_api::post_share(s, c.params[0], c.params[1], c.body, c.now, std::move(d));
     },
     "Revoke a share: {link} is the link or the id GET .../shares lists", {.request = "RevokeRequest"}},
    {"GET", "/v1/shares/{link}", kOpen, RouteScope::kNone,
     [](Service& s, const RouteCall& c, RouteDone d) {
       account_api::get_share(s, c.params[0], query_param(c.target, "dni"), c.now, std::move(d));
     },
     "Open a shared card: the link and the DNI it was shared with are the credential", {.query = "dni"}},
    {"GET", "/v1/insurer", kOpen, RouteScope::kNone,
     sync<[](Service& s, const RouteCall&) { return insurer_route(s, false); }>,
     "Who the insurer is for its affiliates: name, card notice, phones, addresses, e-mails, web", {.answer = "Insurer"}},
    {"GET", "/v1/insurer/logo.svg", kOpen, RouteScope::kNone,
     sync<[](Service& s, const RouteCall&) { return insurer_route(s, true); }>, "The insurer's logo",
     {.types = "image/svg+xml"}},
    {"POST", "/v1/credentials/verify", kByProvider, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return verify_card_route(s, c.body, c.now); }>,
     "Is a scanned card genuine, current and of an active affiliate?", {.request = "VerifyRequest"}},
    {"POST", "/v1/registrations", kOpen | kNoSession, RouteScope::kNone,
     [](Service& s, const RouteCall& c, RouteDone d) { account(s, c, std::move(d), "register"); },
     "Register an affiliate (the code goes to the family's titular)", {.request = "RegistrationRequest"}},
    {"POST", "/v1/registrations/confirm", kOpen | kNoSession, RouteScope::kNone,
     [](Service& s, const RouteCall& c, RouteDone d) { account(s, c, std::move(d), "confirm"); },
     "Confirm a registration with the mailed code", {.request = "RegistrationConfirmRequest"}},
    {"POST", "/v1/password_recovery", kOpen | kNoSession, RouteScope::kNone,
     [](Service& s, const RouteCall& c, RouteDone d) { account(s, c, std::move(d), "recovery"); },
     "Ask for a password recovery code", {.request = "RecoveryRequest"}},
    {"POST", "/v1/password_recovery/confirm", kOpen | kNoSession, RouteScope::kNone,
     [](Service& s, const RouteCall& c, RouteDone d) { account(s, c, std::move(d), "recovery_confirm"); },
     "Set a new password with the mailed code", {.request = "RecoveryConfirmRequest"}},

    // The affiliates' sessions (account_session_api.h). Open rows: each
    // handler checks the session itself.
    {"POST", "/v1/account/login", kOpen | kNoSession, RouteScope::kNone, account_session_api::login,
     "An affiliate signs in with DNI or CUIL and password (every try is an event; 5 failures in 15 minutes lock the "
     "account 15 minutes); sets the session cookie",
     {.request = "AccountLogin", .answer = "AccountSession", .limited = true}},
    {"GET", "/v1/account/session", kOpen, RouteScope::kNone, account_session_api::session,
     "The affiliate's session of the cookie", {.answer = "AccountSession"}},
    {"POST", "/v1/account/logout", kOpen, RouteScope::kNone, account_session_api::logout,
     "Sign out: the session ends (everywhere: every session of the account)"},
    // The providers' portal's sessions (portal_api.h). Open rows: each
    // handler checks the session itself.
    {"POST", "/v1/portal/login", kOpen | kNoSession, RouteScope::kNone, portal_api::login,
     "Sign in to the providers' portal: user, place of attention (provider) and password; sets the session cookie",
     {.request = "PortalLogin", .answer = "PortalSession", .limited = true}},
    {"POST", "/v1/portal/recovery", kOpen | kNoSession, RouteScope::kNone, portal_api::recovery,
     "Forgotten password: mails a 6-digit code, good for 15 minutes, to the user's e-mail; the same answer "
     "whether or not the user exists; at most 3 codes a user an hour",
     {.request = "PortalRecovery", .answer = "PortalMessage", .limited = true}},
    {"POST", "/v1/portal/recovery/confirm", kOpen | kNoSession, RouteScope::kNone, portal_api::recovery_confirm,
     "Forgotten password: the mailed code and a new password (5 wrong codes void it); unlocks a locked-out user",
     {.request = "PortalRecoveryConfirm", .answer = "PortalMessage"}},
    {"GET", "/v1/portal/session", kOpen, RouteScope::kNone, portal_api::session, "The portal session of the cookie",
     {.answer = "PortalSession"}},
    {"POST", "/v1/portal/logout", kOpen, RouteScope::kNone, portal_api::logout, "Sign out: the session ends"},
    {"POST", "/v1/portal/password", kOpen, RouteScope::kNone, portal_api::password,
     "Change the session user's password (the initial one must be changed first)",
     {.request = "PortalPassword", .answer = "PortalSession"}},
    {"POST", "/v1/portal/provider", kOpen, RouteScope::kNone, portal_api::provider,
     "Cambiar Prestador: act for another of the user's providers", {.request = "PortalProvider", .answer = "PortalSession"}},
    {"POST", "/v1/portal/profile", kOpen, RouteScope::kNone, portal_api::profile,
     "Update the session user's e-mail and phone", {.request = "PortalProfile", .answer = "PortalSession"}},
    {"POST", "/v1/account/password", kByAffiliate, RouteScope::kNone, account_session_api::change_password,
     "Change the session's password under the current one (an event; a wrong one counts towards the lockout); "
     "the account's other sessions end", {.request = "AccountPassword", .answer = "AccountChange"}},
    {"POST", "/v1/account/email", kByAffiliate, RouteScope::kNone, account_session_api::change_email,
     "Change the session's account e-mail (where recovery codes go) under the current password",
     {.request = "AccountEmail", .answer = "AccountChange"}},

    // Ops.
    {"POST", "/v1/admin/backup", kOpsOnly, RouteScope::kNone,
     [](Service& s, const RouteCall& c, RouteDone d) { admin_api::backup(s, c.body, std::move(d)); },
     "A consistent backup of the served store into a new folder of the server (engine/backup.h; ops/README.md)",
     {.request = "BackupRequest", .answer = "BackupAnswer"}},
    {"GET", "/v1/admin/keys", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall&) { return admin_api::list_keys(s.engine()); }>, "Every API key (never the key)"},
    {"POST", "/v1/admin/keys", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return admin_api::add_key(s.engine(), c.body, c.now); }>,
     "Make an API key (shown once)", {.request = "KeyRequest"}},
    {"POST", "/v1/admin/keys/{key}/revoke", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return admin_api::revoke_keys(s.engine(), c.params[0], c.now); }>,
     "Revoke a key by id, or every key of a principal"},
    {"GET", "/v1/admin/users", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return admin_api::list_users(s, c.now); }>,
     "Every user of the providers' portal (never a password hash)", {.answer = "PortalUserList"}},
    {"POST", "/v1/admin/users", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return admin_api::add_user(s, c.body, c.now); }>,
     "Create or replace a portal user; its initial password must be changed at the first sign-in (shown once "
     "when generated)",
     {.request = "PortalUserRequest", .answer = "PortalUser"}},
    {"POST", "/v1/admin/users/{user}/disable", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return admin_api::disable_user(s, c.params[0], c.now); }>,
     "Disable a portal user: it can no longer sign in; its sessions end", {.answer = "PortalUser"}},
    {"POST", "/v1/admin/users/{user}/reset-password", kOpsOnly, RouteScope::kNone,
     sync<[](Service& s, const RouteCall& c) { return admin_api::reset_user_password(s, c.params[0], c.now); }>,
     "A new random initial password for a portal user (shown once; must be changed at the first sign-in)",
     {.answer = "PortalUser"}},
};

// Whether path matches pattern; fills params with the {name} segments.
bool matches(std::string_view pattern, std::string_view path, std::vector<std::string>* params) {
  params->clear();
  while (!pattern.empty() && !path.empty()) {
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1), path.remove_prefix(1);
    const std::string_view want = pattern.substr(0, pattern.find('/'));
    const std::string_view got = path.substr(0, path.find('/'));
    if (want.starts_with('{')) {
      if (got.empty()) return false;
      params->emplace_back(got);
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(want.size()), path.remove_prefix(got.size());
  }
  return pattern.empty() && path.empty();
}

uint8_t role_bit(auth::Role role) {
  switch (role) {
    case auth::Role::kProvider: return kByProvider;
    case auth::Role::kAuditor: return kByAuditor;
    case auth::Role::kAffiliate: return kByAffiliate;
    case auth::Role::kAnalyst: return kByAnalyst;
    case auth::Role::kOps: return kByAnyRole;
  }
  return 0;
}

}  // namespace

std::span<const RouteRow> route_table() { return kRows; }

std::string body_over_message(const RouteRow* row) {
  if (row && !row->body_over.empty()) return std::string(row->body_over);
  return "body over " + std::to_string(body_max_bytes(row)) + " bytes";
}

size_t route_body_max_bytes() {
  static const size_t max = [] {
    size_t bytes = kBodyMaxBytes;
    for (const RouteRow& row : kRows) bytes = std::max(bytes, row.body_max_bytes);
    return bytes;
  }();
  return max;
}

RouteMatch match_route(std::string_view method, std::string_view path) {
  const std::string_view as = method == "HEAD" ? "GET" : method;
  RouteMatch out;
  std::vector<std::string> params;
  for (const RouteRow& row : kRows) {
    if (!matches(row.pattern, path, &params)) continue;
    if (row.method == as) {
      out.row = &row;
      out.params = std::move(params);
      out.allow.clear();
      return out;
    }
    if (!out.allow.empty()) out.allow += ", ";
    out.allow += row.method == "GET" ? "GET, HEAD" : std::string(row.method);
  }
  return out;
}

Status permit_route(const auth::Principal& p, const RouteRow& row, const std::vector<std::string>& params,
                    const Reference& reference) {
  if (p.role == auth::Role::kOps || (row.access & kOpen)) return Status::ok();
  const std::string what = std::string(row.method) + " " + std::string(row.pattern);
  if (!(row.access & role_bit(p.role))) return auth::forbidden(p, what);
  assert(row.scope == RouteScope::kNone || !params.empty());
  if (row.scope == RouteScope::kOwnProvider && p.role == auth::Role::kProvider && p.provider != params[0]) {
    return auth::forbidden(p, "act for provider " + params[0]);
  }
  if (row.scope == RouteScope::kOwnFamily && p.role == auth::Role::kAffiliate &&
      !auth::in_family(p, params[0], reference)) {
    return auth::forbidden(p, "act for credential " + params[0] + " (another family group)");
  }
  return Status::ok();
}

}  // namespace autoriza
