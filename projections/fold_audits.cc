// Audit requests (SAPs): the record an auditor works from, with the
// prescription, the items (pre-authorized, pending, rejected) and the
// message history of verdicts.
#include "projections/fold.h"

namespace autoriza::projections {

namespace {

void put_sap(Fold& f) {
  f.batch.put(Cf::kAudits, sap_key(&f.key, f.sap.sap), f.writer.sap(f.sap));
}

// The queue's index keys: by time, and by provider then time.
void put_indexes(Fold& f) {
  f.key.assign(audit_time_prefix());
  append_be64(&f.key, time_order(f.sap.time_ms));
  f.key.append(f.sap.sap);
  f.batch.append(Cf::kAudits, f.key, "");
  f.key.assign(audit_provider_prefix(f.sap.provider));
  append_be64(&f.key, time_order(f.sap.time_ms));
  f.key.append(f.sap.sap);
  f.batch.append(Cf::kAudits, f.key, "");
}

// The audit request's register row (saprow/<transaction>): its items while
// no order exists, with the SAP's status.
void open_sap_row(const fb::Event& event, const fb::Result& r, const fb::AuthorizeCmd& cmd, Fold& f) {
  new_order(as_view(r.transaction()), as_view(cmd.provider()), as_view(cmd.credential()), event.command_time_ms(),
            as_view(event.channel()), {}, r.items(), &f.order);
  for (ItemDraft& item : f.order.items) item.authorized = false;  // pre-authorized: not yet an order's
  f.order.sap = as_view(r.sap());
  f.order.audit_request = true;
  f.order.status = fb::Status::PENDING;
  write_order(f);
  index_order(f);
}

// Brings f.sap's register row to the SAP's status; an issued order (not
// empty) supersedes it, so the register lists the order's rows instead.
Status update_sap_row(std::string_view issued_order, Fold& f) {
  const fbp::OrderModel* stored = nullptr;
  Status s = read_record(f.batch, Cf::kOrders, sap_row_key(&f.key, f.sap.transaction), &f.order_bytes, "sap row", &stored);
  if (s.kind() == StatusKind::kNotFound) return Status::ok();  // a store folded before rows of SAPs existed
  if (!s) return s;
  draft_order(*stored, &f.order);
  f.order.status = f.sap.status;
  f.order.issued_order = issued_order;
  f.order.annulment = f.sap.annulment;
  for (ItemDraft& item : f.order.items) {
    for (const ItemDraft& decided : f.sap.items) {
      if (decided.index == item.index) item.status = decided.status;
    }
    if (f.sap.annulment) item.status = fb::Status::ANNULLED;
  }
  write_order(f);
  return Status::ok();
}

}  // namespace

Status fold_audit_opened(const fb::Event& event, Fold& f) {
  const fb::Result* r = event.result();
  const fb::AuthorizeCmd* cmd = event.command_as_AuthorizeCmd();
  if (!r || !cmd) return Status::corruption("an audit request lacks its command or result");
  AUTORIZA_CHECK(!as_view(r->sap()).empty());
  SapDraft& sap = f.sap;
  sap.sap = as_view(r->sap());
  sap.transaction = as_view(r->transaction());
  sap.provider = as_view(cmd->provider());
  sap.credential = as_view(cmd->credential());
  sap.time_ms = event.command_time_ms();
  sap.status = fb::Status::PENDING;
  sap.diagnosis = as_view(cmd->diagnosis());
  sap.note = as_view(cmd->note());
  sap.prescribed_on_day =
      cmd->prescribed_on_day() ? std::optional<int32_t>(*cmd->prescribed_on_day()) : std::nullopt;
  sap.prescriber_kind =
      cmd->prescriber() ? std::optional<fb::PrescriberKind>(cmd->prescriber()->kind()) : std::nullopt;
  sap.prescriber_license = cmd->prescriber() ? as_view(cmd->prescriber()->license()) : std::string_view();
  sap.channel = as_view(event.channel());
  sap.items.clear();
  if (r->items()) {
    sap.items.resize(r->items()->size());
    for (flatbuffers::uoffset_t i = 0; i < r->items()->size(); ++i) {
      draft_item(*r->items()->Get(i), &sap.items[i]);
      sap.items[i].pre_authorized = sap.items[i].status == fb::Status::AUTHORIZED;
    }
  }
  sap.order = {};
  sap.messages.clear();
  sap.annulment.reset();
  sap.diagnosis_type = cmd->diagnosis_type();
  sap.diagnosis_text = as_view(cmd->diagnosis_text());
  sap.documents.clear();
  if (cmd->documents()) {
    for (const flatbuffers::String* d : *cmd->documents()) sap.documents.push_back(as_view(d));
  }
  put_sap(f);
  put_indexes(f);
  open_sap_row(event, *r, *cmd, f);
  return Status::ok();
}

Status fold_audit_decided(const fb::Event& event, Fold& f) {
  const fb::Result* r = event.result();
  const fb::AuditVerdictCmd* cmd = event.command_as_AuditVerdictCmd();
  if (!r || !cmd) return Status::corruption("a verdict lacks its command or result");
  if (r->status() == fb::Status::REFUSED) return Status::ok();  // SAP unknown or already decided: nothing changes
  const std::string_view number = as_view(cmd->sap());
  const fbp::SapRecord* stored = nullptr;
  if (Status s = read_record(f.batch, Cf::kAudits, sap_key(&f.key, number), &f.sap_bytes, "audits", &stored); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::corruption("verdict on unknown SAP " + std::string(number)) : s;
  }
  SapDraft& sap = f.sap;
  draft_sap(*stored, &sap);
  sap.messages.push_back({as_view(r->transaction()), as_view(cmd->auditor()), as_view(cmd->message()), event.command_time_ms(),
                          cmd->verdict(), {}, {}});
  sap.status = r->status();
  if (cmd->verdict() != fb::Verdict::REQUEST_DOCS && r->items()) {
    // The result lists every item of the SAP with its status after the verdict.
    for (const fb::ItemResult* decided : *r->items()) {
      for (ItemDraft& item : sap.items) {
        if (item.index == decided->index()) item.status = decided->status();
      }
    }
  }
  if (Status s = update_sap_row(as_view(r->order()), f); !s) return s;
  if (!as_view(r->order()).empty()) {
    // The order has the verdict's id and time, the SAP's provider and affiliate.
    sap.order = as_view(r->order());
    f.text.assign("auditor:").append(as_view(cmd->auditor()));
    new_order(sap.order, sap.provider, sap.credential, event.command_time_ms(), sap.channel, f.text, r->items(),
              &f.order);
    f.order.sap = number;
    f.order.status = order_status(f.order);
    write_order(f);
    index_order(f);
  }
  put_sap(f);
  return Status::ok();
}

Status fold_audit_answered(const fb::Event& event, Fold& f) {
  const fb::Result* r = event.result();
  const fb::AuditAnswerCmd* cmd = event.command_as_AuditAnswerCmd();
  if (!r || !cmd) return Status::corruption("an answer to the auditor lacks its command or result");
  if (r->status() == fb::Status::REFUSED) return Status::ok();
  const std::string_view number = as_view(cmd->sap());
  const fbp::SapRecord* stored = nullptr;
  if (Status s = read_record(f.batch, Cf::kAudits, sap_key(&f.key, number), &f.sap_bytes, "audits", &stored); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::corruption("answer on unknown SAP " + std::string(number)) : s;
  }
  SapDraft& sap = f.sap;
  draft_sap(*stored, &sap);
  MessageDraft answer{as_view(r->transaction()), {}, as_view(cmd->message()), event.command_time_ms(),
                      fb::Verdict::AUTHORIZE, as_view(cmd->provider()), {}};
  if (cmd->documents()) {
    for (const flatbuffers::String* d : *cmd->documents()) answer.documents.push_back(as_view(d));
  }
  sap.messages.push_back(std::move(answer));
  sap.status = r->status();
  put_sap(f);
  return update_sap_row({}, f);
}

Status update_sap_emitted(Fold& f) {
  const OrderDraft& order = f.order;
  if (order.sap.empty() || order.status == fb::Status::ANNULLED) return Status::ok();
  const fbp::SapRecord* stored = nullptr;
  if (Status s = read_record(f.batch, Cf::kAudits, sap_key(&f.key, order.sap), &f.sap_bytes, "audits", &stored); !s) {
    return s;
  }
  draft_sap(*stored, &f.sap);
  if (order.status == fb::Status::EMITTED) {
    f.sap.status = fb::Status::EMITTED;
  } else if (f.sap.status == fb::Status::EMITTED) {
    // Back from emitted: the verdict's own outcome.
    bool any_rejected = false;
    for (const ItemDraft& item : order.items) any_rejected |= item.status == fb::Status::REJECTED;
    f.sap.status = any_rejected ? fb::Status::PARTIALLY_AUTHORIZED : fb::Status::AUTHORIZED;
  } else {
    return Status::ok();
  }
  put_sap(f);
  return Status::ok();
}

Status annul_sap(const AnnulmentDraft& annulment, Fold& f) {
  f.sap.status = fb::Status::ANNULLED;
  f.sap.annulment = annulment;
  put_sap(f);
  return update_sap_row(f.sap.order, f);
}

}  // namespace autoriza::projections
