// Affiliate tokens and the digital credential (docs/rules.md §12).
//
// Random material (secrets, pre-printed tokens) is drawn by the adapter and
// arrives sealed in the command; the validator only opens and derives, so
// its decisions stay a function of state, command and time. What is recorded
// holds no secret in clear: secrets stay sealed, pre-printed tokens are kept
// as keyed hashes, and tokens and security codes are redacted from recorded
// answers (rehydrate_answer recomputes them for a retry).
#include <algorithm>

#include "engine/core/ascii.h"
#include "engine/core/decide_internal.h"
#include "engine/core/secrets.h"

namespace autoriza {

namespace {

constexpr int kFailuresMax = 5;           // invalid tries within kFailureWindowMs before throttling
constexpr int64_t kCardStepSeconds = 300;  // the card's security code rotates every 5 minutes
constexpr int kPreprintedDigits = 8;

std::string secret_context(const std::string& credential) { return "secret:" + credential; }
std::string tokens_context(const std::string& credential) { return "tokens:" + credential; }

// [start, end) of a local month "YYYY-MM" in UTC millis.
std::pair<Millis, Millis> month_bounds(const std::string& month) {
  const int y = std::stoi(month.substr(0, 4));
  const int m = std::stoi(month.substr(5, 2));
  const LocalDay first = day_from_civil({y, m, 1});
  const LocalDay next = day_from_civil({m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1});
  const int64_t offset_ms = -int64_t(kLocalOffsetMinutes) * 60'000;
  return {Millis{first.value * kMillisPerDay + offset_ms}, Millis{next.value * kMillisPerDay + offset_ms}};
}

std::string next_month(const std::string& month) {
  const auto [start, end] = month_bounds(month);
  return local_month(end);
}

int recent_failures(const fb::TokenStateT& t, Millis now) {
  return int(std::count_if(t.failures_ms.begin(), t.failures_ms.end(),
                           [&](int64_t f) { return now.value - f < kFailureWindowMs; }));
}

std::unique_ptr<fb::TokenUseT> token_use(fb::TokenOutcome outcome, fb::TokenKind kind) {
  auto u = std::make_unique<fb::TokenUseT>();
  u->outcome = outcome;
  u->kind = kind;
  return u;
}

// The affiliate's secret in clear, from state or (first use) from the command.
Status open_secret(const DecideContext& ctx, const std::string& credential, const std::vector<uint8_t>& candidate,
                   std::string* secret, std::vector<uint8_t>* provisioned) {
  if (!ctx.keys || ctx.keys->empty()) {
    return Status::unavailable("tokens need master keys (AUTORIZA_SECRET_KEYS)");
  }
  const fb::TokenStateT* t = ctx.state.tokens(credential);
  const std::vector<uint8_t>* sealed = t && !t->sealed_secret.empty() ? &t->sealed_secret : nullptr;
  if (!sealed) {
    if (candidate.empty()) return Status::invalid("no secret provisioned and none sealed in the command", "sealed_secret");
    sealed = &candidate;
    if (provisioned) *provisioned = candidate;
  }
  return open(*ctx.keys, std::string_view(reinterpret_cast<const char*>(sealed->data()), sealed->size()),
              secret_context(credential), secret);
}

// A dynamic token is one this affiliate was given (docs/rules.md §12): the
// newest remembered issue whose code it is decides. (Tokens of the minute's
// TOTP, given before counters, are no longer accepted: they lived 2 minutes.)
Reason check_counted(const DecideContext& ctx, const fb::TokenStateT& t, std::string_view secret, std::string_view token,
                     std::unique_ptr<fb::TokenUseT>& use) {
  for (auto it = t.dynamic_issued.rbegin(); it != t.dynamic_issued.rend(); ++it) {
    const fb::DynamicIssueT& issue = **it;
    if (ctx.now.value - issue.issued_ms >= kDynamicKeptMs) break;  // older ones are forgotten: invalid
    if (!equal_constant_time(hotp_text(secret, uint64_t(issue.counter), 6), token)) continue;
    if (issue.used) return Reason::TOKEN_ALREADY_USED;
    if (ctx.now.value - issue.issued_ms >= kDynamicValidMs || ctx.now.value < issue.issued_ms) return Reason::TOKEN_EXPIRED;
    use = token_use(fb::TokenOutcome::USED, fb::TokenKind::DYNAMIC);
    use->counter = issue.counter;
    return Reason::NONE;
  }
  return Reason::TOKEN_INVALID;
}

Reason check_preprinted(const DecideContext& ctx, const fb::TokenStateT& t, const std::string& credential,
                        std::string_view token, std::unique_ptr<fb::TokenUseT>& use) {
  const std::string month = local_month(ctx.now);
  std::vector<std::pair<uint8_t, std::string>> hashes;  // by key id, computed once
  for (const auto& p : t.preprinted) {
    if (!ctx.keys->has(p->key_id)) continue;
    auto it = std::find_if(hashes.begin(), hashes.end(), [&](auto& h) { return h.first == p->key_id; });
    if (it == hashes.end()) it = hashes.insert(hashes.end(), {p->key_id, keyed_hash_with(*ctx.keys, p->key_id, credential, token)});
    if (!equal_constant_time(it->second, std::string_view(reinterpret_cast<const char*>(p->hash.data()), p->hash.size()))) continue;
    if (p->month != month) return Reason::TOKEN_EXPIRED;
    if (p->used) return Reason::TOKEN_ALREADY_USED;
    use = token_use(fb::TokenOutcome::USED, fb::TokenKind::PREPRINTED);
    use->hash = p->hash;
    return Reason::NONE;
  }
  return Reason::TOKEN_INVALID;
}

// The counter of a new dynamic issue: the next one whose code is not the
// code of a token the affiliate holds (its remembered issues), so no two
// tokens it holds are alike and a used one never comes back.
uint64_t next_counter(const fb::TokenStateT* t, std::string_view secret) {
  if (!t) return 0;
  uint64_t counter = uint64_t(t->dynamic_count);
  std::vector<std::string> held;
  held.reserve(t->dynamic_issued.size());
  for (const auto& issue : t->dynamic_issued) held.push_back(hotp_text(secret, uint64_t(issue->counter), 6));
  while (std::find(held.begin(), held.end(), hotp_text(secret, counter, 6)) != held.end()) ++counter;
  return counter;
}

// Spaces, dashes and dots are how tokens are printed and read aloud
// ("5053 4523", "505-345"): they are not part of the token.
std::string normalized_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c != ' ' && c != '-' && c != '.') out.push_back(c);
  }
  return out;
}

