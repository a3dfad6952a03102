#include "bench/micro/world.h"

#include <iostream>

#include "bench/loadgen/answer.h"
#include "bench/loadgen/body.h"
#include "engine/partition.h"
#include "engine/core/validator.h"

namespace autoriza::bench {

namespace {

// Fills what Partition::handle fills around a decision.
void fill_envelope(const fb::CommandUnion& command, Sequence sequence, fb::EventT* event) {
  event->partition = 0;
  event->sequence = sequence;
  event->scope = idempotency_scope(command);
  event->request_id = request_id_of(command);
  const Digest digest = command_digest(command);
  event->request_digest.assign(digest.begin(), digest.end());
}

// Decides and applies kWarmCommands commands of the mix, learning from the
// answers as the load generator does.
void warm_up(World& w, Mix& mix) {
  DirtySet dirty;
  for (size_t i = 0; i < World::kWarmCommands; ++i) {
    Planned p;
    mix.next(&p);
    const Sequence sequence = w.state->last_sequence() + 1;
    Decision d = decide(DecideContext{*w.reference, *w.state, p.at, 0, sequence}, p.command);
    if (!d.status || !d.record) continue;
    fill_envelope(p.command, sequence, &d.event);
    d.event.command = std::move(p.command);
    w.state->apply(d.event, dirty);
    dirty.clear();
    Answer answer;
    answer_from_result(*d.event.result, &answer);
    mix.observe(p.ticket, answer);
  }
  w.now = mix.now();
}

World* build() {
  auto* w = new World();  // lives until exit, like any benchmark fixture
  PadronOptions po;
  po.affiliates = World::kAffiliates;
  po.providers = World::kProviders;
  po.today = local_day(*parse_instant("2026-11-02T08:00:00-03:00"));
  if (Status s = make_padron(AUTORIZA_BENCH_DATA, po, &w->padron); !s) {
    std::cerr << "bench_micro: " << s.to_string() << "\n";
    std::abort();
  }
  w->reference = std::make_shared<Reference>();
  for (const auto& r : w->padron.base) w->reference->upsert(r);
  for (const auto& r : w->padron.fixed) w->reference->upsert(r);
  AffiliateStream stream(w->padron);
  while (!stream.done()) {
    fb::ReferenceRecordUnion r;
    r.Set(stream.next());
    w->reference->upsert(r);
  }
  w->state = std::make_unique<PartitionState>(0, w->idempotency);
  MixOptions mo;
  mo.start = *parse_instant("2026-11-02T08:00:00-03:00");
  Mix mix(w->padron, mo);
  warm_up(*w, mix);
  // Rings of fresh commands from the same streams (request ids not used yet).
  while (w->authorizes.size() < World::kRing || w->eligibilities.size() < World::kRing) {
    Planned p;
    mix.next(&p);
    if (p.ticket.kind == CommandKind::kAuthorize && w->authorizes.size() < World::kRing) {
      w->authorizes.push_back(std::move(p.command));
    } else if (p.ticket.kind == CommandKind::kEligibility && w->eligibilities.size() < World::kRing) {
      w->eligibilities.push_back(std::move(p.command));
    }
  }
  for (const fb::CommandUnion& c : w->authorizes) {
    const Sequence sequence = w->state->last_sequence() + 1;
    Decision d = decide(DecideContext{*w->reference, *w->state, w->now, 0, sequence}, c);
    fill_envelope(c, sequence, &d.event);
    d.event.command = c;
    w->authorize_events.push_back(std::move(d.event));
    encode_body(c, &w->authorize_bodies.emplace_back());
  }
  return w;
}

}  // namespace

const World& World::get() {
  static const World* world = build();
  return *world;
}

}  // namespace autoriza::bench
