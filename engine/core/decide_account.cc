// Registration, password recovery and card sharing (OSSEG, docs/rules.md §12-13).
// Codes are drawn by the adapter and arrive sealed; state keeps only their
// keyed hash. A code is good for 15 minutes and 5 tries.
#include <algorithm>

#include "engine/core/decide_internal.h"
#include "engine/core/secrets.h"

namespace autoriza {

namespace {

constexpr int64_t kCodeValidMs = 15 * 60 * 1000;
constexpr int kCodeTriesMax = 5;

std::string code_context(const std::string& document) { return "code:" + document; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

Decision refused(Decision d, const std::string& message) {
  d.event.result->status = fb::Status::REJECTED;
  d.event.result->message = message;
  return d;
}

// Opens a sealed code from the command and hashes it for storage/comparison.
Status code_hash(const DecideContext& ctx, const std::string& document, const std::vector<uint8_t>& sealed,
                 uint8_t key_id, std::string* hash) {
  if (!ctx.keys || ctx.keys->empty()) return Status::unavailable("accounts need master keys (AUTORIZA_SECRET_KEYS)");
  std::string code;
  Status s = open(*ctx.keys, std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()),
                  code_context(document), &code);
  if (!s) return Status::invalid("the code could not be read", "code");
  *hash = keyed_hash_with(*ctx.keys, key_id, code_context(document), code);
  wipe(&code);
  return Status::ok();
}

void set_code(const DecideContext& ctx, Decision& d, const std::string& document, const std::vector<uint8_t>& sealed) {
  std::string hash;
  d.status = code_hash(ctx, document, sealed, ctx.keys ? ctx.keys->current_id() : 0, &hash);
  if (!d.status) return;
  auto th = std::make_unique<fb::TokenHashT>();
  th->hash.assign(hash.begin(), hash.end());
  th->key_id = ctx.keys->current_id();
  d.event.token_hashes.push_back(std::move(th));
}

// Checks a typed code against the account's pending one; a wrong code is a
// failed try (recorded so that tries are counted on replay too).
Decision check_code(const DecideContext& ctx, Decision d, const fb::AccountStateT& account,
                    const std::vector<uint8_t>& sealed) {
  if (account.code_hash.empty()) return refused(std::move(d), "No hay un código pendiente");
  if (account.code_tries >= kCodeTriesMax) return refused(std::move(d), "Demasiados intentos: solicite un código nuevo");
  if (ctx.now.value - account.code_issued_ms > kCodeValidMs) return refused(std::move(d), "Código vencido: solicite uno nuevo");
  std::string hash;
  if (!ctx.keys || !ctx.keys->has(account.code_key_id)) return refused(std::move(d), "Código vencido: solicite uno nuevo");
  d.status = code_hash(ctx, account.document, sealed, account.code_key_id, &hash);
  if (!d.status) return d;
  if (!equal_constant_time(hash, std::string_view(reinterpret_cast<const char*>(account.code_hash.data()), account.code_hash.size()))) {
    d.event.token_use = std::make_unique<fb::TokenUseT>();
    d.event.token_use->outcome = fb::TokenOutcome::FAILED;
    return refused(std::move(d), "Código incorrecto");
  }
  return d;  // accepted: the caller sets the status
}

Decision decide_register(const DecideContext& ctx, const fb::RegisterCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::REGISTRATION_STARTED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  const fb::AffiliateT* a = ctx.reference.affiliate_by_document(cmd.document);
  if (!a || a->birth_day != cmd.birth_day) return refused(std::move(d), "Los datos no coinciden con el padrón");
  if (a->status != fb::AffiliateStatus::ACTIVE) {
    return refused(std::move(d), "La credencial no está activa: consulte con la obra social");
  }
  const fb::AffiliateT* titular = ctx.reference.affiliate(a->titular);
  if (!titular || lower(titular->email) != lower(cmd.email)) {
    return refused(std::move(d), "El email no coincide con el del titular del grupo familiar");
  }
  const fb::AccountStateT* account = ctx.state.account(cmd.document);
  if (account && account->status == fb::Status::REGISTERED) {
    return refused(std::move(d), "Ya registrado: use la recuperación de clave");
  }
  d.event.credential = a->credential;
  d.event.result->affiliate = affiliate_view(*a, ctx.now);  // whom the titular's mail names
  set_code(ctx, d, cmd.document, cmd.sealed_code);
  d.event.result->status = fb::Status::VERIFICATION_SENT;
  d.event.result->message = "Le enviamos un código de verificación al correo del titular del grupo familiar";
  return d;
}

Decision decide_confirm(const DecideContext& ctx, const fb::RegisterConfirmCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::REGISTRATION_CONFIRMED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  const fb::AccountStateT* account = ctx.state.account(cmd.document);
  if (!account || account->status != fb::Status::VERIFICATION_SENT) return refused(std::move(d), "No hay un registro pendiente");
  d = check_code(ctx, std::move(d), *account, cmd.sealed_code);
  if (d.status && d.event.result->status == fb::Status::NONE) {
    d.event.result->status = fb::Status::REGISTERED;
    d.event.result->message = "Registro confirmado";
  }
  return d;
}

Decision decide_recover(const DecideContext& ctx, const fb::PasswordRecoverCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::PASSWORD_RECOVERY_STARTED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  const fb::AccountStateT* account = ctx.state.account(cmd.document);
  if (!account || account->status != fb::Status::REGISTERED || lower(account->email) != lower(cmd.email)) {
    return refused(std::move(d), "Los datos no coinciden con una cuenta registrada");
  }
  d.event.credential = account->credential;
  set_code(ctx, d, cmd.document, cmd.sealed_code);
  d.event.result->status = fb::Status::RECOVERY_SENT;
  d.event.result->message = "Le enviamos un código por e-mail para cambiar la contraseña";
  return d;
}

Decision decide_reset(const DecideContext& ctx, const fb::PasswordResetCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::PASSWORD_RESET);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  const fb::AccountStateT* account = ctx.state.account(cmd.document);
  if (!account || !account->recovering) return refused(std::move(d), "No hay una recuperación pendiente");
  d = check_code(ctx, std::move(d), *account, cmd.sealed_code);
  if (d.status && d.event.result->status == fb::Status::NONE) {
    d.event.result->status = fb::Status::PASSWORD_CHANGED;
    d.event.result->message = "Clave cambiada";
  }
  return d;
}

// The password check of a sign-in or of a change from a session: the words
// `wrong` for an unknown document and a wrong password alike; kLoginFailuresMax
// failures within kLoginWindowMs lock the account for kLoginLockMs (even the
// right password is refused meanwhile). Answers the account when the caller
// may go on (d's status still NONE), nullptr when d is decided.
const fb::AccountStateT* check_password(const DecideContext& ctx, Decision& d, const std::string& document, bool password_ok,
                                       const std::string& wrong) {
  const fb::AccountStateT* account = ctx.state.account(document);
  if (!account || account->status != fb::Status::REGISTERED) {
    d = refused(std::move(d), wrong);
    return nullptr;
  }
  if (account->locked_until_ms > ctx.now.value) {
    d.event.result->status = fb::Status::REFUSED;
    d.event.result->message = "Cuenta bloqueada por intentos fallidos: pruebe de nuevo en " +
                              std::to_string((account->locked_until_ms - ctx.now.value) / 60000 + 1) + " minutos";
    return nullptr;
  }
  d.event.credential = account->credential;
  if (password_ok) return account;
  d.event.token_use = std::make_unique<fb::TokenUseT>();
  d.event.token_use->outcome = fb::TokenOutcome::FAILED;
  const auto recent = std::count_if(account->login_failures_ms.begin(), account->login_failures_ms.end(),
                                    [&](int64_t f) { return ctx.now.value - f < kLoginWindowMs; });
  d = refused(std::move(d), recent + 1 >= kLoginFailuresMax
                                ? wrong + ": la cuenta queda bloqueada " + std::to_string(kLoginLockMs / 60000) + " minutos"
                                : wrong);
  return nullptr;
}

Decision decide_login(const DecideContext& ctx, const fb::AccountLoginCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::LOGIN_RECORDED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  const fb::AccountStateT* account = check_password(ctx, d, cmd.document, cmd.password_ok, "Documento o contraseña incorrectos");
  if (!account) return d;
  d.event.result->status = fb::Status::ACCEPTED;
  d.event.result->message = "Ingreso correcto";
  if (const fb::AffiliateT* a = ctx.reference.affiliate(account->credential)) d.event.result->affiliate = affiliate_view(*a, ctx.now);
  return d;
}

// A change of password and/or e-mail from a session, under the current
// password (checked as a sign-in is).
Decision decide_update(const DecideContext& ctx, const fb::AccountUpdateCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::ACCOUNT_UPDATED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  if (cmd.password_hash.empty() && cmd.email.empty()) {
    d.status = Status::invalid("nothing to change: give password_hash or email", "password_hash");
    return d;
  }
  if (!check_password(ctx, d, cmd.document, cmd.password_ok, "La contraseña actual no es correcta")) return d;
  d.event.result->status = cmd.password_hash.empty() ? fb::Status::ACCEPTED : fb::Status::PASSWORD_CHANGED;
  d.event.result->message = cmd.password_hash.empty() ? "E-mail actualizado"
                            : cmd.email.empty()       ? "Contraseña cambiada"
                                                      : "Contraseña y e-mail actualizados";
  return d;
}

Decision decide_share(const DecideContext& ctx, const fb::ShareCreateCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::SHARE_CREATED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  if (!ctx.reference.affiliate(cmd.credential)) {
    d.status = Status::not_found("no affiliate with credential " + cmd.credential);
    return d;
  }
  if (cmd.link_hash.size() != 32 || ctx.state.share(hex_of(cmd.link_hash))) {
    d.status = Status::invalid("link_hash must be 32 new bytes", "link_hash");
    return d;
  }
  d.event.result->status = fb::Status::SHARED;
  d.event.result->message = "Enlace válido por 24 horas, solo con el DNI autorizado";
  std::string link;
  if (!ctx.keys || !open(*ctx.keys, std::string_view(reinterpret_cast<const char*>(cmd.sealed_link.data()), cmd.sealed_link.size()),
                         "share:" + cmd.credential, &link)) {
    d.status = Status::invalid("the link could not be read", "sealed_link");
    return d;
  }
  auto t = std::make_unique<fb::TokenViewT>();
  t->token = link;
  t->valid_from_ms = ctx.now.value;
  t->valid_until_ms = ctx.now.value + 24 * 60 * 60 * 1000;
  d.event.result->tokens.push_back(std::move(t));
  d.answer = std::make_unique<fb::ResultT>(*d.event.result);
  d.event.result->tokens[0]->token.clear();
  return d;
}

Decision decide_revoke(const DecideContext& ctx, const fb::ShareRevokeCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::SHARE_REVOKED);
  d.event.result->transaction = transaction_id(ctx.partition, ctx.sequence);
  const fb::ShareStateT* share = ctx.state.share(hex_of(cmd.link_hash));
  if (!share || share->credential != cmd.credential) return refused(std::move(d), "Enlace inexistente");
  if (share->revoked) return refused(std::move(d), "El enlace ya estaba revocado");
  d.event.result->status = fb::Status::REVOKED;
  d.event.result->message = "Enlace revocado: ya no abre la credencial";
  return d;
}

}  // namespace

Decision decide_account(const DecideContext& ctx, const fb::CommandUnion& command) {
  switch (command.type) {
    case fb::Command::RegisterCmd: return decide_register(ctx, *command.AsRegisterCmd());
    case fb::Command::RegisterConfirmCmd: return decide_confirm(ctx, *command.AsRegisterConfirmCmd());
    case fb::Command::PasswordRecoverCmd: return decide_recover(ctx, *command.AsPasswordRecoverCmd());
    case fb::Command::PasswordResetCmd: return decide_reset(ctx, *command.AsPasswordResetCmd());
    case fb::Command::ShareCreateCmd: return decide_share(ctx, *command.AsShareCreateCmd());
    case fb::Command::ShareRevokeCmd: return decide_revoke(ctx, *command.AsShareRevokeCmd());
    case fb::Command::AccountLoginCmd: return decide_login(ctx, *command.AsAccountLoginCmd());
    case fb::Command::AccountUpdateCmd: return decide_update(ctx, *command.AsAccountUpdateCmd());
    default: break;
  }
  Decision d;
  d.status = Status::invalid("not an account command", "command");
  return d;
}

}  // namespace autoriza