void redact_tokens(fb::ResultT& r) {
  for (auto& t : r.tokens) t->token.clear();
  if (r.card) r.card->security_code.clear();
}

std::unique_ptr<fb::ResultT> copy_result(const fb::ResultT& r) { return std::make_unique<fb::ResultT>(r); }


// The chosen pre-printed tokens: the first `count` candidates whose hash the
// affiliate does not hold yet (a collision is skipped, deterministically).
std::vector<std::string> choose_preprinted(const DecideContext& ctx, const fb::TokenIssueCmdT& cmd,
                                           std::string_view candidates, const fb::TokenStateT* held,
                                           std::vector<std::string>* hashes) {
  std::vector<std::string> chosen;
  for (size_t pos = 0; pos + kPreprintedDigits <= candidates.size() && int(chosen.size()) < cmd.count;
       pos += kPreprintedDigits) {
    const std::string token(candidates.substr(pos, kPreprintedDigits));
    std::string hash = keyed_hash(*ctx.keys, cmd.credential, token);
    bool taken = std::find(hashes->begin(), hashes->end(), hash) != hashes->end();
    for (size_t i = 0; held && !taken && i < held->preprinted.size(); ++i) {
      const auto& h = held->preprinted[i]->hash;
      taken = hash == std::string_view(reinterpret_cast<const char*>(h.data()), h.size());
    }
    if (taken || !ascii::all_digits(token)) continue;
    chosen.push_back(token);
    hashes->push_back(std::move(hash));
  }
  return chosen;
}

}  // namespace

