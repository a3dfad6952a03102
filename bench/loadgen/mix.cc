// The mix's dispatch, its pools of what answers made possible, and the
// dependent commands (consume, annul, verdict). Independent commands are
// built in mix_independent.cc.
#include <algorithm>
#include <cassert>

#include "bench/loadgen/mix.h"

namespace autoriza::bench {

namespace {

constexpr uint64_t kKindSalt = 0x51ed270b27e2d6b1ull;
constexpr uint64_t kDependentSalt = 0x2545f4914f6cdd1dull;
constexpr uint64_t kEligibilitySalt = 0x94d049bb133111ebull;
constexpr uint64_t kAuthorizeSalt = 0xbf58476d1ce4e5b9ull;
constexpr uint64_t kAuditSalt = 0xd6e8feb86659fd93ull;

uint64_t bit(size_t index) { return uint64_t(1) << index; }

// Items whose status is `status`, as a bit per index.
uint64_t items_with(const Answer& answer, fb::Status status) {
  uint64_t mask = 0;
  for (size_t i = 0; i < answer.item_count; ++i) {
    if (answer.item_status[i] == status && answer.item_index[i] >= 0 && answer.item_index[i] < 64) {
      mask |= bit(size_t(answer.item_index[i]));
    }
  }
  return mask;
}

std::vector<int32_t> indexes_of(uint64_t mask) {
  std::vector<int32_t> out;
  for (int32_t i = 0; i < 64; ++i) {
    if (mask & bit(size_t(i))) out.push_back(i);
  }
  return out;
}

}  // namespace

const char* command_kind_name(CommandKind kind) {
  switch (kind) {
    case CommandKind::kEligibility: return "eligibility";
    case CommandKind::kAuthorize: return "authorize";
    case CommandKind::kConsume: return "consume";
    case CommandKind::kAnnul: return "annul";
    case CommandKind::kAuditOpen: return "audit_open";
    case CommandKind::kAuditVerdict: return "audit_verdict";
  }
  return "?";
}

Mix::Mix(const Padron& padron, MixOptions options)
    : padron_(padron),
      options_(std::move(options)),
      kind_rng_(options_.seed ^ kKindSalt),
      dependent_rng_(options_.seed ^ kDependentSalt) {
  AUTORIZA_CHECK(options_.eligibility_pct + options_.authorize_pct + options_.consume_pct + options_.annul_pct +
                     options_.audit_pct ==
                 100);
  AUTORIZA_CHECK(options_.pool_max >= 1 && options_.step_ms >= 0);
  AUTORIZA_CHECK(!padron_.providers.empty() && padron_.options.affiliates >= 1);
  eligibility_.rng.seed(options_.seed ^ kEligibilitySalt);
  authorize_.rng.seed(options_.seed ^ kAuthorizeSalt);
  audit_.rng.seed(options_.seed ^ kAuditSalt);
  for (size_t i = 0; i < padron_.practices.size(); ++i) {
    practices_by_kind_[size_t(padron_.practices[i].kind)].push_back(i);
  }
}

std::string Mix::request_id(char letter, uint64_t n) const {
  std::string id = options_.request_prefix;
  id += '-';
  id += letter;
  id += std::to_string(n);
  return id;
}

CommandKind Mix::draw_kind() {
  const int roll = std::uniform_int_distribution<int>(0, 99)(kind_rng_);
  int edge = options_.eligibility_pct;
  if (roll < edge) return CommandKind::kEligibility;
  if (roll < (edge += options_.authorize_pct)) return CommandKind::kAuthorize;
  if (roll < (edge += options_.consume_pct)) return CommandKind::kConsume;
  if (roll < (edge += options_.annul_pct)) return CommandKind::kAnnul;
  // Audit: a verdict on an open SAP half of the time, else a new SAP.
  return (kind_rng_() & 1) && !saps_.empty() ? CommandKind::kAuditVerdict : CommandKind::kAuditOpen;
}

void Mix::next(Planned* out) {
  AUTORIZA_CHECK(out != nullptr);
  CommandKind kind = draw_kind();
  if ((kind == CommandKind::kConsume && orders_.empty()) || (kind == CommandKind::kAnnul && annullable_.empty())) {
    ++substitutions_;
    kind = CommandKind::kAuthorize;
  }
  switch (kind) {
    case CommandKind::kEligibility:
    case CommandKind::kAuthorize:
    case CommandKind::kAuditOpen: take_independent(kind, out); break;
    case CommandKind::kConsume: build_consume(out); break;
    case CommandKind::kAnnul: build_annul(out); break;
    case CommandKind::kAuditVerdict: build_verdict(out); break;
  }
  assert(out->ticket.kind == kind);
  out->at = now();
  ++dispatched_;
}

void Mix::take_independent(CommandKind kind, Planned* out) {
  Stream& stream = kind == CommandKind::kEligibility ? eligibility_ : kind == CommandKind::kAuthorize ? authorize_ : audit_;
  if (stream.ahead_next < stream.ahead.size()) {
    *out = std::move(stream.ahead[stream.ahead_next++]);
    return;
  }
  build_independent(kind, stream, out);
}

void Mix::build_independent(CommandKind kind, Stream& stream, Planned* out) {
  switch (kind) {
    case CommandKind::kEligibility: return build_eligibility(stream, out);
    case CommandKind::kAuthorize: return build_authorize(stream, /*audit=*/false, out);
    case CommandKind::kAuditOpen: return build_authorize(stream, /*audit=*/true, out);
    default: AUTORIZA_CHECK(!"not an independent kind");
  }
}

void Mix::pregenerate(size_t count) {
  struct Share {
    CommandKind kind;
    Stream* stream;
    double fraction;
  };
  // A little over the expected share (substitutions become authorizations);
  // whatever runs out is built live.
  const Share shares[] = {
      {CommandKind::kEligibility, &eligibility_, options_.eligibility_pct / 100.0 * 1.02},
      {CommandKind::kAuthorize, &authorize_, (options_.authorize_pct + 1) / 100.0 * 1.03},
      {CommandKind::kAuditOpen, &audit_, options_.audit_pct / 100.0 * 0.6},
  };
  for (const Share& share : shares) {
    Stream& s = *share.stream;
    s.ahead.erase(s.ahead.begin(), s.ahead.begin() + std::ptrdiff_t(s.ahead_next));
    s.ahead_next = 0;
    const size_t target = size_t(double(count) * share.fraction) + 16;
    s.ahead.reserve(target);
    while (s.ahead.size() < target) build_independent(share.kind, s, &s.ahead.emplace_back());
  }
}

size_t Mix::pregenerated_left() const {
  size_t n = 0;
  for (const Stream* s : {&eligibility_, &authorize_, &audit_}) n += s->ahead.size() - s->ahead_next;
  return n;
}

template <typename T>
void Mix::remember(std::vector<T>& pool, T entry) {
  if (pool.size() < options_.pool_max) {
    pool.push_back(std::move(entry));
    return;
  }
  pool[std::uniform_int_distribution<size_t>(0, pool.size() - 1)(dependent_rng_)] = std::move(entry);
}

template <typename T>
T Mix::take_random(std::vector<T>& pool) {
  AUTORIZA_CHECK(!pool.empty());
  const size_t i = std::uniform_int_distribution<size_t>(0, pool.size() - 1)(dependent_rng_);
  T entry = std::move(pool[i]);
  if (i + 1 != pool.size()) pool[i] = std::move(pool.back());
  pool.pop_back();
  return entry;
}

void Mix::build_consume(Planned* out) {
  OpenOrder order = take_random(orders_);
  std::vector<int32_t> left = indexes_of(order.items);
  AUTORIZA_CHECK(!left.empty());
  std::shuffle(left.begin(), left.end(), dependent_rng_);
  // Dental budgets are consumed item by item, a lab's order at once.
  const size_t take = std::uniform_int_distribution<size_t>(1, left.size())(dependent_rng_);
  left.resize(take);
  std::sort(left.begin(), left.end());
  for (int32_t i : left) order.items &= ~bit(size_t(i));
  fb::ConsumeCmdT c;
  c.request_id = request_id('c', ++dependent_count_);
  c.provider = padron_.providers[order.provider].id;
  c.credential = Padron::credential(order.affiliate);
  c.order = order.id;
  c.items = std::move(left);
  out->ticket = Ticket{CommandKind::kConsume, order.provider, order.affiliate, 0, {}};
  out->command.Set(std::move(c));
  if (order.items != 0) orders_.push_back(std::move(order));
}

void Mix::build_annul(Planned* out) {
  Done done = take_random(annullable_);
  fb::AnnulCmdT c;
  c.request_id = request_id('n', ++dependent_count_);
  c.provider = padron_.providers[done.provider].id;
  c.transaction = std::move(done.id);
  c.reason = "ERROR DE CARGA";
  out->ticket = Ticket{CommandKind::kAnnul, done.provider, 0, 0, {}};
  out->command.Set(std::move(c));
}

void Mix::build_verdict(Planned* out) {
  OpenSap sap = take_random(saps_);
  fb::AuditVerdictCmdT c;
  c.request_id = request_id('v', ++dependent_count_);
  // No auditor: through the service a verdict carries its key's principal
  // (auth::bind_auditor); naming another would be refused.
  c.sap = sap.id;
  const int roll = std::uniform_int_distribution<int>(0, 99)(dependent_rng_);
  if (roll < 50) {
    c.verdict = fb::Verdict::AUTHORIZE;
  } else if (roll < 70 || (roll < 90 && sap.pending == 0)) {
    c.verdict = fb::Verdict::REJECT;
    c.message = "NO CORRESPONDE SEGUN NORMATIVA";
  } else if (roll < 90) {
    c.verdict = fb::Verdict::PARTIAL;
    for (int32_t index : indexes_of(sap.pending)) {
      auto d = std::make_unique<fb::ItemDecisionT>();
      d->index = index;
      d->decision = (dependent_rng_() & 1) ? fb::ItemDecisionKind::AUTHORIZE : fb::ItemDecisionKind::REJECT;
      c.items.push_back(std::move(d));
    }
  } else {
    c.verdict = fb::Verdict::REQUEST_DOCS;
    c.message = "ADJUNTAR ORDEN MEDICA E INFORME";
  }
  out->ticket = Ticket{CommandKind::kAuditVerdict, sap.provider, sap.affiliate, sap.pending, std::move(sap.id)};
  out->command.Set(std::move(c));
}

void Mix::observe(const Ticket& t, const Answer& answer) {
  switch (t.kind) {
    case CommandKind::kEligibility:
    case CommandKind::kAnnul: return;
    case CommandKind::kAuthorize:
    case CommandKind::kAuditVerdict: {
      if (!answer.order.empty()) {
        const uint64_t authorized = items_with(answer, fb::Status::AUTHORIZED);
        if (authorized != 0) remember(orders_, OpenOrder{std::string(answer.order), t.provider, t.affiliate, authorized});
        remember(annullable_, Done{std::string(answer.order), t.provider});
      }
      if (t.kind == CommandKind::kAuditVerdict && answer.status == fb::Status::DOCS_REQUESTED) {
        remember(saps_, OpenSap{t.sap, t.provider, t.affiliate, t.pending});
      }
      return;
    }
    case CommandKind::kAuditOpen:
      if (answer.status == fb::Status::AUDIT_PENDING && !answer.sap.empty()) {
        remember(saps_, OpenSap{std::string(answer.sap), t.provider, t.affiliate, items_with(answer, fb::Status::NEEDS_AUDIT)});
      }
      return;
    case CommandKind::kConsume:
      if (answer.status == fb::Status::ACCEPTED && !answer.transaction.empty()) {
        remember(annullable_, Done{std::string(answer.transaction), t.provider});
      }
      return;
  }
}

}  // namespace autoriza::bench
