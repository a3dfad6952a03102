// Folding account (registration, recovery) and share events into state.
#include "engine/core/state.h"
#include "engine/core/status.h"

namespace autoriza {

namespace {
constexpr int64_t kShareValidMs = 24 * 60 * 60 * 1000;
}

void PartitionState::apply_login(const fb::EventT& event, DirtySet& dirty) {
  const fb::ResultT& r = *event.result;
  const bool failed = event.token_use && event.token_use->outcome == fb::TokenOutcome::FAILED;
  const bool accepted = r.status == fb::Status::ACCEPTED || r.status == fb::Status::PASSWORD_CHANGED;
  if (!accepted && !failed) return;  // unknown account, or refused while locked
  const std::string& document = document_of(event.command);
  auto it = accounts_.find(document);
  AUTORIZA_CHECK(it != accounts_.end());
  fb::AccountStateT& a = it->second;
  dirty.accounts.insert(document);
  const int64_t now = event.command_time_ms;
  std::erase_if(a.login_failures_ms, [&](int64_t f) { return now - f >= kLoginWindowMs; });
  if (!failed) {
    a.login_failures_ms.clear();
    if (event.type == fb::EventType::ACCOUNT_UPDATED) {
      const auto& cmd = *event.command.AsAccountUpdateCmd();
      if (!cmd.password_hash.empty()) a.password_hash = cmd.password_hash;
      if (!cmd.email.empty()) a.email = cmd.email;
    }
    return;
  }
  a.login_failures_ms.push_back(now);
  if (int(a.login_failures_ms.size()) >= kLoginFailuresMax) {
    a.locked_until_ms = now + kLoginLockMs;
    a.login_failures_ms.clear();
  }
}

void PartitionState::apply_account(const fb::EventT& event, DirtySet& dirty) {
  const fb::ResultT& r = *event.result;
  const std::string& document = document_of(event.command);
  const bool failed_try = event.token_use && event.token_use->outcome == fb::TokenOutcome::FAILED;
  if (r.status == fb::Status::REJECTED && !failed_try) return;
  fb::AccountStateT& a = accounts_[document];
  a.document = document;
  dirty.accounts.insert(document);
  if (failed_try) {
    ++a.code_tries;
    return;
  }
  auto start_code = [&] {
    AUTORIZA_CHECK(event.token_hashes.size() == 1);
    a.code_hash = event.token_hashes[0]->hash;
    a.code_key_id = event.token_hashes[0]->key_id;
    a.code_issued_ms = event.command_time_ms;
    a.code_tries = 0;
  };
  switch (event.type) {
    case fb::EventType::REGISTRATION_STARTED: {
      const auto& cmd = *event.command.AsRegisterCmd();
      a.credential = event.credential;
      a.status = fb::Status::VERIFICATION_SENT;
      a.email = cmd.email;
      a.pending_password_hash = cmd.password_hash;
      start_code();
      break;
    }
    case fb::EventType::REGISTRATION_CONFIRMED:
      a.status = fb::Status::REGISTERED;
      a.password_hash = a.pending_password_hash;
      a.pending_password_hash.clear();
      a.code_hash.clear();
      break;
    case fb::EventType::PASSWORD_RECOVERY_STARTED:
      a.recovering = true;
      start_code();
      break;
    case fb::EventType::PASSWORD_RESET:
      a.password_hash = event.command.AsPasswordResetCmd()->password_hash;
      a.recovering = false;
      a.code_hash.clear();
      break;
    default: AUTORIZA_CHECK(!"not an account event");
  }
}

void PartitionState::apply_share(const fb::EventT& event, DirtySet& dirty) {
  if (event.result->status == fb::Status::REJECTED) return;
  if (event.type == fb::EventType::SHARE_CREATED) {
    const auto& cmd = *event.command.AsShareCreateCmd();
    const std::string key = hex_of(cmd.link_hash);
    fb::ShareStateT& s = shares_[key];
    s.credential = cmd.credential;
    s.dni = cmd.dni;
    s.created_ms = event.command_time_ms;
    s.expires_ms = event.command_time_ms + kShareValidMs;
    dirty.shares.insert(key);
    // The card's index of its shares, without those expired by now.
    fb::TokenStateT& t = tokens_[cmd.credential];
    t.credential = cmd.credential;
    std::erase_if(t.share_keys, [&](const std::string& k) {
      auto old = shares_.find(k);
      return old == shares_.end() || old->second.expires_ms <= event.command_time_ms;
    });
    t.share_keys.push_back(key);
    dirty.tokens.insert(cmd.credential);
  } else {
    const std::string key = hex_of(event.command.AsShareRevokeCmd()->link_hash);
    auto it = shares_.find(key);
    AUTORIZA_CHECK(it != shares_.end());
    it->second.revoked = true;
    dirty.shares.insert(key);
  }
}

}  // namespace autoriza