std::unique_ptr<fb::TokenUseT> check_token(const DecideContext& ctx, const Parties& parties, std::string_view sent,
                                           std::vector<Reason>& reasons) {
  if (!parties.plan || !parties.plan->token_required || !parties.affiliate) return nullptr;
  const std::string token = normalized_token(sent);
  if (token.empty()) {
    reasons.push_back(Reason::TOKEN_REQUIRED);
    return nullptr;
  }
  const std::string& credential = parties.affiliate->credential;
  // Token state lives in the credential's partition; a consume routed by an
  // order of another partition is refused for the order anyway.
  if (partition_of_credential(credential, ctx.partitions) != ctx.partition) {
    reasons.push_back(Reason::TOKEN_INVALID);
    return nullptr;
  }
  const fb::TokenStateT* t = ctx.state.tokens(credential);
  if (t && recent_failures(*t, ctx.now) >= kFailuresMax) {
    reasons.push_back(Reason::TOKEN_INVALID);
    return token_use(fb::TokenOutcome::THROTTLED, fb::TokenKind::DYNAMIC);
  }
  std::unique_ptr<fb::TokenUseT> use;
  Reason reason = Reason::TOKEN_INVALID;
  if (t && ctx.keys && !ctx.keys->empty() && ascii::all_digits(token)) {
    std::string secret;
    if (token.size() == 6 && open_secret(ctx, credential, {}, &secret, nullptr).is_ok()) {
      reason = check_counted(ctx, *t, secret, token, use);
    } else if (token.size() == size_t(kPreprintedDigits)) {
      reason = check_preprinted(ctx, *t, credential, token, use);
    }
    wipe(&secret);
  }
  if (reason == Reason::NONE) return use;
  reasons.push_back(reason);
  return reason == Reason::TOKEN_INVALID ? token_use(fb::TokenOutcome::FAILED, fb::TokenKind::DYNAMIC) : nullptr;
}

void keep_token_use(fb::EventT& event, bool uses_up) {
  if (event.token_use && event.token_use->outcome == fb::TokenOutcome::USED && !uses_up) event.token_use.reset();
}

Decision decide_token_issue(const DecideContext& ctx, const fb::TokenIssueCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::TOKENS_ISSUED);
  const fb::AffiliateT* affiliate = ctx.reference.affiliate(cmd.credential);
  if (!affiliate) {
    d.status = Status::not_found("no affiliate with credential " + cmd.credential);
    return d;
  }
  fb::ResultT& r = *d.event.result;
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  r.status = fb::Status::ISSUED;
  if (cmd.kind == fb::TokenKind::DYNAMIC) {
    std::string secret;
    if (d.status = open_secret(ctx, cmd.credential, cmd.sealed_secret, &secret, &d.event.provisioned_secret); !d.status) return d;
    const uint64_t counter = next_counter(ctx.state.tokens(cmd.credential), secret);
    auto t = std::make_unique<fb::TokenViewT>();
    t->token = hotp_text(secret, counter, 6);
    t->valid_from_ms = ctx.now.value;
    t->valid_until_ms = ctx.now.value + kDynamicValidMs;
    r.tokens.push_back(std::move(t));
    d.event.dynamic_counter = int64_t(counter);
    wipe(&secret);
  } else {
    const std::string current = local_month(ctx.now);
    if (cmd.month != current && cmd.month != next_month(current)) {
      d.status = Status::invalid("month must be the current (" + current + ") or the next month", "month");
      return d;
    }
    if (!ctx.keys || ctx.keys->empty()) {
      d.status = Status::unavailable("tokens need master keys (AUTORIZA_SECRET_KEYS)");
      return d;
    }
    std::string candidates;
    d.status = open(*ctx.keys, std::string_view(reinterpret_cast<const char*>(cmd.sealed_tokens.data()), cmd.sealed_tokens.size()),
                    tokens_context(cmd.credential), &candidates);
    if (!d.status) return d;
    std::vector<std::string> hashes;
    const auto [from, until] = month_bounds(cmd.month);
    for (const std::string& token : choose_preprinted(ctx, cmd, candidates, ctx.state.tokens(cmd.credential), &hashes)) {
      auto t = std::make_unique<fb::TokenViewT>();
      t->token = token;
      t->valid_from_ms = from.value;
      t->valid_until_ms = until.value;
      r.tokens.push_back(std::move(t));
    }
    for (const std::string& h : hashes) {
      auto th = std::make_unique<fb::TokenHashT>();
      th->hash.assign(h.begin(), h.end());
      th->key_id = ctx.keys->current_id();
      th->month = cmd.month;
      d.event.token_hashes.push_back(std::move(th));
    }
    wipe(&candidates);
  }
  d.answer = copy_result(r);
  redact_tokens(r);
  return d;
}

