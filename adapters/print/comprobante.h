#pragma once
// The comprobante of a transaction: what a provider prints for the affiliate
// to sign and keeps for billing (GET /v1/transactions/{id}/comprobante.pdf
// and .../comprobante.html, and the reprint from the register). Every order,
// refused authorization, audit request (SAP), verdict, consumption,
// annulment and eligibility check has one; token issues and account actions
// do not.
//
// The model is built from the recorded transaction (the engine's
// TransactionView, read through the codec's encode_transaction, so money and
// times are those of the JSON answer) plus names from the reference snapshot
// (affiliate, titular, plan, provider, prescriber). It holds raw values
// (ISO instants, "180.00", status codes); the renderers write them in
// Spanish (format_es.h).
#include <string>
#include <vector>

#include "engine/core/reference.h"
#include "engine/core/status.h"
#include "engine/engine.h"

namespace autoriza::print {

struct ComprobanteItem {
  std::string index, code, description, qty, tooth, faces;
  std::string status;                // enum Status name
  std::string total, copay;          // "180.00"
  std::vector<std::string> reasons;  // messages of an item refused
};

struct Comprobante {
  std::string kind;                  // "Orden de prestación", "Comprobante de consumo", ...
  std::string number;                // the transaction id
  std::string time;                  // when it was recorded (local ISO-8601)
  std::string status;                // its answer's status (enum Status name)
  std::string current;               // the order's, consumption's or SAP's status now, if another
  std::vector<std::string> reasons;  // messages of a refusal
  std::string credential, affiliate, titular, titular_name, plan;
  std::string provider, provider_name;
  std::string sap, order;  // the SAP and the order it opened, issued or concerns
  std::string prescriber, prescribed_on, diagnosis;
  std::string diagnosis_text, diagnosis_type;  // in words; "Presuntivo" | "Definitivo" | ""
  std::string billed_part;       // a consumption's "Solo honorarios" | "Solo gastos" | ""
  size_t documents = 0;          // documents attached
  std::string performed_at;      // a consumption's
  std::string auditor, verdict;  // a verdict's (verdict: enum Verdict name)
  std::string annulled;          // ids an annulment annulled, or the annulment's target
  std::string notes;             // the note, annulment reason or verdict message
  std::vector<ComprobanteItem> items;
  std::string total, copay, covered;  // empty when the transaction has no amounts
};

// Needs: view read by Engine::transaction. target: for an annulment, the
// transaction it names (its affiliate and items are shown when it is the
// same provider's), else null.
// Returns kNotFound for a transaction without a comprobante (token issues,
// account actions). Names missing from reference are left empty.
Status comprobante_of(const TransactionView& view, const TransactionView* target, const Reference& reference,
                      Comprobante* out);

// The comprobante as an HTML print view (A4, signature lines) and as PDF
// (through the layout layer; empty only when cairo failed).
std::string comprobante_html(const Comprobante& c);
std::string comprobante_pdf(const Comprobante& c);

}  // namespace autoriza::print