std::unique_ptr<fb::AffiliateViewT> affiliate_view(const fb::AffiliateT& a, Millis now) {
  auto v = std::make_unique<fb::AffiliateViewT>();
  v->credential = a.credential;
  v->name = display_name(a);
  v->cuil = a.cuil;
  v->age = age_years(LocalDay{a.birth_day}, local_day(now));
  v->sex = a.sex;
  v->plan = a.plan;
  v->titular = a.titular;
  v->notes = a.notes;
  return v;
}

Decision decide_card(const DecideContext& ctx, const fb::CardIssueCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::CARD_ISSUED);
  const fb::AffiliateT* affiliate = ctx.reference.affiliate(cmd.credential);
  if (!affiliate) {
    d.status = Status::not_found("no affiliate with credential " + cmd.credential);
    return d;
  }
  std::string secret;
  if (d.status = open_secret(ctx, cmd.credential, cmd.sealed_secret, &secret, &d.event.provisioned_secret); !d.status) return d;
  fb::ResultT& r = *d.event.result;
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  r.status = fb::Status::ISSUED;
  r.affiliate = affiliate_view(*affiliate, ctx.now);
  const uint64_t step = totp_step(ctx.now, kCardStepSeconds);
  r.card = std::make_unique<fb::CardViewT>();
  r.card->security_code = hotp_text(secret, step, 6);
  r.card->valid_from_ms = int64_t(step) * kCardStepSeconds * 1000;
  r.card->valid_until_ms = r.card->valid_from_ms + kCardStepSeconds * 1000;
  wipe(&secret);
  d.answer = copy_result(r);
  redact_tokens(r);
  return d;
}

Status rehydrate_answer(const fb::EventT& event, const PartitionState& state, const KeyRing* keys,
                        fb::ResultT* result) {
  const bool share = event.type == fb::EventType::SHARE_CREATED && result->status == fb::Status::SHARED;
  if (event.type != fb::EventType::TOKENS_ISSUED && event.type != fb::EventType::CARD_ISSUED && !share) return Status::ok();
  if (!keys || keys->empty()) return Status::unavailable("tokens need master keys (AUTORIZA_SECRET_KEYS)");
  const std::string& credential = credential_of(event.command);
  if (share) {
    const auto& sealed = event.command.AsShareCreateCmd()->sealed_link;
    AUTORIZA_CHECK(result->tokens.size() == 1);
    return open(*keys, std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()), "share:" + credential,
                &result->tokens[0]->token);
  }
  const fb::TokenStateT* t = state.tokens(credential);
  const std::vector<uint8_t>& sealed = !event.provisioned_secret.empty() ? event.provisioned_secret
                                       : t ? t->sealed_secret : event.provisioned_secret;
  std::string secret;
  if (!sealed.empty()) {
    Status s = open(*keys, std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()),
                    secret_context(credential), &secret);
    if (!s) return s;
  }
  const Millis at{event.command_time_ms};
  if (result->card) result->card->security_code = hotp_text(secret, totp_step(at, kCardStepSeconds), 6);
  if (event.type == fb::EventType::TOKENS_ISSUED && event.command.AsTokenIssueCmd()->kind == fb::TokenKind::DYNAMIC) {
    const uint64_t index = event.dynamic_counter >= 0 ? uint64_t(event.dynamic_counter)
                                                      : totp_step(at, kTokenStepSeconds);  // an event before counters
    for (auto& tok : result->tokens) tok->token = hotp_text(secret, index, 6);
  } else if (event.type == fb::EventType::TOKENS_ISSUED) {
    const auto& cmd = *event.command.AsTokenIssueCmd();
    std::string candidates;
    Status s = open(*keys, std::string_view(reinterpret_cast<const char*>(cmd.sealed_tokens.data()), cmd.sealed_tokens.size()),
                    tokens_context(credential), &candidates);
    if (!s) return s;
    size_t next = 0;
    for (size_t pos = 0; pos + kPreprintedDigits <= candidates.size() && next < event.token_hashes.size(); pos += kPreprintedDigits) {
      const auto& h = *event.token_hashes[next];
      const std::string token = candidates.substr(pos, kPreprintedDigits);
      if (keyed_hash_with(*keys, h.key_id, credential, token) ==
          std::string_view(reinterpret_cast<const char*>(h.hash.data()), h.hash.size())) {
        result->tokens[next++]->token = token;
      }
    }
    wipe(&candidates);
  }
  wipe(&secret);
  return Status::ok();
}

}  // namespace autoriza
